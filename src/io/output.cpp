// open_output: checks the output location before sampling and opens the Stan CSV, JSON or netCDF output.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "io/csv_long_output.hpp"
#include "io/json_output.hpp"
#include "io/number_format.hpp"
#include "io/netcdf_output.hpp"
#include "io/sink.hpp"
#include "io/stan_csv_sink.hpp"
#include "util/error.hpp"

namespace mcmc::io {

std::vector<std::pair<std::string, std::string>> run_footer_entries(const RunFooter& run) {
  std::vector<std::pair<std::string, std::string>> e = {
      {"run_wall_seconds", format_value(run.wall_seconds, 6)},
      {"run_warmup_wall_seconds", format_value(run.warmup_wall_seconds, 6)},
      {"run_sampling_wall_seconds", format_value(run.sampling_wall_seconds, 6)},
      {"run_threads", std::to_string(run.threads)},
      {"run_chains_started", std::to_string(run.chains_started)},
      {"run_interrupted", run.interrupted ? "1" : "0"}};
  if (run.pathfinder_gradient_evals >= 0)
    e.emplace_back("run_pathfinder_gradient_evaluations", std::to_string(run.pathfinder_gradient_evals));
  return e;
}

void ChainSink::resume(const RunHeader&, const SinkPosition&) {
  throw Error(ExitCode::Usage, "this output format cannot be resumed (--checkpoint needs --format csv)");
}

namespace {

/// One Stan CSV file per chain.
class CsvOutput : public Output {
 public:
  CsvOutput(std::vector<std::unique_ptr<StanCsvSink>> chains, bool resume)
      : chains_(std::move(chains)), resume_(resume) {}

  ChainSink& chain(int chain_index) override {
    if (chain_index < 0 || chain_index >= static_cast<int>(chains_.size())) {
      throw std::out_of_range("CsvOutput::chain: no chain " + std::to_string(chain_index));
    }
    return *chains_[static_cast<std::size_t>(chain_index)];
  }

  void finalize(const RunFooter* run) override {
    for (auto& c : chains_) {
      if (c->begun() && run) c->run_end(*run);
      c->close();
      // The chain never started (an interrupt or an error came first): no file. (--resume: a chain
      // stopped again before it resumed keeps the file its checkpoint continues.)
      if (!c->begun() && !resume_) {
        std::error_code ec;
        std::filesystem::remove(c->path(), ec);
      }
    }
    finalized_ = true;
  }

  bool resumable() const override { return true; }

  std::vector<std::string> paths() const override {
    std::vector<std::string> out;
    for (const auto& c : chains_)
      if (!finalized_ || c->begun()) out.push_back(c->path());
    return out;
  }

 private:
  std::vector<std::unique_ptr<StanCsvSink>> chains_;
  bool resume_;
  bool finalized_ = false;
};

/// The directory that will hold `path` ("." for a bare file name).
std::string directory_of(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

void check_directory(const std::string& dir) {
  std::error_code ec;
  auto status = std::filesystem::status(dir, ec);
  if (!std::filesystem::exists(status)) {
    throw Error(ExitCode::Io, "output directory '" + dir + "' does not exist");
  }
  if (!std::filesystem::is_directory(status)) {
    throw Error(ExitCode::Io, "output directory '" + dir + "' is not a directory");
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    throw Error(ExitCode::Io, "output directory '" + dir + "' is not writable");
  }
}

void check_options(const OutputOptions& o) {
  if (o.path.empty()) throw Error(ExitCode::Usage, "no output file given");
  const auto& formats = output_formats();
  if (std::find(formats.begin(), formats.end(), o.format) == formats.end()) {
    throw Error(ExitCode::Usage, "unknown output format '" + o.format + "' (expected csv, csv-long, json or netcdf)");
  }
  if (o.num_chains < 1) throw Error(ExitCode::Usage, "the number of chains must be at least 1");
  if (o.netcdf_digits < 0 || o.netcdf_digits > 15) {
    throw Error(ExitCode::Usage, "netCDF quantization keeps 1 to 15 significant digits, got " + std::to_string(o.netcdf_digits));
  }
  if (o.sig_figs < 1 || o.sig_figs > 18) {
    throw Error(ExitCode::Usage, "sig_figs must be between 1 and 18, got " + std::to_string(o.sig_figs));
  }
}

/// Descriptors kept free for everything else (standard streams, data and temporary files, libraries).
constexpr rlim_t kReservedDescriptors = 32;

void check_open_file_limit(int num_chains) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return;
  const rlim_t needed = static_cast<rlim_t>(num_chains) + kReservedDescriptors;
  if (needed <= limit.rlim_cur) return;
  throw Error(ExitCode::Io, "--format csv writes one file per chain: " + std::to_string(num_chains) +
                                " chains need " + std::to_string(needed) + " open files, but the limit is " +
                                std::to_string(limit.rlim_cur) +
                                " (ulimit -n); use --format csv-long or json (one file for all chains) or raise the limit");
}

}  // namespace

std::vector<std::pair<std::string, std::string>> flatten_config(const std::vector<ConfigEntry>& config,
                                                                std::vector<std::string>* user_set) {
  std::vector<std::pair<std::string, std::string>> values;
  std::vector<std::string> path;  // path[d] = the last key seen at depth d
  for (const ConfigEntry& e : config) {
    path.resize(static_cast<std::size_t>(std::max(e.depth, 0)));
    path.push_back(e.key);
    if (e.is_section) continue;
    std::string key;
    for (const std::string& part : path) key += (key.empty() ? "" : ".") + part;
    if (user_set && !e.is_default) user_set->push_back(key);
    values.emplace_back(std::move(key), e.value);
  }
  return values;
}

std::size_t chain_block_bytes(int num_chains) {
  constexpr std::size_t kMax = 1 << 20, kMin = 1 << 12, kTotal = 1 << 26;
  return std::clamp<std::size_t>(kTotal / static_cast<std::size_t>(std::max(num_chains, 1)), kMin, kMax);
}

void raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  // An unlimited hard limit cannot be the soft one (the kernel caps it at fs.nr_open): 2^20 is.
  const rlim_t target = limit.rlim_max == RLIM_INFINITY ? rlim_t{1} << 20 : limit.rlim_max;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < target) {
    limit.rlim_cur = target;
    ::setrlimit(RLIMIT_NOFILE, &limit);  // best effort: failing leaves the old limit
  }
}

std::unique_ptr<Output> open_output(const OutputOptions& options) {
  check_options(options);
  const std::string dir = directory_of(options.path);
  check_directory(dir);
  if (options.format == "json") {
    return std::make_unique<JsonOutput>(LineFile::create(options.path), dir, options.num_chains);
  }
  if (options.format == "netcdf") {
    return std::make_unique<NetcdfOutput>(options.path, options.num_chains, options.data, options.observed,
                                          options.netcdf_digits);
  }
  if (options.format == "csv-long") {
    return std::make_unique<CsvLongOutput>(LineFile::create(options.path), options.num_chains, options.sig_figs);
  }
  check_open_file_limit(options.num_chains);
  std::vector<std::unique_ptr<StanCsvSink>> chains;
  for (int c = 0; c < options.num_chains; ++c) {
    std::string path = csv_chain_path(options.path, c, options.num_chains);
    // --resume: each file is opened when its chain resumes (or recreated when it begins again).
    chains.push_back(options.resume ? std::make_unique<StanCsvSink>(LineFile(-1, path), options.sig_figs)
                                    : std::make_unique<StanCsvSink>(LineFile::create(path), options.sig_figs));
  }
  return std::make_unique<CsvOutput>(std::move(chains), options.resume);
}

}  // namespace mcmc::io

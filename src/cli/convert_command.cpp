// `mcmc convert`: rewrites draws files from one format into another (Stan CSV, csv-long, JSON, netCDF) through the run's own writers.
#include <cmath>
#include <filesystem>
#include <iostream>
#include <limits>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "io/netcdf_reader.hpp"
#include "io/sink.hpp"
#include "util/error.hpp"

namespace mcmc::cli {

CLI::App* add_convert_command(CLI::App& app, ConvertOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "convert", "Convert draws between formats: Stan CSV (CmdStan's, rstan's, ours; per chain or csv-long), our JSON "
                 "and netCDF (ArviZ InferenceData): mcmc convert IN... OUT");
  cmd->add_option("files", o.files, "Input files (all chains of one run), then the output file unless --output is given")
      ->required();
  cmd->add_option("--output,-o", o.output, "Output file (default: the last file argument)");
  cmd->add_option("--format", o.format, "Output format (default: from the output's extension: .nc netcdf, .json json, "
                                        "else csv)")
      ->check(CLI::IsMember(io::output_formats()));
  cmd->add_option("--sig-figs", o.sig_figs, "Significant digits of values: CSV output (default 17: every double "
                                            "exactly); netcdf output, at most 15: quantized (default: exact doubles)")
      ->check(CLI::Range(1, 18));
  return cmd;
}

namespace {

std::string format_of(const std::string& path) {
  const std::string ext = std::filesystem::path(path).extension().string();
  if (ext == ".nc" || ext == ".nc4" || ext == ".netcdf") return "netcdf";
  if (ext == ".json") return "json";
  return "csv";
}

/// The configuration echo rebuilt from (dotted key, value) pairs: "method.sample.num_samples"
/// becomes `num_samples` at depth 2 under the section lines `sample` (depth 1); keys without
/// dots (as a Stan CSV file's echo is read) stay at depth 0.
std::vector<io::ConfigEntry> config_tree(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::vector<io::ConfigEntry> out;
  std::vector<std::string> open;  // the path of the last entry
  for (const auto& [key, value] : pairs) {
    if (key == "model") continue;  // the model name, written on its own line
    std::vector<std::string> parts;
    for (std::size_t start = 0;;) {
      const std::size_t dot = key.find('.', start);
      parts.push_back(key.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    std::size_t common = 0;
    while (common < open.size() && common + 1 < parts.size() && open[common] == parts[common]) ++common;
    for (std::size_t d = common; d + 1 < parts.size(); ++d)
      out.push_back({static_cast<int>(d), parts[d], "", false, true});
    out.push_back({static_cast<int>(parts.size() - 1), parts.back(), value, false, false});
    open = parts;
  }
  return out;
}

}  // namespace

int convert_command(const ConvertOptions& o) {
  std::vector<std::string> inputs = o.files;
  std::string output = o.output;
  if (output.empty()) {
    if (inputs.size() < 2)
      throw Error(ExitCode::Usage, "convert: give the output file (mcmc convert IN... OUT, or --output OUT)");
    output = inputs.back();
    inputs.pop_back();
  }
  const std::string format = o.format.empty() ? format_of(output) : o.format;

  std::vector<io::ChainDraws> chains;
  for (const std::string& f : inputs)
    for (io::ChainDraws& c : io::read_draws_file(f)) chains.push_back(std::move(c));
  if (chains.empty()) throw Error(ExitCode::Io, fmt::format("{}: holds no chains", inputs.front()));
  const io::ChainDraws& first = chains.front();
  for (const io::ChainDraws& c : chains)
    if (c.columns != first.columns)
      throw Error(ExitCode::Io, fmt::format("{} and {} do not have the same columns: not chains of one run", first.source,
                                            c.source));

  io::RunHeader header;
  header.model_name = first.config_value("model").value_or("");
  header.config = config_tree(first.config);
  header.algorithm = first.config_value("engine").value_or("");
  std::size_t num_sampler = 0;
  while (num_sampler < first.columns.size() && first.columns[num_sampler].size() > 2 &&
         first.columns[num_sampler].compare(first.columns[num_sampler].size() - 2, 2, "__") == 0)
    ++num_sampler;
  header.sampler_columns.assign(first.columns.begin(), first.columns.begin() + static_cast<std::ptrdiff_t>(num_sampler));
  header.param_columns.assign(first.columns.begin() + static_cast<std::ptrdiff_t>(num_sampler), first.columns.end());
  std::uint64_t seed = 0;
  if (auto s = first.config_value("seed")) {
    try {
      seed = std::stoull(*s);
    } catch (...) {
    }
  }

  io::OutputOptions oo;
  oo.path = output;
  oo.format = format;
  oo.num_chains = static_cast<int>(chains.size());
  oo.sig_figs = o.sig_figs > 0 ? o.sig_figs : 17;
  if (format == "netcdf" && o.sig_figs > 0 && o.sig_figs <= 15) oo.netcdf_digits = o.sig_figs;
  std::unique_ptr<io::Output> out = io::open_output(oo);
  std::vector<double> row(first.columns.size());
  for (std::size_t c = 0; c < chains.size(); ++c) {
    const io::ChainDraws& d = chains[c];
    io::ChainSink& sink = out->chain(static_cast<int>(c));
    sink.begin(header, static_cast<int>(c) + 1, seed);
    sink.adaptation({d.step_size.value_or(std::numeric_limits<double>::quiet_NaN()), d.inv_metric});
    for (std::size_t i = 0; i < d.num_draws(); ++i) {
      for (std::size_t j = 0; j < row.size(); ++j) row[j] = d.values[j][i];
      sink.draw(row);
    }
    io::ChainFooter footer;
    footer.warmup_seconds = d.warmup_seconds.value_or(0);
    footer.sampling_seconds = d.sampling_seconds.value_or(0);
    footer.complete = !d.interrupted;
    sink.end(footer);
  }
  out->finalize();
  std::cerr << fmt::format("{} chain{} written to {}\n", chains.size(), chains.size() == 1 ? "" : "s",
                           fmt::join(out->paths(), ", "));
  return 0;
}

}  // namespace mcmc::cli

// Output sinks: one per chain, fed rows as they are drawn and streaming them to disk.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace mcmc::io {

/// One line of the configuration echo: `key = value` at an indentation depth, with CmdStan's
/// `(Default)` marker when the user did not set it. A `value` of "" with no children prints as a
/// section title (e.g. "adapt").
struct ConfigEntry {
  int depth = 0;
  std::string key;
  std::string value;
  bool is_default = true;
  bool is_section = false;
};

/// What every chain's output starts with.
struct RunHeader {
  std::string mcmc_version;                // the program that wrote the file: its version ("0.1.0")
  std::string mcmc_commit;                 // and the git commit it was built from (or "unknown")
  std::string model_name;                  // e.g. "normal_logscale_model"
  std::vector<ConfigEntry> config;         // the whole settings tree, defaults included
  std::vector<std::string> sampler_columns;// "lp__", "accept_stat__", ... (algorithm dependent)
  std::vector<std::string> param_columns;  // parameters, transformed parameters, generated quantities
  std::string algorithm;                   // "nuts" / "hmc"
};

/// The adaptation result, written after warm-up (skipped when nothing was adapted).
struct Adaptation {
  double step_size = 0;
  std::vector<double> inv_metric;  // the diagonal, or (dense) the whole matrix, row-major
  bool dense = false;
};

/// What every chain's output ends with.
struct ChainFooter {
  double warmup_seconds = 0;
  double sampling_seconds = 0;
  std::int64_t gradient_evals = 0;   // useful gradient evaluations of this chain
  std::int64_t lockstep_paid = -1;   // vmap mode: evaluations paid by this chain's lockstep group; -1 if n/a
  std::int64_t lockstep_useful = -1; // vmap mode: useful evaluations of that group
  int lockstep_group = -1;           // vmap mode: the chain's lockstep group (groups share the counts)
  int divergences = 0;
  int max_depth_hits = 0;
  bool complete = true;              // false when the run was interrupted
};

/// What a run's output ends with, after every chain's footer: the run's own wall time (a chain's
/// footer holds the time spent on that chain, which in lockstep and ensemble runs is a share of
/// time spent on many chains at once; docs/summary.md defines both).
struct RunFooter {
  double wall_seconds = 0;           // from the start of the first chain to the end of the last
  double warmup_wall_seconds = 0;    // wall_seconds split in the proportion of the chains' warm-up
  double sampling_wall_seconds = 0;  // and sampling seconds
  int threads = 1;
  int chains_started = 0;            // chains that found an initial point and began their output
  std::int64_t pathfinder_gradient_evals = -1;  // --init pathfinder: the gradients Pathfinder spent (-1: not used)
  bool interrupted = false;
};

/// The footer as `key = value` pairs, the same keys in every format ("run_wall_seconds", ...).
std::vector<std::pair<std::string, std::string>> run_footer_entries(const RunFooter& run);

/// --checkpoint: how far a chain's output file goes (every byte before it written out) and the
/// FNV-1a hash of those bytes, so that --resume can cut the file back there and check it.
struct SinkPosition {
  std::uint64_t bytes = 0;
  std::uint64_t hash = 0;
};

/// Receives one chain's output, in order: begin, [adaptation], draw..., end.
/// Implementations write as they go (no buffering of draws beyond a stream buffer).
class ChainSink {
 public:
  virtual ~ChainSink() = default;
  virtual void begin(const RunHeader& header, int chain_id, std::uint64_t seed) = 0;
  virtual void adaptation(const Adaptation& a) = 0;
  /// `row` = sampler columns then parameter columns, in header order.
  virtual void draw(std::span<const double> row) = 0;
  virtual void end(const ChainFooter& footer) = 0;
  /// --checkpoint: writes out (and syncs) what is buffered and says where the output stands;
  /// nullopt for a format that cannot be continued from there.
  virtual std::optional<SinkPosition> checkpoint() { return std::nullopt; }
  /// --resume: instead of begin(), continue the output the interrupted run wrote up to `at`
  /// (what it wrote after that is cut off).
  virtual void resume(const RunHeader& header, const SinkPosition& at);
};

/// A run's whole output: hands out one sink per chain (usable from different threads, each sink
/// from one thread at a time) and completes the files at the end.
class Output {
 public:
  virtual ~Output() = default;
  virtual ChainSink& chain(int chain_index) = 0;  // 0-based index; chain id = index + 1
  /// After every chain's end(): completes the output (e.g. assembles the JSON file), ending it
  /// with the run's footer when given. A chain whose output never began leaves no file of its own.
  virtual void finalize(const RunFooter* run = nullptr) = 0;
  /// Paths written (for messages).
  virtual std::vector<std::string> paths() const = 0;
  /// Whether --checkpoint / --resume can continue this output exactly (its sinks' checkpoint()).
  virtual bool resumable() const { return false; }
};

struct DataSet;

/// The output formats of `--format`, in the order --help lists them.
inline const std::vector<std::string>& output_formats() {
  static const std::vector<std::string> formats = {"csv", "csv-long", "json", "netcdf"};
  return formats;
}

struct OutputOptions {
  std::string path;          // "out.csv" -> out_1.csv ... (csv); one file (json, csv-long, netcdf)
  std::string format = "csv";// one of output_formats(): "csv" | "csv-long" (one CSV, chain__ column) | "json" | "netcdf"
  int num_chains = 1;
  int sig_figs = 6;          // significant digits of values (CmdStan's default output precision)
  const DataSet* data = nullptr;  // netcdf: written as the observed_data / constant_data groups (may be null)
  std::set<std::string> observed{};  // netcdf: the data variables that go to observed_data (the model's outcomes)
  /// netcdf: keep this many significant decimal digits of the float variables (netCDF's granular
  /// bit-round quantization, 1..15; the zeroed low bits compress away); 0: exact doubles.
  int netcdf_digits = 0;
  /// --resume: keep the existing files (the chains' sinks are positioned by ChainSink::resume;
  /// a chain that starts afresh recreates its file).
  bool resume = false;
};

/// The configuration tree flattened to ("section.subsection.key", value) pairs in order (sections
/// are path components only); the keys the user set explicitly go to `user_set` when given.
std::vector<std::pair<std::string, std::string>> flatten_config(const std::vector<ConfigEntry>& config,
                                                                std::vector<std::string>* user_set);

/// Bytes of draws a one-file output (json, netcdf) keeps in memory per chain before writing them:
/// 1 MiB, less with many chains (about 64 MiB over all chains), at least 4 KiB.
std::size_t chain_block_bytes(int num_chains);

/// Checks that the output location is writable before sampling starts, then opens the files.
/// Errors are mcmc::Error with ExitCode::Io naming the path. CSV output keeps one file per chain
/// open: when the chains would not fit under the open-file limit (RLIMIT_NOFILE), that is an
/// ExitCode::Io error before any file is created, suggesting --format json or csv-long.
std::unique_ptr<Output> open_output(const OutputOptions& options);

/// Raises this process's soft limit on open files to its hard limit (best effort, silent).
void raise_open_file_limit();

}  // namespace mcmc::io

// Reading Stan CSV files (CmdStan's, rstan's `sample_file`, ours) back into per-chain columns of doubles.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace mcmc::io {

/// One chain's draws and what its `#` comment lines said. Values are kept column-major (one
/// vector of doubles per column); the text is never kept.
struct ChainDraws {
  std::string source;                            // the file it was read from (for messages)
  std::vector<std::string> columns;              // header names, in file order
  std::vector<std::vector<double>> values;       // values[j][i]: column j, post-warm-up draw i
  std::size_t num_draws() const { return values.empty() ? 0 : values[0].size(); }
  std::span<const double> column(std::size_t j) const { return values[j]; }
  /// Index of a column by name, or nullopt.
  std::optional<std::size_t> find_column(const std::string& name) const;

  /// `key = value` lines of the configuration echo before the header, in order, with the
  /// indentation and CmdStan's " (Default)" marker removed (rstan's `key=value` lines too).
  std::vector<std::pair<std::string, std::string>> config;
  /// First value of a configuration key (e.g. "max_depth"; also matches a dotted key ending in
  /// ".max_depth", as the JSON output writes them), or nullopt.
  std::optional<std::string> config_value(const std::string& key) const;

  std::optional<double> step_size;               // "# Step size = ..." after adaptation
  std::vector<double> inv_metric;                // the inverse metric rows after adaptation (dense: row-major)
  std::optional<double> warmup_seconds;          // "# Elapsed Time: ... seconds (Warm-up)"
  std::optional<double> sampling_seconds;        // "... seconds (Sampling)"
  std::size_t warmup_draws_dropped = 0;          // saved warm-up rows (before "Adaptation terminated"), not kept
  bool truncated = false;                        // the last data line was incomplete and was dropped
  bool interrupted = false;                      // our "# interrupted = 1" footer
  std::vector<std::string> notes;                // human-readable remarks (truncation, ...)
  /// csv-long: the "# chain N: key = value" footer lines, as (N, "key = value").
  std::vector<std::pair<int, std::string>> chain_notes;
};

/// Reads one Stan CSV file. Accepts numbers as written by C++ streams, R and Python (`nan`, `-nan`,
/// `NaN`, `NA`, `inf`, `-inf`, `Inf`, `infinity`, a leading `+`), `\r\n` line ends, and stops
/// cleanly at a truncated last line (dropped, `truncated` set, a note added). Throws mcmc::Error
/// (ExitCode::Io) naming the file and line for a missing file, a missing header, or a malformed
/// line before the last one.
ChainDraws read_stan_csv(const std::string& path);

/// A csv-long file (first column `chain__`) read by read_stan_csv becomes one ChainDraws per
/// chain, in chain order, without the chain__ / draw__ / warmup__ columns and without warm-up
/// rows; its per-chain footers fill step_size, inv_metric, the timings and `interrupted`.
/// Any other file is returned as it is (one chain).
std::vector<ChainDraws> split_chains(ChainDraws all);

}  // namespace mcmc::io

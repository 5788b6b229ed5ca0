// The Stan CSV writer: one file per chain laid out exactly as CmdStan lays it out.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "io/line_file.hpp"
#include "io/sink.hpp"

namespace mcmc::io {

/// Writes one chain as a Stan CSV file: the `#` configuration echo (CmdStan's argument tree with
/// `(Default)` markers), the column header, the adaptation block, the draws (flushed in whole
/// lines at least every 100 ms) and CmdStan's elapsed-time block, followed by our own footer
/// comments (`# gradient_evaluations = N`, and `# lockstep_paid`, `# lockstep_efficiency` in
/// vmap mode). Write failures throw mcmc::Error(ExitCode::Io, "cannot write '<path>': ...").
class StanCsvSink : public ChainSink {
 public:
  StanCsvSink(LineFile file, int sig_figs);

  void begin(const RunHeader& header, int chain_id, std::uint64_t seed) override;
  void adaptation(const Adaptation& a) override;
  void draw(std::span<const double> row) override;
  void end(const ChainFooter& footer) override;
  std::optional<SinkPosition> checkpoint() override;
  void resume(const RunHeader& header, const SinkPosition& at) override;

  /// Appends the run's footer (after end()).
  void run_end(const RunFooter& run);
  /// Flushes and closes the file (idempotent).
  void close() { file_.close(); }
  /// Whether begin() was called (a chain that never started has written nothing).
  bool begun() const { return begun_; }
  const std::string& path() const { return file_.name(); }

 private:
  LineFile file_;
  int sig_figs_;
  bool begun_ = false;
  std::vector<char> integer_column_;  // per column: print as an integer
  void set_columns(const RunHeader& header);
};

/// The `# ...` line CmdStan prints for one configuration entry (without the newline).
/// Whether a Stan CSV column holds integers (treedepth__, n_leapfrog__, divergent__).
bool is_integer_column(const std::string& name);

/// Appends `row` as comma-separated values (integers where `integer_column` says so, else
/// `sig_figs` significant digits), without a newline.
void append_row(std::string& out, std::span<const double> row, const std::vector<char>& integer_column, int sig_figs);

/// Appends the values of a diagonal inverse metric, comma-separated, 6 significant digits.
void append_metric(std::string& out, const std::vector<double>& inv_metric);

std::string config_echo_line(const ConfigEntry& entry);

/// The first lines of every Stan CSV file we write (as CmdStan's start with stan_version_*):
/// "# mcmc_version = ...", "# mcmc_commit = ...", "# model = ...".
std::string header_comments(const RunHeader& header);

/// The file of chain `chain_index` (0-based): `path` itself for one chain, else `out.csv` ->
/// `out_1.csv` ... `out_N.csv` (the chain id inserted before the extension), as CmdStan does.
std::string csv_chain_path(const std::string& path, int chain_index, int num_chains);

}  // namespace mcmc::io

// Stan CSV for many chains in one file: a `chain__` column, each chain's rows in one block, chains in order.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "io/line_file.hpp"
#include "io/sink.hpp"

namespace mcmc::io {

/// `--format csv-long`: one file for the whole run. The `#` configuration echo and one header
/// `chain__,draw__,warmup__,<sampler columns>,<parameters>` (chain__ 1-based, draw__ the chain's
/// row number from 1, warmup__ 1 for saved warm-up rows), then the chains in chain order, each
/// chain's rows in one block: a chain's rows wait in a temporary file shared by all chains (memory
/// bounded as for JSON) and go to the file once the chain and every chain before it have ended,
/// so the file does not depend on threads, mode or scheduling (byte for byte, timing lines
/// aside). What CmdStan writes per file becomes per-chain comment lines after the chain's rows:
///     # chain 3: step_size = 0.42
///     # chain 3: inv_metric = 1.1, 0.9
///     # chain 3: warmup_seconds = 0.5
///     # chain 3: sampling_seconds = 0.7
///     # chain 3: gradient_evaluations = 12345   (lockstep_*, divergences, interrupted = 1 likewise)
/// Readers that know Stan CSV read it as one table (pandas, data.table, `mcmc summary` splits the
/// chains again). Sinks of different chains may be used from different threads.
class CsvLongOutput : public Output {
 public:
  /// The chains with 0-based index in [first_chain, first_chain + num_chains) (a shard or an MPI
  /// rank writes a block of the run's chains; chain(c) takes the run's index).
  CsvLongOutput(LineFile file, const std::string& temp_dir, int num_chains, int sig_figs, int first_chain = 0);
  ~CsvLongOutput() override;

  ChainSink& chain(int chain_index) override;
  void finalize(const RunFooter* run = nullptr) override;
  std::vector<std::string> paths() const override;

  struct Shared;

 private:
  std::unique_ptr<Shared> shared_;
  int first_ = 0;
};

}  // namespace mcmc::io

// A run spread over processes: each process's block of chains (--shard, MPI ranks), ensemble mirrors, the run gathered on rank 0.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "io/sink.hpp"
#include "run/settings.hpp"
#include "sampler/chain.hpp"

namespace mcmc::run {

struct RunReport;

/// Chains [first, first + count) of a run (0-based).
struct ChainBlock {
  int first = 0;
  int count = 0;
};

/// Part `part` (0-based) of `parts` contiguous blocks of `chains` chains: [part*C/N, (part+1)*C/N).
ChainBlock block_of(int chains, int part, int parts);

/// The chains this process runs: its MPI rank's block, the block of --shard, or all of them.
/// Throws mcmc::Error(Usage) when there are more ranks or shards than chains.
ChainBlock process_block(const RunSettings& s);

/// Parses --shard "i/N" (1 <= i <= N) into settings (shard_index 0-based, shard_count).
void parse_shard(const std::string& text, RunSettings& s);

/// ChEES and MEADS over MPI ranks: every rank holds a Chain for each chain of the run; its own
/// are run, the others mirror the other ranks' chains (Chain::import_mirror). exchange() sends
/// this rank's chains' states to every rank and updates the mirrors, so that every rank computes
/// the ensemble's statistics over all chains, block after block in chain order as one process
/// does: the settings, and so the draws, are bit for bit those of one process.
class EnsembleMirror {
 public:
  EnsembleMirror(const RunSettings& s, std::size_t dim, ChainBlock mine);
  ~EnsembleMirror();
  /// Collective: exchanges the states of `local` (this rank's chains, in order; empty when they
  /// could not start) and each rank's wish to stop; true when any rank wishes to.
  bool exchange(std::span<sampler::Chain* const> local, bool stop_here);
  /// Every chain of the run: `local` at this rank's block, the mirrors elsewhere.
  std::vector<sampler::Chain*> all_chains(std::span<sampler::Chain* const> local);
  /// Seconds and calls of exchange().
  double seconds() const { return seconds_; }
  std::int64_t calls() const { return calls_; }

 private:
  RunSettings settings_;
  std::size_t dim_;
  ChainBlock mine_;
  std::vector<ChainBlock> blocks_;
  std::vector<std::unique_ptr<sampler::Chain>> mirrors_;  // by chain index (null for this rank's)
  std::vector<double> send_, all_;
  std::vector<int> counts_;
  double seconds_ = 0;
  std::int64_t calls_ = 0;
};

/// The output of a rank other than 0: every chain's output recorded (in a temporary file) for
/// rank 0, and passed on to `local` too when given (--format csv: the rank writes its chains' files).
class RecordingOutput : public io::Output {
 public:
  RecordingOutput(io::Output* local, ChainBlock block, const std::string& temp_dir);
  ~RecordingOutput() override;
  io::ChainSink& chain(int chain_index) override;
  void finalize(const io::RunFooter* run = nullptr) override;
  std::vector<std::string> paths() const override;
  /// Sends every chain's records to rank 0, chain after chain (gather_run's part on ranks > 0).
  void send_to_root();
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

/// After sampling with MPI, on every rank: the run's footer values agreed (wall time, chains
/// started, interrupted), and rank 0 gets every other rank's chain reports, kept draws and output
/// (replayed into `root_output` in chain order when it is the whole run's one file: csv-long,
/// json, netcdf). `rec` is this rank's recording (ranks > 0). Returns on rank 0 the whole run's
/// report. `failure` is this rank's error (null if none); the ranks agree on the first failing
/// rank, whose error every rank then throws (that rank's message, the others an empty one: one
/// message for the job, the same exit code everywhere).
void gather_run(RunReport& rep, RecordingOutput* rec, io::Output* root_output, bool root_replays,
                const io::RunHeader& header);

/// The ranks agree on an error: if any rank has one, every rank throws mcmc::Error with the
/// lowest failing rank's code; that rank's message is printed (prefixed with its rank unless it
/// is rank 0), the others' Error messages are empty (main prints nothing for them).
void agree_on_failure(std::exception_ptr failure);

}  // namespace mcmc::run

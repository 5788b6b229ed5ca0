// The checkpoint file of --checkpoint / --resume: its format, atomic writing, reading and checks, and the live checkpointer of a run.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "io/draw_store.hpp"

namespace mcmc::run {

/// What a checkpoint belongs to; --resume refuses a checkpoint whose identity differs from the
/// command's, saying what differs.
struct CheckpointIdentity {
  std::vector<std::string> args;  // the command line after `run`, for `mcmc run --resume FILE` alone
  std::string directory;          // the working directory the paths in `args` are relative to
  std::string model_file;
  std::uint64_t model_hash = 0;   // FNV-1a 64 of the model file's bytes
  std::string data_file;
  std::uint64_t data_hash = 0;    // of the data file's bytes (0 without data)
  std::uint64_t seed = 0;         // the run's seed (drawn at random when --seed was not given)
  std::vector<std::pair<std::string, std::string>> settings;  // the run's settings, flattened (as the CSV header echoes them)
};

/// The identity of the run these settings describe (reads and hashes the model and data files).
CheckpointIdentity checkpoint_identity(const std::vector<std::string>& args, const std::string& model_file,
                                       const std::string& data_file, std::uint64_t seed,
                                       std::vector<std::pair<std::string, std::string>> settings);

/// "" when `now` may continue `saved`; else a message naming every difference.
std::string identity_mismatch(const CheckpointIdentity& saved, const CheckpointIdentity& now);

/// A checkpoint: the identity and every chain's last saved state.
struct CheckpointData {
  CheckpointIdentity identity;
  std::vector<std::string> chains;  // per chain: the state ChainRunner::snapshot saved ("": not begun)
  std::string ensemble;             // ChEES: the ensemble's state ("" for the other algorithms)
  std::uint64_t draws_bytes = 0;    // the side file of kept draws (checkpoint_draws_path) up to here
  std::uint64_t draws_hash = 0;     // and the FNV-1a hash of those bytes
};

/// The side file where the kept draws go, exact, for the summary of a resumed run: FILE.draws.
std::string checkpoint_draws_path(const std::string& checkpoint);

/// Writes `data` to `path` atomically: a temporary file in the same directory, fsync, rename,
/// fsync of the directory. Test hook: with MCMC_CHECKPOINT_TEST_KILL=N in the environment the
/// process kills itself (SIGKILL) between writing the N-th temporary file and renaming it.
void write_checkpoint(const std::string& path, const CheckpointData& data);

/// Reads a checkpoint; a missing, truncated or corrupt file (magic, length, checksum) is
/// mcmc::Error(ExitCode::Io) naming the file and the fault.
CheckpointData read_checkpoint(const std::string& path);

/// A run's checkpoints: every chain's last saved state and the kept draws since, written to the
/// file on request. Thread-safe.
class Checkpointer {
 public:
  /// `every`: iterations between saves (0: only on SIGINT / SIGTERM). `resumed`: the checkpoint
  /// this run continues (its draws side file is cut back to what it records), or null.
  Checkpointer(std::string path, int every, CheckpointIdentity identity, int chains, std::size_t columns,
               const CheckpointData* resumed);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  /// Whether the draw of 0-based iteration `iteration` of `total` is one to save after.
  bool due(int iteration, int total) const {
    return iteration + 1 == total || (every_ > 0 && (iteration + 1) % every_ == 0);
  }
  /// Chain `c`'s new state, and the rows it kept since its previous state (appended to the side file).
  void set_chain(int c, std::string state, std::span<const double> rows);
  void set_ensemble(std::string state);
  /// Writes the checkpoint file with the states set so far.
  void write();
  /// The run is complete: removes the checkpoint and its side file.
  void remove();
  /// --resume: the kept draws of every chain as the checkpoint records them.
  void load_draws(const CheckpointData& resumed, std::vector<std::unique_ptr<io::DrawStore>>& stores) const;

 private:
  std::string path_;
  int every_;
  std::size_t columns_;
  std::mutex mu_;
  CheckpointData data_;
  int draws_fd_ = -1;
};

}  // namespace mcmc::run

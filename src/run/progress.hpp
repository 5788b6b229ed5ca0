// Live progress of a run: a per-chain (or per-group) table on a terminal and JSON lines for batch jobs.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace mcmc::run {

/// What one chain has done so far: written by the chain's thread once per iteration (relaxed
/// stores, no locks), read by the progress thread.
struct ChainProgress {
  std::atomic<int> iteration{0};            // iterations done, warm-up included
  std::atomic<int> divergences{0};          // divergent transitions after warm-up
  std::atomic<double> step_size{0};
  std::atomic<std::int64_t> gradients{0};   // gradient evaluations (leapfrog steps)
  void update(int done, int post_warmup_divergences, double step, std::int64_t grads) {
    iteration.store(done, std::memory_order_relaxed);
    divergences.store(post_warmup_divergences, std::memory_order_relaxed);
    step_size.store(step, std::memory_order_relaxed);
    gradients.store(grads, std::memory_order_relaxed);
  }
};

/// One row of the table: a chain, or a group of consecutive chains (its slowest chain's iteration).
struct ProgressRow {
  int first_chain = 1, last_chain = 1;  // 1-based, inclusive
  int iteration = 0;                    // done (the slowest chain's, for a group)
  int total = 0;                        // warm-up + sampling iterations
  int warmup = 0;
  int divergences = 0;                  // summed over the group
  double step_size = 0;                 // mean over the group
  double gradients_per_draw = 0;        // gradients / iterations, over the group
  double remaining_seconds = -1;        // -1: not known yet
  bool warming_up() const { return iteration < warmup; }
};

struct ProgressSnapshot {
  double elapsed_seconds = 0;
  double remaining_seconds = -1;        // the whole run (-1: not known yet)
  int chains = 0;
  long long iterations_done = 0, iterations_total = 0;  // over all chains
  int divergences = 0;
  std::vector<ProgressRow> rows;
  bool done = false;
};

/// A snapshot of every chain's progress, as at most `max_rows` rows (groups of consecutive chains
/// when there are more chains).
ProgressSnapshot take_snapshot(const std::vector<ChainProgress>& chains, int warmup, int samples,
                               double elapsed_seconds, std::size_t max_rows);

/// The terminal table, one line per row, each ending with '\n' (a header line first).
std::string progress_table(const ProgressSnapshot& s);

/// One JSON object on one line (docs/report.md lists its fields), ending with '\n'.
std::string progress_json(const ProgressSnapshot& s);

/// The thread that shows the progress: the table on stderr when it is a terminal (redrawn in
/// place 4 times a second), and a JSON line appended to `file` every `interval` seconds and at the
/// end. Starts nothing when neither is wanted.
class ProgressMonitor {
 public:
  ProgressMonitor(const std::vector<ChainProgress>& chains, int warmup, int samples, bool terminal,
                  const std::string& file, double interval_seconds);
  ~ProgressMonitor();
  ProgressMonitor(const ProgressMonitor&) = delete;
  ProgressMonitor& operator=(const ProgressMonitor&) = delete;
  /// Stops the thread: the table is erased, the file gets its last line (with "done": true).
  void stop();

 private:
  void loop();

  const std::vector<ChainProgress>& chains_;
  int warmup_, samples_;
  bool terminal_;
  std::FILE* file_ = nullptr;
  double interval_;
  std::chrono::steady_clock::time_point start_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  int lines_drawn_ = 0;
};

}  // namespace mcmc::run

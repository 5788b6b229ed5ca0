// One chain's life outside the kernel: finding an initial point, writing each kept draw, timing.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "graph/tape.hpp"
#include "io/draw_store.hpp"
#include "io/sink.hpp"
#include "model/model.hpp"
#include "run/checkpoint.hpp"
#include "run/progress.hpp"
#include "run/init.hpp"
#include "run/runner.hpp"
#include "sampler/chain.hpp"

namespace mcmc::run {

class ChainRunner {
 public:
  ChainRunner(const RunSettings& settings, const model::Model& model, int index,
              io::ChainSink* sink, io::DrawStore* store, const Init& init,
              const io::RunHeader& header);

  /// Finds a finite initial point (up to 100 attempts) and creates the kernel.
  /// Throws mcmc::Error(Sampling) explaining the last failure.
  void initialize(graph::Evaluator& single);
  sampler::Chain& chain() { return *chain_; }
  /// The chain is at a Draw: write it if kept, then (with `snapshot`, for --checkpoint) save
  /// the state, then move on.
  void on_draw(bool snapshot = false);
  /// --checkpoint: whether the draw the chain is at is one after which to save (or `stopping`).
  bool snapshot_due(bool stopping) const;
  /// --checkpoint: hands the state of the chain and of its output (between two transitions) and
  /// the draws kept since the last snapshot to `checkpointer`.
  void snapshot();
  /// Ends the output of the chain (complete or not).
  void finish(bool complete);

  ChainReport report;
  /// What the chain has done so far, for the progress display (may be null).
  ChainProgress* progress = nullptr;
  /// The share of the elapsed time that is this chain's cost: 1 when a thread runs the chain on
  /// its own; 1/K in a lockstep group of K chains; threads/C in an ensemble of C chains. The
  /// footer's seconds are elapsed seconds times this, so they add up to thread-seconds.
  double time_share = 1.0;
  /// --checkpoint: where the run's checkpoints go (null: none).
  Checkpointer* checkpointer = nullptr;
  /// --resume: the chain's saved state; initialize() restores it instead of starting afresh.
  std::string resume_state;
  /// Lockstep (vmap) drivers: the counts of the chain's group so far (paid, useful), which a
  /// checkpoint keeps with the chain and a resumed run starts from.
  std::int64_t lockstep_counts[2] = {0, 0};
  /// Whether initialize() found a starting point (the chain's output has begun).
  bool started() const { return chain_.has_value(); }

 private:
  const RunSettings& settings_;
  const model::Model& model_;
  int index_;
  io::ChainSink* sink_;
  io::DrawStore* store_;
  const Init& init_;
  const io::RunHeader& header_;
  sampler::Rng gq_rng_;
  std::optional<sampler::Chain> chain_;
  std::unique_ptr<graph::Evaluator> out_ev_;  // output tape evaluator (constrained values)
  std::vector<double> row_, values_;
  bool adaptation_written_ = false;
  std::chrono::steady_clock::time_point start_, warm_end_;
  bool warm_end_set_ = false;
  std::vector<double> unsaved_rows_;  // --checkpoint: kept rows not yet handed to the checkpointer
  void restore(graph::Evaluator& ev);
};

}  // namespace mcmc::run

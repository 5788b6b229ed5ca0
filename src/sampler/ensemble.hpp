// Ensemble adaptation: ChEES-HMC and MEADS set every chain's next transition from cross-chain statistics.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "sampler/chain.hpp"
#include "sampler/settings.hpp"
#include "util/state_io.hpp"

namespace mcmc::sampler {

/// Element i >= 1 of the base-2 Halton (van der Corput) sequence, in (0, 1): 1/2, 1/4, 3/4, 1/8, ...
double halton(std::uint64_t i);

/// Estimate of the largest eigenvalue of E[x x^T] from the rows of X (n x dim, row-major, n >= 2):
/// E[|x|^4]-free estimator of MEADS (Hoffman & Sountsov 2022, eq. 6):
/// sum_{i != j} (x_i . x_j)^2 / (n (n - 1)) divided by sum_i |x_i|^2 / n.
double max_eigenvalue_estimate(const double* X, std::size_t n, std::size_t dim);

/// The ensemble side of ChEES and MEADS. The driver runs every chain's transition of iteration t
/// (in any order, on any thread), writes the draws, and when all chains are Waiting prepares
/// iteration t + 1: prepare(chains, t + 1) on one thread; then, for each phase k < phases(),
/// gather(k, chains, j) for every statistics block j (any thread, any order) followed by
/// combine(k, chains) on one thread; then apply() for every chain (any thread, any order).
/// A block's statistics depend only on its chains, and combine() and prepare() reduce them in
/// block and chain order, so the draws do not depend on the driver or the number of threads.
class Ensemble {
 public:
  virtual ~Ensemble() = default;

  /// Chains per statistics block: chains [j * kStatBlock, (j + 1) * kStatBlock) form block j.
  static constexpr std::size_t kStatBlock = 64;
  static std::size_t stat_blocks(std::size_t chains) { return (chains + kStatBlock - 1) / kStatBlock; }

  /// All chains are Waiting at iteration `t` (0-based, warm-up first): start learning from their
  /// last transitions (t > 0) and fixing the settings of iteration t. One thread.
  virtual void prepare(std::span<Chain* const> chains, int t) = 0;
  /// The parallel phases that the iteration just prepared needs (0: prepare() did everything).
  virtual int phases() const { return 0; }
  /// Phase `phase`'s statistics of block `block`. Safe to call for different blocks at once.
  virtual void gather(int /*phase*/, std::span<Chain* const> /*chains*/, std::size_t /*block*/) {}
  /// Ends phase `phase` (one thread, after gather() has run for every block).
  virtual void combine(int /*phase*/, std::span<Chain* const> /*chains*/) {}
  /// After the last phase: sets the next transition of chain number `c` (Chain::set_step) if it is
  /// Waiting. Safe to call for different chains from different threads at once.
  virtual void apply(Chain& chain, int c) const = 0;

  /// What the straggler guard (sampler/stragglers.hpp) did during warm-up: chains restarted from
  /// other chains' states, and the chains still far below the ensemble's log density when
  /// warm-up ended (0-based; empty when none, or before the end of warm-up).
  struct StragglerReport {
    std::int64_t restarts = 0;
    std::vector<int> stuck;
  };
  virtual StragglerReport stragglers() const { return {}; }

  /// --checkpoint: the ensemble's state between two iterations (every chain Waiting), to the
  /// last bit. An ensemble without it cannot be checkpointed.
  virtual void save(StateWriter&) const { throw StateError("--checkpoint does not support this algorithm"); }
  virtual void restore(StateReader&) { throw StateError("--checkpoint does not support this algorithm"); }

  /// The whole protocol above on the calling thread.
  void step(std::span<Chain* const> chains, int t) {
    prepare(chains, t);
    const int n = phases();
    for (int k = 0; k < n; ++k) {
      for (std::size_t j = 0; j < stat_blocks(chains.size()); ++j) gather(k, chains, j);
      combine(k, chains);
    }
    for (std::size_t c = 0; c < chains.size(); ++c) apply(*chains[c], static_cast<int>(c));
  }

  /// Throws mcmc::Error(Usage) when the algorithm cannot run with this many chains.
  static std::unique_ptr<Ensemble> make(const SamplerSettings& settings, int num_chains, std::size_t dim);
};

}  // namespace mcmc::sampler

// Ensemble adaptation: ChEES-HMC and MEADS set every chain's next transition from cross-chain statistics.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "sampler/chain.hpp"
#include "sampler/settings.hpp"

namespace mcmc::sampler {

/// Element i >= 1 of the base-2 Halton (van der Corput) sequence, in (0, 1): 1/2, 1/4, 3/4, 1/8, ...
double halton(std::uint64_t i);

/// Estimate of the largest eigenvalue of E[x x^T] from the rows of X (n x dim, row-major, n >= 2):
/// E[|x|^4]-free estimator of MEADS (Hoffman & Sountsov 2022, eq. 6):
/// sum_{i != j} (x_i . x_j)^2 / (n (n - 1)) divided by sum_i |x_i|^2 / n.
double max_eigenvalue_estimate(const double* X, std::size_t n, std::size_t dim);

/// The ensemble side of ChEES and MEADS. The driver runs every chain's transition of iteration t
/// (in any order, on any thread), writes the draws, and when all chains are Waiting calls
/// step(chains, t + 1). Everything here runs on one thread in chain order, so the draws do not
/// depend on the driver.
class Ensemble {
 public:
  virtual ~Ensemble() = default;

  /// All chains are Waiting at iteration `t` (0-based, warm-up first): learn from their last
  /// transitions (t > 0) and set each chain's next one with Chain::set_step.
  virtual void step(std::span<Chain* const> chains, int t) = 0;

  /// Throws mcmc::Error(Usage) when the algorithm cannot run with this many chains.
  static std::unique_ptr<Ensemble> make(const SamplerSettings& settings, int num_chains, std::size_t dim);
};

}  // namespace mcmc::sampler

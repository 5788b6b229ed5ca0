// Multi-path Pathfinder (Zhang, Carpenter, Gelman, Vehtari 2022): normal approximations along L-BFGS paths, PSIS across paths.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "optim/lbfgs_mode.hpp"
#include "sampler/rng.hpp"

namespace mcmc::optim {

/// What one thread needs from the model: the log density with gradient (L-BFGS) and without
/// (the approximation's draws). Each call of a DensityFactory gives an independent instance.
struct Density {
  LogDensity lp_grad;
  std::function<double(std::span<const double> q)> lp;
};
using DensityFactory = std::function<Density()>;

/// CmdStan's pathfinder arguments, with CmdStan's defaults.
struct PathfinderOptions {
  LbfgsOptions lbfgs = [] {
    LbfgsOptions o;
    o.max_iterations = 1000;  // max_lbfgs_iters
    return o;
  }();
  int num_paths = 4;
  int num_draws = 1000;       // draws per path from its best approximation
  int num_elbo_draws = 25;    // Monte Carlo draws per ELBO estimate
  int num_psis_draws = 1000;  // draws resampled across the paths (multi-path)
  int threads = 0;            // paths run side by side on this many threads (0: OpenMP's default)
};

/// One path's outcome.
struct PathReport {
  int path = 0;                     // 0-based
  int lbfgs_iterations = 0;
  int best_iteration = -1;          // the iterate whose approximation had the highest ELBO (-1: none)
  double best_elbo = 0;
  std::int64_t gradient_evals = 0;  // L-BFGS
  std::int64_t density_evals = 0;   // ELBO estimates and the draws (log density only)
  std::string lbfgs_message;
  std::string error;                // why the path gave no draws ("" if it did)
};

struct PathfinderResult {
  std::size_t dim = 0;
  /// Every path's draws from its best approximation, pooled: draw i is
  /// draws[i * dim .. (i + 1) * dim), unconstrained; lp[i] its log density, lq[i] the
  /// approximation's log density there (-inf lp: outside the support).
  std::vector<double> draws, lp, lq;
  std::vector<double> log_weights;  // PSIS-smoothed, normalized log importance weights of the pooled draws
  double k_hat = 0;                 // PSIS's Pareto k of those weights
  std::vector<PathReport> paths;
  std::int64_t gradient_evals = 0;
  std::int64_t density_evals = 0;

  std::size_t num_draws() const { return lp.size(); }
  std::span<const double> draw(std::size_t i) const { return {draws.data() + i * dim, dim}; }
  /// A draw index chosen with probability exp(log_weights) by one uniform variate from `rng`.
  std::size_t pick(sampler::Rng& rng) const;
};

/// The initial point of path p (0-based), drawn from its stream `rng`; must be where the log
/// density is finite (the caller retries or throws).
using InitialPoint = std::function<std::vector<double>(int path, sampler::Rng& rng, Density& density)>;

/// Runs `options.num_paths` single Pathfinder paths, path p with random stream
/// (seed, kPathStream + p), and weights the pooled draws by PSIS. Throws mcmc::Error(Sampling)
/// when no path produced a usable approximation.
PathfinderResult pathfinder(const DensityFactory& density, const InitialPoint& init, const PathfinderOptions& options,
                            std::uint64_t seed);

/// The random streams Pathfinder uses: path p draws from (seed, kPathStream + p); the final
/// resampling of `mcmc pathfinder` from (seed, kResampleStream). (Chains use (seed, c) and
/// generated quantities (seed, 2^32 + c).)
constexpr std::uint64_t kPathStream = 3ull << 32;
constexpr std::uint64_t kResampleStream = 4ull << 32;

}  // namespace mcmc::optim

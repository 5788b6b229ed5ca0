// Pareto-smoothed importance sampling (Vehtari, Simpson, Gelman, Yao, Gabry 2024): smoothed log weights and k-hat.
#pragma once

#include <vector>

namespace mcmc::optim {

struct PsisResult {
  std::vector<double> log_weights;  // smoothed, normalized (log-sum-exp 0); -inf where the ratio was not finite
  double k_hat = 0;                 // the Pareto shape of the fitted tail (NaN when the tail was too short to fit)
};

/// PSIS of the log importance ratios `log_ratios` (log p - log q per draw), as R's loo::psis
/// with r_eff = 1: the largest min(0.2 S, 3 sqrt(S)) ratios replaced by the expected order
/// statistics of a generalized Pareto fitted to them (Zhang & Stephens 2009, with loo's weakly
/// informative prior on k), then truncated at the largest raw ratio. Ratios that are not finite
/// (-inf, NaN) get weight 0.
PsisResult psis(const std::vector<double>& log_ratios);

/// The generalized Pareto fit of loo::gpdfit to `x` (> 0, any order): shape k and scale sigma.
void gpd_fit(std::vector<double> x, double& k, double& sigma);

}  // namespace mcmc::optim

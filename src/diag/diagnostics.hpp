// Convergence diagnostics computed exactly as R's `posterior` package computes them.
#pragma once

#include <span>
#include <vector>

namespace mcmc::diag {

/// Draws of one quantity: chains[c][i] is draw i of chain c (all chains the same length).
using Chains = std::vector<std::span<const double>>;

double rhat(const Chains& x);         // max(rhat_bulk, rhat_tail): rank-normalized split R-hat (Vehtari et al. 2021)
double rhat_basic(const Chains& x);   // split R-hat without rank normalization
double ess_bulk(const Chains& x);     // ESS of rank-normalized split chains
double ess_tail(const Chains& x);     // min of ESS of the 5% and 95% quantile indicators
double ess_basic(const Chains& x);    // ESS of the (split) draws as they are (posterior's ess_basic)
double ess_mean(const Chains& x);     // ESS for the mean (posterior's ess_mean: no split)
double ess_quantile(const Chains& x, double prob);
double mcse_mean(const Chains& x);    // sd / sqrt(ess_mean)
double mcse_quantile(const Chains& x, double prob);
/// Quantile with R's type 7 interpolation over all draws pooled.
double quantile(const Chains& x, double prob);
/// Everything summarize() reports about one quantity, computed in one pass that shares the split chains,
/// the rank normalizations (bulk and folded), the sorted draws and the FFT work between the diagnostics.
/// Each field equals what the function of the same name returns (R-hat, quantiles, mean, sd, mad bit for
/// bit; ESS and MCSE up to FFT rounding, about 1e-15 relative).
struct QuantityDiagnostics {
  double mean = 0.0;       // over all draws pooled
  double sd = 0.0;
  double mad = 0.0;        // R's mad()
  double mcse_mean = 0.0;
  double ess_bulk = 0.0;
  double ess_tail = 0.0;
  double rhat = 0.0;
  std::vector<double> quantiles;  // type 7, at the requested probs in order
};
/// Throws std::invalid_argument for chains of unequal lengths or a probability outside [0, 1].
QuantityDiagnostics diagnose(const Chains& x, const std::vector<double>& probs);

/// E-BFMI of one chain from its energy__ column.
double ebfmi(std::span<const double> energy);

}  // namespace mcmc::diag

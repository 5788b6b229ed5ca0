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
/// E-BFMI of one chain from its energy__ column.
double ebfmi(std::span<const double> energy);

}  // namespace mcmc::diag

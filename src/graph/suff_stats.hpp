// Iid likelihoods of constant data with scalar parameters, reduced to sufficient statistics.
#pragma once

#include <span>
#include <vector>

#include "graph/distributions.hpp"

namespace mcmc::graph {

/// The index of the first argument of `d` that may depend on parameters when its log density
/// can be computed from statistics of the constant arguments before it (the variate, and the
/// number of trials of the binomial families); 0 when `d` has no such reduction here.
int suff_first_param(Dist d);

/// The statistics of the constant variate `y` (and `trials`, size 1 or y.size(), for the
/// binomial families) into `stats`. False, leaving the elementwise evaluation in place, when some
/// element is outside the support or not finite: the elementwise path then keeps its behaviour.
bool suff_stats(Dist d, std::span<const double> y, std::span<const double> trials,
                std::vector<double>& stats);

/// The statistics of normal(y | a + b * x, sigma) for constant vectors y and x, for scalar a, b
/// and sigma (suff_lpdf with Dist::Normal). False when some element is not finite or x is
/// constant.
bool normal_linear_stats(std::span<const double> y, std::span<const double> x, std::vector<double>& stats);

/// The log density summed over the elements, from `stats`, at the scalar arguments `x` (those
/// from suff_first_param(d) on; for Dist::Normal, the linear form: a, b, sigma); `dx` receives
/// its partials. `var` and `propto` as in dist_term (bit j of `var`: argument j of the
/// distribution, variate first; for Dist::Normal bit 1 stands for a and b), and the same terms
/// are kept.
double suff_lpdf(Dist d, const double* stats, const double* x, double* dx, unsigned var, bool propto);

}  // namespace mcmc::graph

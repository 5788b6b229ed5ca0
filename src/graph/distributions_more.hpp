// Log densities and log cdfs of the distributions added after the first set (skew_normal, ..., hypergeometric), with their partials.
#pragma once

#include "graph/distributions.hpp"

namespace mcmc::graph {

/// As dist_term's log density for the distributions of distributions_more.cpp (NaN for others).
double lpdf_more(Dist dist, const double* x, double* d, unsigned var, bool propto);
/// As cdf_term for them.
double cdf_more(Dist dist, DistKind kind, const double* x, double* d);

}  // namespace mcmc::graph

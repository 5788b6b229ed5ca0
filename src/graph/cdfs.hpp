// Log cumulative distribution functions (lower and upper tail) of the built-in distributions, with their partials.
#pragma once

#include "graph/distributions.hpp"

namespace mcmc::graph {

/// One element's log CDF (kind Lcdf) or log CCDF (Lccdf) at x = {variate, parameters...}, with
/// the partial derivative with respect to each argument in d (zeroed by the caller). Out-of-support
/// parameters give NaN; a variate below (above) the support gives -inf (0) for the CDF.
/// Used by dist_term for the distributions whose DistInfo::cdf is set.
double cdf_term(Dist dist, DistKind kind, const double* x, double* d);

}  // namespace mcmc::graph

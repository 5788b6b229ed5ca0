// Boost.Math as the graph uses it: no exceptions (bad arguments give NaN), double precision, and a difference quotient for derivatives Boost does not provide.
#pragma once

#include <boost/math/policies/policy.hpp>

namespace mcmc::graph {

using BoostPolicy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::pole_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::underflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>,
    boost::math::policies::promote_double<false>>;

/// The derivative of a smooth function with respect to a shape parameter s > 0 of an incomplete
/// gamma or beta function, which Boost.Math does not provide: a five-point central difference
/// with step 1e-3 s (truncation error O(h^4), relative accuracy about 1e-10 here).
template <class F>
double shape_derivative(F f, double s) {
  const double h = 1e-3 * s;
  return (8 * (f(s + h) - f(s - h)) - (f(s + 2 * h) - f(s - 2 * h))) / (12 * h);
}

}  // namespace mcmc::graph

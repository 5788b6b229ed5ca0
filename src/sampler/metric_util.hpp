// Checks and bounds shared by the metrics.
#pragma once

#include <cmath>
#include <span>
#include <stdexcept>
#include <string>

namespace mcmc::sampler {

/// Bounds of an adapted variance (nutpie's): outside them a leapfrog step is meaningless.
constexpr double kMinVariance = 1e-20;
constexpr double kMaxVariance = 1e20;

/// Throws std::invalid_argument naming the first entry that is not positive and finite (1-based).
inline void check_positive_diagonal(std::span<const double> v, std::size_t stride = 1) {
  for (std::size_t i = 0; i * stride < v.size(); ++i) {
    const double x = v[i * stride];
    if (!(x > 0) || !std::isfinite(x))
      throw std::invalid_argument("diagonal element " + std::to_string(i + 1) + " of the inverse metric is " +
                                  std::to_string(x) + ", not a positive number");
  }
}

}  // namespace mcmc::sampler

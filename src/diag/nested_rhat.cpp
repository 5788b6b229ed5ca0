// Nested R-hat: between-superchain variance against the within-superchain variance.
#include "diag/nested_rhat.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace mcmc::diag {

double nested_rhat(const Chains& x, int superchains) {
  const std::size_t C = x.size();
  const std::size_t K = superchains > 0 ? static_cast<std::size_t>(superchains) : 0;
  if (K < 2 || C % K != 0)
    throw std::invalid_argument("nested R-hat: " + std::to_string(superchains) + " superchains do not divide " +
                                std::to_string(C) + " chains into equal groups of at least one (need 2 or more)");
  const std::size_t M = C / K;
  const std::size_t N = x.front().size();
  for (const auto& c : x)
    if (c.size() != N || N == 0) throw std::invalid_argument("nested R-hat: chains of different or zero length");
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> chain_mean(C), within(C, 0.0);
  for (std::size_t c = 0; c < C; ++c) {
    double s = 0;
    for (double v : x[c]) {
      if (!std::isfinite(v)) return nan;
      s += v;
    }
    chain_mean[c] = s / static_cast<double>(N);
    if (N > 1) {
      double ss = 0;
      for (double v : x[c]) ss += (v - chain_mean[c]) * (v - chain_mean[c]);
      within[c] = ss / static_cast<double>(N - 1);
    }
  }
  std::vector<double> super_mean(K, 0.0);
  double W = 0;
  for (std::size_t k = 0; k < K; ++k) {
    double m = 0, wk = 0;
    for (std::size_t j = 0; j < M; ++j) {
      m += chain_mean[k * M + j];
      wk += within[k * M + j];
    }
    m /= static_cast<double>(M);
    wk /= static_cast<double>(M);
    double bk = 0;
    if (M > 1) {
      for (std::size_t j = 0; j < M; ++j) bk += (chain_mean[k * M + j] - m) * (chain_mean[k * M + j] - m);
      bk /= static_cast<double>(M - 1);
    }
    super_mean[k] = m;
    W += (bk + wk) / static_cast<double>(K);
  }
  double grand = 0;
  for (double m : super_mean) grand += m / static_cast<double>(K);
  double B = 0;
  for (double m : super_mean) B += (m - grand) * (m - grand);
  B /= static_cast<double>(K - 1);
  if (!(W > 0)) return nan;
  return std::sqrt(1 + B / W);
}

}  // namespace mcmc::diag

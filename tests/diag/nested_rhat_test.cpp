// Nested R-hat against a hand computation and on converged / non-converged ensembles of short chains.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include "diag/nested_rhat.hpp"

using namespace mcmc::diag;

namespace {
Chains view(const std::vector<std::vector<double>>& v) {
  Chains c;
  for (const auto& x : v) c.emplace_back(x);
  return c;
}
}  // namespace

TEST_CASE("nested R-hat by hand: 2 superchains of 2 chains of 3 draws") {
  const std::vector<std::vector<double>> d = {{1, 2, 3}, {2, 3, 4}, {5, 6, 7}, {7, 8, 9}};
  // Chain means 2, 3, 6, 8; within-chain variances 1 each. Superchain means 2.5 and 7; B_k of the
  // chain means: 0.5 and 2; W = ((0.5 + 1) + (2 + 1)) / 2 = 2.25; grand mean 4.75;
  // B = ((2.5 - 4.75)^2 + (7 - 4.75)^2) / 1 = 10.125.
  CHECK(nested_rhat(view(d), 2) == doctest::Approx(std::sqrt(1 + 10.125 / 2.25)).epsilon(1e-14));
  // One chain per superchain: B_k = 0, and R-hat's between / within of the chains.
  const double W = 1, B = (std::pow(2 - 4.75, 2) + std::pow(3 - 4.75, 2) + std::pow(6 - 4.75, 2) + std::pow(8 - 4.75, 2)) / 3;
  CHECK(nested_rhat(view(d), 4) == doctest::Approx(std::sqrt(1 + B / W)).epsilon(1e-14));
  CHECK_THROWS_AS(nested_rhat(view(d), 3), std::invalid_argument);
  CHECK_THROWS_AS(nested_rhat(view(d), 1), std::invalid_argument);
}

TEST_CASE("nested R-hat: near 1 for independent draws, large when superchains disagree, even with 2 draws per chain") {
  std::mt19937_64 gen(3);
  std::normal_distribution<double> normal;
  const int C = 1024, N = 2, K = 64;
  std::vector<std::vector<double>> good(C, std::vector<double>(N)), bad = good;
  for (int c = 0; c < C; ++c)
    for (int n = 0; n < N; ++n) {
      good[c][n] = normal(gen);
      bad[c][n] = good[c][n] + (c / (C / K) % 2 == 0 ? 0.0 : 1.0);  // half the superchains shifted by 1 sd
    }
  const double r_good = nested_rhat(view(good), K), r_bad = nested_rhat(view(bad), K);
  // Independent draws: B ~ var of a superchain mean = 1/(M N) = 1/32, W ~ 0.5 (chain means of 2
  // draws) + 1 (within) = 1.5, so nR ~ sqrt(1 + 0.021) = 1.010. Shifting half the superchains by
  // 1 adds 0.25 to B: nR ~ sqrt(1 + 0.28 / 1.5) = 1.09. (Split R-hat has no split of 2 draws.)
  CHECK(r_good < 1.03);
  CHECK(r_good > 1.0);
  CHECK(r_bad > 1.06);
}

// Dual averaging and the regularized Welford variance against hand-computed values of Stan's formulas.
#include <doctest/doctest.h>

#include <cmath>

#include "sampler/metric_adaptation.hpp"
#include "sampler/stepsize_adaptation.hpp"

using namespace mcmc::sampler;

TEST_CASE("dual averaging follows Stan's stepsize_adaptation") {
  DualAveraging da(0.8, 0.05, 0.75, 10);
  da.set_mu(std::log(10.0));
  da.restart();
  // t = 1, accept = delta: s_bar = 0, x = mu, x_bar = x.
  CHECK(da.learn(0.8) == doctest::Approx(10.0));
  CHECK(da.final_stepsize() == doctest::Approx(10.0));
  // t = 2, accept 1.5 is clipped to 1: s_bar = (0.8 - 1) / 12, x = mu - s_bar sqrt(2) / 0.05.
  const double s_bar = (0.8 - 1.0) / 12.0;
  const double x = std::log(10.0) - s_bar * std::sqrt(2.0) / 0.05;
  CHECK(da.learn(1.5) == doctest::Approx(std::exp(x)));
  const double w = std::pow(2.0, -0.75);
  CHECK(da.final_stepsize() == doctest::Approx(std::exp((1 - w) * std::log(10.0) + w * x)));
  // restart() forgets the history: the next update is again the first one.
  da.restart();
  CHECK(da.learn(0.8) == doctest::Approx(10.0));
}

TEST_CASE("Welford variance with Stan's regularization") {
  WelfordVariance w(2);
  for (double v : {1.0, 2.0, 3.0, 4.0}) w.add_sample(std::vector<double>{v, 10 * v});
  std::vector<double> var{1.0, 1.0};
  REQUIRE(w.regularized_variance(var));
  const double n = 4;
  CHECK(var[0] == doctest::Approx((n / (n + 5)) * (5.0 / 3.0) + 1e-3 * (5 / (n + 5))));
  CHECK(var[1] == doctest::Approx((n / (n + 5)) * (500.0 / 3.0) + 1e-3 * (5 / (n + 5))));
  w.restart();
  CHECK(w.num_samples() == 0);
  // With fewer than two samples the old variance is kept, then shrunk as Stan does.
  w.add_sample(std::vector<double>{3.0, 3.0});
  std::vector<double> keep{2.0, 2.0};
  REQUIRE(w.regularized_variance(keep));
  CHECK(keep[0] == doctest::Approx((1.0 / 6.0) * 2.0 + 1e-3 * (5.0 / 6.0)));
}

TEST_CASE("Welford accumulators merged in blocks agree with one pass") {
  // The ensemble pools chains block by block (blocks of various sizes, an empty one included).
  std::vector<std::vector<double>> xs;
  for (int i = 0; i < 23; ++i) xs.push_back({std::sin(i * 1.3) * 5 + 100, std::cos(i * 0.7) * 1e-3});
  WelfordVariance one(2), merged(2);
  for (const auto& x : xs) one.add_sample(x);
  std::size_t lo = 0;
  for (std::size_t size : {5u, 0u, 1u, 9u, 8u}) {
    WelfordVariance block(2);
    for (std::size_t i = lo; i < lo + size; ++i) block.add_sample(xs[i]);
    merged.merge(block);
    lo += size;
  }
  REQUIRE(lo == xs.size());
  CHECK(merged.num_samples() == one.num_samples());
  std::vector<double> a{1.0, 1.0}, b{1.0, 1.0};
  REQUIRE(one.regularized_variance(a));
  REQUIRE(merged.regularized_variance(b));
  for (int i = 0; i < 2; ++i) CHECK(b[i] == doctest::Approx(a[i]).epsilon(1e-12));
}

// PSIS: normalized weights, the Pareto k of known tails, ratios that are not finite.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "optim/psis.hpp"
#include "sampler/rng.hpp"

using namespace mcmc;

namespace {
double sum_exp(const std::vector<double>& lw) {
  double s = 0;
  for (double w : lw) s += std::exp(w);
  return s;
}
}  // namespace

TEST_CASE("PSIS of equal ratios gives equal weights") {
  const optim::PsisResult r = optim::psis(std::vector<double>(100, 1.5));
  CHECK(sum_exp(r.log_weights) == doctest::Approx(1));
  for (double w : r.log_weights) CHECK(w == doctest::Approx(std::log(0.01)));
}

TEST_CASE("PSIS estimates the Pareto k of a known tail") {
  // Ratios w = u^(-k): a Pareto tail of shape k.
  for (double k : {0.3, 0.8}) {
    sampler::Rng rng(7, 0);
    std::vector<double> lr(4000);
    for (double& x : lr) x = -k * std::log(rng.uniform_pos());
    const optim::PsisResult r = optim::psis(lr);
    CAPTURE(k);
    CHECK(r.k_hat == doctest::Approx(k).epsilon(0.2));
    CHECK(sum_exp(r.log_weights) == doctest::Approx(1));
  }
}

TEST_CASE("PSIS gives weight 0 to ratios that are not finite") {
  std::vector<double> lr(50, 0.0);
  lr[3] = -std::numeric_limits<double>::infinity();
  lr[7] = std::numeric_limits<double>::quiet_NaN();
  const optim::PsisResult r = optim::psis(lr);
  CHECK(std::isinf(r.log_weights[3]));
  CHECK(std::isinf(r.log_weights[7]));
  CHECK(sum_exp(r.log_weights) == doctest::Approx(1));
  CHECK(r.log_weights[0] == doctest::Approx(std::log(1.0 / 48)));
}

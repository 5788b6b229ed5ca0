// L-BFGS to the mode: exact maxima of known densities, CmdStan's stopping rules, steps back from outside the support.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "optim/lbfgs_mode.hpp"
#include "util/error.hpp"

using namespace mcmc;

namespace {

/// A correlated Gaussian log density with mean m and precision P (2-d).
optim::LogDensity gaussian2(double m0, double m1, double p00, double p01, double p11) {
  return [=](std::span<const double> q, std::span<double> g) {
    const double d0 = q[0] - m0, d1 = q[1] - m1;
    g[0] = -(p00 * d0 + p01 * d1);
    g[1] = -(p01 * d0 + p11 * d1);
    return -0.5 * (d0 * (p00 * d0 + p01 * d1) + d1 * (p01 * d0 + p11 * d1));
  };
}

}  // namespace

TEST_CASE("L-BFGS finds the mode of a correlated Gaussian and records its path") {
  const optim::LbfgsResult r = optim::maximize(gaussian2(3, -2, 2.0, 1.9, 2.0), {10.0, 10.0}, {});
  CHECK(r.converged);
  CHECK(r.x[0] == doctest::Approx(3).epsilon(1e-4));  // CmdStan's default tolerances
  CHECK(r.x[1] == doctest::Approx(-2).epsilon(1e-4));
  CHECK(std::fabs(r.lp) < 1e-8);
  REQUIRE(r.path.size() == static_cast<std::size_t>(r.iterations) + 1);
  CHECK(r.path.front().x == std::vector<double>{10.0, 10.0});
  for (std::size_t k = 1; k < r.path.size(); ++k) CHECK(r.path[k].lp >= r.path[k - 1].lp);  // ascent
  CHECK(r.evaluations >= r.iterations);
  CHECK(r.message.find("Convergence detected") == 0);
}

TEST_CASE("L-BFGS on the Rosenbrock function reaches (1, 1)") {
  optim::LogDensity f = [](std::span<const double> q, std::span<double> g) {
    const double a = 1 - q[0], b = q[1] - q[0] * q[0];
    g[0] = 2 * a + 400 * q[0] * b;
    g[1] = -200 * b;
    return -(a * a + 100 * b * b);
  };
  optim::LbfgsOptions o;
  o.tol_rel_grad = 0;  // only the absolute tests, tight
  o.tol_rel_obj = 0;
  o.tol_obj = 0;
  o.tol_grad = 1e-10;
  o.tol_param = 0;
  const optim::LbfgsResult r = optim::maximize(f, {-1.2, 1.0}, o);
  CHECK(r.x[0] == doctest::Approx(1).epsilon(1e-6));
  CHECK(r.x[1] == doctest::Approx(1).epsilon(1e-6));
}

TEST_CASE("L-BFGS steps back from points outside the support") {
  // log density of Gamma(3, 1) on x > 0 with no transform: -inf at x <= 0; mode 2.
  optim::LogDensity f = [](std::span<const double> q, std::span<double> g) {
    if (q[0] <= 0) {
      g[0] = std::numeric_limits<double>::quiet_NaN();
      return -std::numeric_limits<double>::infinity();
    }
    g[0] = 2 / q[0] - 1;
    return 2 * std::log(q[0]) - q[0];
  };
  const optim::LbfgsResult r = optim::maximize(f, {0.01}, {});
  CHECK(r.converged);
  CHECK(r.x[0] == doctest::Approx(2).epsilon(1e-6));
}

TEST_CASE("L-BFGS stops at --iter, and refuses an initial point where the density is not finite") {
  optim::LbfgsOptions o;
  o.max_iterations = 2;
  const optim::LbfgsResult r = optim::maximize(gaussian2(3, -2, 2.0, 1.99, 2.0), {10.0, 10.0}, o);
  CHECK(r.iterations == 2);
  CHECK_FALSE(r.converged);
  CHECK(r.message == "Maximum number of iterations hit, may not be at an optima");
  CHECK_FALSE(r.failed);  // running out of iterations is not an error (CmdStan: "terminated normally")
  optim::LogDensity bad = [](std::span<const double>, std::span<double> g) {
    g[0] = 0;
    return -std::numeric_limits<double>::infinity();
  };
  CHECK_THROWS_AS(optim::maximize(bad, {0.0}, {}), Error);
}

TEST_CASE("L-BFGS reports a failed line search as a failure (a gradient that points downhill)") {
  // lp = -x^2 with the gradient's sign flipped: no step along the search direction increases lp.
  optim::LogDensity wrong = [](std::span<const double> q, std::span<double> g) {
    g[0] = 2 * q[0];
    return -q[0] * q[0];
  };
  const optim::LbfgsResult r = optim::maximize(wrong, {1.0}, {});
  CHECK(r.failed);
  CHECK_FALSE(r.converged);
  CHECK(r.message == "Line search failed to achieve a sufficient decrease, no more progress can be made");
  CHECK(r.x[0] == 1.0);  // the last (here: initial) iterate
}

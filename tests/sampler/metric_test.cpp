// The metrics (diag, dense, low-rank) and adaptations (stan, gradient): algebra, momentum draws, and
// adapted metrics that recover a correlated Gaussian's covariance.
#include <doctest/doctest.h>

#include <Eigen/Dense>

#include <cmath>
#include <stdexcept>

#include "sampler/metric.hpp"
#include "sampler_test_util.hpp"

using namespace mcmc::sampler;
using namespace mcmc::sampler::testing;

namespace {

Eigen::MatrixXd as_matrix(const std::vector<double>& e, std::size_t n) {
  Eigen::MatrixXd m(n, n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) m(i, j) = e.size() == n ? (i == j ? e[i] : 0.0) : e[i * n + j];
  return m;
}

/// A Gaussian with covariance `sigma`.
Density gaussian(const Eigen::MatrixXd& sigma) {
  const Eigen::MatrixXd prec = sigma.inverse();
  return [prec](const std::vector<double>& q, std::vector<double>& g) {
    const Eigen::Map<const Eigen::VectorXd> x(q.data(), q.size());
    const Eigen::VectorXd gx = -(prec * x);
    for (std::size_t i = 0; i < q.size(); ++i) g[i] = gx[i];
    return 0.5 * x.dot(gx);
  };
}

/// The extreme eigenvalues of sigma^-1/2 M^-1 sigma^-1/2: how far the metric is from the
/// covariance (1 and 1 for a perfect metric; the condition number NUTS meets is their ratio).
std::pair<double, double> spread(const Eigen::MatrixXd& inv_metric, const Eigen::MatrixXd& sigma) {
  Eigen::GeneralizedSelfAdjointEigenSolver<Eigen::MatrixXd> eig(inv_metric, sigma);
  return {eig.eigenvalues().minCoeff(), eig.eigenvalues().maxCoeff()};
}

/// An AR(1) correlation (rho) with scales spanning two decades: Stan's diagonal metric cannot
/// undo the correlation (the condition number stays (1 + rho) / (1 - rho)).
Eigen::MatrixXd ar1_covariance(int n, double rho) {
  Eigen::MatrixXd s(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      const double si = std::pow(10.0, 2.0 * i / (n - 1) - 1), sj = std::pow(10.0, 2.0 * j / (n - 1) - 1);
      s(i, j) = si * sj * std::pow(rho, std::abs(i - j));
    }
  return s;
}

}  // namespace

TEST_CASE("each metric's velocity, kinetic energy and elements agree; momenta have covariance M") {
  const std::size_t n = 3;
  Eigen::MatrixXd inv(3, 3);
  inv << 2.0, 0.6, 0.1, 0.6, 1.0, -0.3, 0.1, -0.3, 0.5;
  std::vector<double> dense(9);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) dense[i * 3 + j] = inv(i, j);
  for (const char* name : {"diag", "dense", "lowrank"}) {
    CAPTURE(name);
    std::unique_ptr<Metric> m = std::string(name) == "dense" ? make_metric(name, n, dense)
                                                             : make_metric(name, n, std::vector<double>{2.0, 1.0, 0.5});
    const Eigen::MatrixXd e = as_matrix(m->elements(), n);
    const std::vector<double> p = {0.3, -1.2, 0.7};
    std::vector<double> v;
    m->velocity(p, v);
    const Eigen::VectorXd ev = e * Eigen::Map<const Eigen::VectorXd>(p.data(), 3);
    for (int i = 0; i < 3; ++i) CHECK(v[i] == doctest::Approx(ev[i]).epsilon(1e-12));
    CHECK(m->kinetic(p) == doctest::Approx(0.5 * Eigen::Map<const Eigen::VectorXd>(p.data(), 3).dot(ev)));
    for (int i = 0; i < 3; ++i) CHECK(m->inverse_diagonal()[i] == doctest::Approx(e(i, i)));
    // Momentum draws: their covariance is M = (M^-1)^-1 (Monte Carlo, 40000 draws: within 5%).
    Rng rng(7, 1);
    Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(3, 3);
    const int draws = 40000;
    std::vector<double> q;
    for (int k = 0; k < draws; ++k) {
      m->sample_momentum(q, rng);
      const Eigen::Map<const Eigen::VectorXd> x(q.data(), 3);
      cov += x * x.transpose();
    }
    cov /= draws;
    const auto [lo, hi] = spread(cov.inverse(), e);
    CHECK(lo > 0.95);
    CHECK(hi < 1.05);
  }
}

TEST_CASE("bad metrics are refused with the reason") {
  CHECK_THROWS_WITH_AS(make_metric("diag", 2, std::vector<double>{1.0, -1.0}),
                       doctest::Contains("diagonal element 2"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(make_metric("diag", 2, std::vector<double>{1.0, 2.0, 3.0}),
                       doctest::Contains("3 values but the model has 2"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(make_metric("dense", 2, std::vector<double>{1.0, 2.0, 2.0, 1.0}),
                       doctest::Contains("not positive definite"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(make_metric("dense", 2, std::vector<double>{1.0, 0.5, 0.1, 1.0}),
                       doctest::Contains("not symmetric"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(make_metric("lowrank", 2, std::vector<double>{1.0, 0.5, 0.5, 1.0}),
                       doctest::Contains("--metric dense"), std::invalid_argument);
  CHECK_THROWS_AS(make_metric("nope", 2, {}), std::invalid_argument);
}

TEST_CASE("dense and low-rank adaptation recover a correlated Gaussian's covariance; diagonal cannot") {
  const int n = 8;
  const Eigen::MatrixXd sigma = ar1_covariance(n, 0.95);
  const Density f = gaussian(sigma);
  struct Case {
    const char* metric;
    const char* adapt;
    double lo, hi;  // bounds of the spread's eigenvalues
  };
  // The diagonal metric leaves the correlation: spread of about (1 - rho) / (1 + rho) .. (1 + rho) / (1 - rho).
  for (const Case c : {Case{"dense", "stan", 0.6, 1.6}, Case{"dense", "gradient", 0.6, 1.6},
                       Case{"lowrank", "stan", 0.4, 2.5}, Case{"lowrank", "gradient", 0.4, 2.5}}) {
    CAPTURE(c.metric);
    CAPTURE(c.adapt);
    SamplerSettings s;
    s.metric = c.metric;
    s.adapt = c.adapt;
    s.samples = 10;
    Chain chain = make_chain(s, 11, 0, f, std::vector<double>(n, 0.5));
    Draws out;
    while (step(chain, f, out)) {
    }
    REQUIRE(out.failure.empty());
    REQUIRE(chain.metric().dense());
    const auto [lo, hi] = spread(as_matrix(chain.metric().elements(), n), sigma);
    CHECK(lo > c.lo);
    CHECK(hi < c.hi);
  }
  SamplerSettings s;
  s.samples = 10;
  Chain chain = make_chain(s, 11, 0, f, std::vector<double>(n, 0.5));
  Draws out;
  while (step(chain, f, out)) {
  }
  const auto [lo, hi] = spread(as_matrix(chain.metric().elements(), n), sigma);
  CHECK(hi / lo > 10);
}

TEST_CASE("gradient-based diagonal adaptation finds the variances of scaled normals") {
  const std::vector<double> sd = {1.0, 10.0, 0.1, 3.0};
  SamplerSettings s;
  s.adapt = "gradient";
  s.samples = 200;
  Draws out = run_chain(s, 3, 0, scaled_normal(sd), {0.5, -0.5, 0.2, 1.0});
  REQUIRE(out.failure.empty());
  for (std::size_t i = 0; i < sd.size(); ++i) {
    CAPTURE(i);
    CHECK(out.inv_metric[i] == doctest::Approx(sd[i] * sd[i]).epsilon(0.2));
  }
  // A fixed metric (adapt_metric = false) stays as given; the step size still adapts.
  s.adapt_metric = false;
  s.inv_metric = {1.0, 100.0, 0.01, 9.0};
  Draws fixed = run_chain(s, 3, 0, scaled_normal(sd), {0.5, -0.5, 0.2, 1.0});
  CHECK(fixed.inv_metric == s.inv_metric);
  CHECK(fixed.step_size > 0.3);
}

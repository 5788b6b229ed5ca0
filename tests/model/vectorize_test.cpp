// Loops compiled as vector nodes (CompileOptions::vectorize_loops) give the log density and gradient of the scalar compilation.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "tests/model/model_test_util.hpp"

using mcmc::model::CompileOptions;
using mcmc::test::compile;
using mcmc::test::Data;

namespace {


// Log density and gradient of the two compilations at `points` random points in [-r, r]^d
// (and at 0): equal to 1e-12, relative to the larger of the value and the gradient's largest
// element. Both with sufficient statistics on and off for the unvectorized reference.
void compare(const mcmc::model::Model& fast, const mcmc::model::Model& slow, double r, int points,
             std::uint64_t seed) {
  REQUIRE(fast.dim() == slow.dim());
  const std::size_t dim = fast.dim();
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-r, r);
  for (int p = 0; p < points; ++p) {
    std::vector<double> q(dim, 0.0), g1, g2;
    if (p > 0)
      for (double& v : q) v = u(rng);
    double l1 = mcmc::test::logp_grad(fast, q, g1), l2 = mcmc::test::logp_grad(slow, q, g2);
    INFO("point " << p << ": " << l1 << " vs " << l2);
    if (!std::isfinite(l2)) {
      CHECK((l1 == l2 || (std::isnan(l1) && std::isnan(l2))));
      continue;
    }
    CHECK(std::fabs(l1 - l2) <= 1e-12 * std::fabs(l2));
    double scale = 0;
    for (double v : g2) scale = std::max(scale, std::fabs(v));
    for (std::size_t i = 0; i < dim; ++i) {
      INFO("coordinate " << i << ": " << g1[i] << " vs " << g2[i]);
      CHECK(std::fabs(g1[i] - g2[i]) <= 1e-12 * std::max(std::fabs(g2[i]), scale));
    }
  }
}

void compare_conformance(const std::string& name, double r, std::uint64_t seed) {
  auto fast = mcmc::test::conformance_model(name, {});
  auto slow = mcmc::test::conformance_model(name, CompileOptions{.vectorize_loops = false});
  compare(*fast, *slow, r, 12, seed);
  auto fast_elementwise = mcmc::test::conformance_model(name, CompileOptions{.sufficient_statistics = false});
  auto slow_elementwise =
      mcmc::test::conformance_model(name, CompileOptions{.sufficient_statistics = false, .vectorize_loops = false});
  compare(*fast_elementwise, *slow_elementwise, r, 12, seed + 1);
}

std::size_t tape_nodes(const std::string& name, bool vectorize) {
  return mcmc::test::conformance_model(name, CompileOptions{.vectorize_loops = vectorize})->tape().num_ops();
}

}  // namespace

TEST_CASE("vectorized loops: the three scalar-loop conformance models") {
  SUBCASE("arK") { compare_conformance("arK-arK", 0.5, 1); }
  SUBCASE("garch") { compare_conformance("garch-garch11", 1.0, 2); }
  SUBCASE("gaussian mixture") { compare_conformance("low_dim_gauss_mix-low_dim_gauss_mix", 1.0, 3); }
}

TEST_CASE("vectorized loops: the other conformance models are unchanged in value") {
  for (const char* name : {"eight_schools-eight_schools_noncentered", "earnings-logearn_interaction_z",
                           "kidiq-kidscore_momiq", "kidiq_with_mom_work-kidscore_mom_work",
                           "mesquite-logmesquite_logvolume"}) {
    INFO(name);
    compare_conformance(name, 1.0, 4);
  }
}

TEST_CASE("vectorized loops: the tape shrinks") {
  // arK: one node per scalar operation and time step before; a few vector nodes after.
  CHECK(tape_nodes("arK-arK", true) * 20 < tape_nodes("arK-arK", false));
  CHECK(tape_nodes("low_dim_gauss_mix-low_dim_gauss_mix", true) * 20 <
        tape_nodes("low_dim_gauss_mix-low_dim_gauss_mix", false));
  // garch: the recursion stays scalar; its likelihood terms become one node.
  CHECK(tape_nodes("garch-garch11", true) < tape_nodes("garch-garch11", false));
}

TEST_CASE("vectorized loops: shapes of loop bodies") {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> z;
  std::vector<double> y(40), x(40);
  std::vector<double> n(40);
  for (std::size_t i = 0; i < y.size(); ++i) {
    y[i] = z(rng);
    x[i] = z(rng);
    n[i] = static_cast<double>(i % 5);
  }
  Data d;
  d.scalar("N", 40).vec("y", y).vec("x", x).ints("n", n);
  const char* bodies[] = {
      // iid normal in a loop (reduced to sufficient statistics when vectorized)
      "y[i] ~ normal(mu, sigma);",
      "target += normal_lpdf(y[i] | mu, sigma);",
      // simple regression in a loop
      "y[i] ~ normal(mu + b * x[i], sigma);",
      // per-element scale and location from parameters
      "y[i] ~ normal(mu * x[i], exp(b * x[i]));",
      // a mixture with log_sum_exp of two elementwise densities
      "target += log_sum_exp(log(w) + normal_lpdf(y[i] | mu, sigma), log1m(w) + normal_lpdf(y[i] | b, 1));",
      // other families and kinds
      "n[i] ~ poisson_log(mu + b * x[i]);",
      "target += student_t_lpdf(y[i] | 3, mu, sigma) + cauchy_lpdf(x[i] | b, sigma);",
      "target += normal_lcdf(y[i] | mu, sigma);",
      "target += normal_lccdf(x[i] | mu * b, sigma);",
      // a recursion through a local variable
      "acc = acc * w + y[i]; target += normal_lpdf(acc | mu, sigma);",
      // the same term every iteration (stays one term per iteration)
      "target += log(sigma);",
      // terms that differ between iterations: some data-dependent branches
      "if (n[i] > 2) target += normal_lpdf(y[i] | mu, sigma); else target += normal_lpdf(y[i] | b, sigma);",
      // a parameter vector indexed by data
      "y[i] ~ normal(v[n[i] + 1], sigma);",
  };
  for (const char* body : bodies) {
    std::string src = R"(
data { int N; vector[N] y; vector[N] x; array[N] int n; }
parameters { real mu; real b; real<lower=0> sigma; real<lower=0, upper=1> w; vector[5] v; }
model {
  real acc = 0;
  mu ~ normal(0, 1);
  for (i in 1:N) {
    BODY
  }
}
)";
    src.replace(src.find("BODY"), 4, body);
    INFO(body);
    auto fast = compile(src, d.set, 1, {});
    auto slow = compile(src, d.set, 1, CompileOptions{.vectorize_loops = false});
    compare(*fast, *slow, 1.0, 8, 5);
    auto fast_e = compile(src, d.set, 1, CompileOptions{.sufficient_statistics = false});
    auto slow_e = compile(src, d.set, 1, CompileOptions{.sufficient_statistics = false, .vectorize_loops = false});
    compare(*fast_e, *slow_e, 1.0, 8, 6);
  }
}

TEST_CASE("vectorized loops: a recursion through transformed parameters keeps their output values") {
  // The recursion's nodes are both the transformed parameter's elements (output tape) and
  // the operands of the likelihood terms that are vectorized (their data part spliced in).
  std::mt19937_64 rng(7);
  std::normal_distribution<double> z;
  std::vector<double> y(30);
  for (double& v : y) v = z(rng);
  Data d;
  d.scalar("T", 30).vec("y", y);
  const char* src = R"(
data { int T; vector[T] y; }
parameters { real mu; real<lower=0> a0; real<lower=0, upper=1> a1; real<lower=0, upper=1> b1; }
transformed parameters {
  vector[T] vol;
  vol[1] = 1;
  for (t in 2:T) vol[t] = sqrt(a0 + a1 * square(y[t - 1] - mu) + b1 * square(vol[t - 1]));
}
model {
  for (t in 1:T) y[t] ~ normal(mu, vol[t]);
}
generated quantities { real v_last = vol[T]; }
)";
  auto fast = compile(src, d.set, 1, {});
  auto slow = compile(src, d.set, 1, CompileOptions{.vectorize_loops = false});
  CHECK(fast->tape().num_ops() < slow->tape().num_ops());
  compare(*fast, *slow, 1.0, 8, 8);
  std::uniform_real_distribution<double> u(-1, 1);
  for (int p = 0; p < 4; ++p) {
    std::vector<double> q(fast->dim());
    for (double& v : q) v = u(rng);
    mcmc::sampler::Rng r1(1, 0), r2(1, 0);
    std::vector<double> o1, o2;
    auto ev1 = fast->make_output_evaluator();
    auto ev2 = slow->make_output_evaluator();
    fast->write_row(q, r1, o1, *ev1);
    slow->write_row(q, r2, o2, *ev2);
    REQUIRE(o1.size() == o2.size());
    for (std::size_t i = 0; i < o1.size(); ++i) CHECK(o1[i] == o2[i]);
  }
}

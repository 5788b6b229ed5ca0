// Batched evaluation (K points in lockstep) gives exactly the log density and gradient of one-point evaluation.
#include <doctest/doctest.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "tests/model/model_test_util.hpp"

using mcmc::test::compile;
using mcmc::test::Data;

namespace {


// Returns how many of the points were rejected (-inf), so callers can check both paths ran.
int check_batches(const mcmc::model::Model& m, double r, std::uint64_t seed, int* points = nullptr) {
  const std::size_t dim = m.dim();
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-r, r);
  int rejected = 0;
  // The last size spans two full chunks and a partial one (the evaluator sweeps a large batch
  // chunk by chunk to stay in cache).
  const std::size_t chunk = mcmc::graph::Evaluator::chunk_for(m.tape(), std::size_t{1} << 30);
  for (std::size_t K : {std::size_t{1}, std::size_t{3}, std::size_t{8}, 2 * chunk + 3}) {
    std::vector<double> q(K * dim), lp(K), grad(K * dim);
    for (double& v : q) v = u(rng);
    mcmc::graph::Evaluator batch(m.tape(), K);
    CHECK(batch.chunk() == std::min(K, chunk));
    if (points) *points += static_cast<int>(K);
    batch.logp_grad(q.data(), lp.data(), grad.data());
    std::vector<double> lp_only(K);
    batch.logp(q.data(), lp_only.data());
    mcmc::graph::Evaluator one(m.tape(), 1);
    for (std::size_t k = 0; k < K; ++k) {
      std::vector<double> qk(q.begin() + k * dim, q.begin() + (k + 1) * dim), gk(dim);
      double l1 = one.logp_grad(qk, gk);
      INFO("batch " << K << " point " << k << ": " << l1 << " vs " << lp[k]);
      // Exact equality (NaN never compares equal, so compare the bits of non-finite values too).
      CHECK((l1 == lp[k] || (std::isnan(l1) && std::isnan(lp[k]))));
      CHECK((lp_only[k] == lp[k] || (std::isnan(lp_only[k]) && std::isnan(lp[k]))));
      if (l1 == -INFINITY) ++rejected;
      for (std::size_t i = 0; i < dim; ++i) CHECK((gk[i] == grad[k * dim + i] || (std::isnan(gk[i]) && std::isnan(grad[k * dim + i]))));
    }
  }
  return rejected;
}

}  // namespace

TEST_CASE("batched evaluation is bit-identical to one point at a time") {
  SUBCASE("seed model") {
    Data d;
    d.scalar("N", 6).vec("y", {0.3, -1.2, 2.5, 0.7, 1.1, -0.4});
    auto m = compile(R"(
data { int<lower=0> N; vector[N] y; }
parameters { real loc; real log_scale; }
model { target += log_scale; y ~ normal(loc, exp(log_scale)); }
)",
                     d.set);
    check_batches(*m, 2.0, 1);
  }
  SUBCASE("iid likelihoods by sufficient statistics") {
    Data d;
    d.scalar("N", 5)
        .ints("n", {0, 3, 1, 7, 2})
        .ints("b", {0, 1, 1, 0, 1})
        .ints("t", {4, 3, 9, 7, 2})
        .vec("y", {0.3, 1.2, 2.5, 0.7, 1.1});
    auto m = compile(R"(
data { int N; array[N] int n; array[N] int b; array[N] int t; vector[N] y; }
parameters { real<lower=0> lambda; real a; real<lower=0, upper=1> p; real<lower=0> k; real<lower=0> r; }
model {
  n ~ poisson(lambda); target += poisson_log_lpmf(n | a); b ~ bernoulli(p); b ~ bernoulli_logit(a);
  target += binomial_lpmf(n | t, p); n ~ binomial_logit(t, a); y ~ exponential(r); y ~ gamma(k, r);
}
)",
                     d.set);
    check_batches(*m, 2.0, 7);
  }
  SUBCASE("eight schools") { check_batches(*mcmc::test::conformance_model("eight_schools-eight_schools_noncentered"), 2.0, 2); }
  SUBCASE("arK") { check_batches(*mcmc::test::conformance_model("arK-arK"), 0.5, 3); }
  SUBCASE("garch") { check_batches(*mcmc::test::conformance_model("garch-garch11"), 1.0, 4); }
  SUBCASE("gaussian mixture") { check_batches(*mcmc::test::conformance_model("low_dim_gauss_mix-low_dim_gauss_mix"), 1.0, 5); }
  SUBCASE("a model with checks, some points rejected") {
    auto m = compile(R"(
parameters { real x; vector[3] v; }
transformed parameters { real<lower=0> y = 0.5 - x; vector<upper=1>[3] w = v * 2; }
model { x ~ normal(0, 1); v ~ normal(x, 2); }
)");
    int points = 0;
    int rejected = check_batches(*m, 1.0, 6, &points);
    CHECK(rejected > 0);
    CHECK(rejected < points);
  }
}

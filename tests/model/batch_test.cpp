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

using mcmc::test::check_batches;

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

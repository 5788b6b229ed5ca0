// Log density values of compiled models against closed forms: full densities, Stan's propto dropping, Jacobians, rejections.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "tests/model/model_test_util.hpp"

using mcmc::test::compile;
using mcmc::test::Data;
using mcmc::test::logp;
using mcmc::test::logp_grad;

namespace {

const double kHalfLog2Pi = 0.5 * std::log(2 * std::numbers::pi);

double inv_logit(double u) { return 1 / (1 + std::exp(-u)); }

const std::vector<double> kY = {0.3, -1.2, 2.5, 0.7, 1.1, -0.4};

Data y_data() {
  Data d;
  d.scalar("N", static_cast<double>(kY.size())).vec("y", kY);
  return d;
}

// sum_i -0.5 ((y_i - mu) / sigma)^2
double quad(double mu, double sigma) {
  double s = 0;
  for (double y : kY) s += -0.5 * (y - mu) * (y - mu) / (sigma * sigma);
  return s;
}

}  // namespace

TEST_CASE("target += normal_lpdf is the full normal log density, plus the Jacobian") {
  auto m = compile(R"(
data { int N; vector[N] y; }
parameters { real mu; real<lower=0> sigma; }
model { target += normal_lpdf(y | mu, sigma); }
)",
                   y_data().set);
  const double n = static_cast<double>(kY.size());
  for (auto [mu, u] : {std::pair{0.4, -0.3}, std::pair{-1.0, 0.8}}) {
    double sigma = std::exp(u);
    double want = quad(mu, sigma) - n * std::log(sigma) - n * kHalfLog2Pi + u;
    CHECK(logp(*m, {mu, u}) == doctest::Approx(want).epsilon(1e-13));
  }
}

TEST_CASE("~ drops the constants: -0.5 log(2 pi) always, -log(sigma) when sigma is data") {
  Data d = y_data();
  auto m1 = compile("data { int N; vector[N] y; } parameters { real mu; real<lower=0> sigma; }\n"
                    "model { y ~ normal(mu, sigma); }",
                    d.set);
  auto m2 = compile("data { int N; vector[N] y; } parameters { real mu; }\nmodel { y ~ normal(mu, 2.5); }", d.set);
  auto m4 = compile("data { int N; vector[N] y; } parameters { real mu; }\n"
                    "model { for (i in 1:N) y[i] ~ normal(mu, 2.5); }",
                    d.set);
  const double n = static_cast<double>(kY.size());
  double mu = 0.35, u = 0.2, sigma = std::exp(u);
  CHECK(logp(*m1, {mu, u}) == doctest::Approx(quad(mu, sigma) - n * u + u).epsilon(1e-13));
  CHECK(logp(*m2, {mu}) == doctest::Approx(quad(mu, 2.5)).epsilon(1e-13));
  CHECK(logp(*m4, {mu}) == doctest::Approx(quad(mu, 2.5)).epsilon(1e-13));
}

TEST_CASE("the seed model's log density") {
  auto m = compile(R"(
data { int<lower=0> N; vector[N] y; }
parameters { real loc; real log_scale; }
model { target += log_scale; y ~ normal(loc, exp(log_scale)); }
)",
                   y_data().set);
  const double n = static_cast<double>(kY.size());
  double loc = -0.2, ls = 0.6;
  std::vector<double> g;
  double lp = logp_grad(*m, {loc, ls}, g);
  CHECK(lp == doctest::Approx(ls + quad(loc, std::exp(ls)) - n * ls).epsilon(1e-13));
  double s2 = std::exp(2 * ls), sum_dev = 0, ss = 0;
  for (double y : kY) {
    sum_dev += y - loc;
    ss += (y - loc) * (y - loc);
  }
  CHECK(g[0] == doctest::Approx(sum_dev / s2).epsilon(1e-13));
  CHECK(g[1] == doctest::Approx(1 + ss / s2 - n).epsilon(1e-13));
}

TEST_CASE("other distributions: full with target +=, propto with ~") {
  Data d;
  d.ints("k", {0, 3, 7});
  auto full = compile("data { array[3] int k; } parameters { real<lower=0> lam; }\n"
                      "model { target += poisson_lpmf(k | lam); }",
                      d.set);
  auto prop = compile("data { array[3] int k; } parameters { real<lower=0> lam; }\nmodel { k ~ poisson(lam); }",
                      d.set);
  double u = 0.9, lam = std::exp(u);
  double kernel = 10 * std::log(lam) - 3 * lam;
  double consts = std::lgamma(1.0) + std::lgamma(4.0) + std::lgamma(8.0);
  CHECK(logp(*full, {u}) == doctest::Approx(kernel - consts + u).epsilon(1e-13));
  CHECK(logp(*prop, {u}) == doctest::Approx(kernel + u).epsilon(1e-13));

  // student_t with nu and sigma data: only the kernel stays under ~.
  auto st = compile("parameters { real x; } model { x ~ student_t(3, 1, 2); }");
  double x = 0.4, t = (x - 1) / 2;
  CHECK(logp(*st, {x}) == doctest::Approx(-2 * std::log1p(t * t / 3)).epsilon(1e-14));
  auto st_full = compile("parameters { real x; } model { target += student_t_lpdf(x | 3, 1, 2); }");
  CHECK(logp(*st_full, {x}) == doctest::Approx(std::lgamma(2.0) - std::lgamma(1.5) -
                                               0.5 * std::log(3 * std::numbers::pi) - std::log(2.0) -
                                               2 * std::log1p(t * t / 3))
                                   .epsilon(1e-14));

  // beta with data shapes under ~ keeps (a-1) log p + (b-1) log1m(p) only.
  auto bt = compile("parameters { real<lower=0, upper=1> p; } model { p ~ beta(2, 3); }");
  double v = -0.3, p = inv_logit(v);
  double jac = std::log(p) + std::log1p(-p);
  CHECK(logp(*bt, {v}) == doctest::Approx(std::log(p) + 2 * std::log1p(-p) + jac).epsilon(1e-13));

  // normal_lcdf and lccdf are never dropped.
  auto cdf = compile("parameters { real x; } model { target += normal_lcdf(x | 0, 1) + normal_lccdf(x | 1, 2); }");
  double phi1 = 0.5 * std::erfc(-0.4 / std::sqrt(2.0)), phi2 = 0.5 * std::erfc((0.4 - 1) / 2 / std::sqrt(2.0));
  CHECK(logp(*cdf, {0.4}) == doctest::Approx(std::log(phi1) + std::log(phi2)).epsilon(1e-13));

  // categorical: log of the selected probabilities.
  Data c;
  c.ints("y", {2, 2, 3});
  auto cat = compile("data { array[3] int y; } parameters { vector[3] v; } model { y ~ categorical_logit(v); }",
                     c.set);
  std::vector<double> q = {0.1, -0.5, 0.8};
  double lse = std::log(std::exp(0.1) + std::exp(-0.5) + std::exp(0.8));
  CHECK(logp(*cat, q) == doctest::Approx(2 * (-0.5 - lse) + (0.8 - lse)).epsilon(1e-13));
}

TEST_CASE("Jacobians of the constraint transforms are Stan's") {
  SUBCASE("lower: u") {
    auto m = compile("parameters { real<lower=2> a; } model { }");
    CHECK(logp(*m, {0.7}) == doctest::Approx(0.7).epsilon(1e-15));
  }
  SUBCASE("upper: u") {
    auto m = compile("parameters { real<upper=-1> a; } model { }");
    CHECK(logp(*m, {-0.4}) == doctest::Approx(-0.4).epsilon(1e-15));
  }
  SUBCASE("lower and upper: log(ub - lb) + log_inv_logit(u) + log1m_inv_logit(u)") {
    auto m = compile("parameters { real<lower=-1, upper=3> a; } model { }");
    for (double u : {-2.0, 0.3, 5.0}) {
      double want = std::log(4.0) + std::log(inv_logit(u)) + std::log(1 - inv_logit(u));
      CHECK(logp(*m, {u}) == doctest::Approx(want).epsilon(1e-13));
    }
  }
  SUBCASE("offset and multiplier: log(multiplier)") {
    auto m = compile("parameters { real<offset=1, multiplier=3> a; } model { }");
    CHECK(logp(*m, {0.25}) == doctest::Approx(std::log(3.0)).epsilon(1e-15));
    auto v = compile("parameters { vector<multiplier=2>[3] a; } model { }");
    CHECK(logp(*v, {0.1, 0.2, 0.3}) == doctest::Approx(3 * std::log(2.0)).epsilon(1e-15));
    // A parameter multiplier: one log(s) per element, plus s's own lower-bound Jacobian.
    auto p = compile("parameters { real<lower=0> s; vector<offset=2, multiplier=s>[3] a; } model { }");
    CHECK(logp(*p, {0.4, 0.1, 0.2, 0.3}) == doctest::Approx(0.4 + 3 * 0.4).epsilon(1e-15));
  }
  SUBCASE("vector bounds: one term per element") {
    Data d;
    d.vec("L", {-1.0, 0.0, 2.0}).vec("U", {0.0, 1.0, 5.0});
    auto m = compile("data { vector[3] L; vector[3] U; } parameters { vector<lower=L, upper=U>[3] a; } model { }",
                     d.set);
    std::vector<double> u = {-0.5, 0.2, 1.3};
    double want = 0;
    const double w[] = {1.0, 1.0, 3.0};
    for (int i = 0; i < 3; ++i) want += std::log(w[i]) + std::log(inv_logit(u[i])) + std::log(1 - inv_logit(u[i]));
    CHECK(logp(*m, u) == doctest::Approx(want).epsilon(1e-13));
    auto lo = compile("data { vector[3] L; } parameters { vector<lower=L>[3] a; } model { }", d.set);
    CHECK(logp(*lo, u) == doctest::Approx(-0.5 + 0.2 + 1.3).epsilon(1e-15));
  }
  SUBCASE("parameter-dependent bounds: the Jacobian uses the current bound") {
    auto m = compile("parameters { real<lower=0, upper=1> a; real<lower=0, upper=1 - a> b; } model { }");
    double ua = 0.3, ub = -0.6, a = inv_logit(ua);
    double want = std::log(inv_logit(ua)) + std::log(1 - inv_logit(ua)) + std::log(1 - a) +
                  std::log(inv_logit(ub)) + std::log(1 - inv_logit(ub));
    CHECK(logp(*m, {ua, ub}) == doctest::Approx(want).epsilon(1e-13));
  }
}

TEST_CASE("a transformed parameter that violates its declared bound rejects the point") {
  auto m = compile(R"(
parameters { real x; }
transformed parameters { real<lower=0> y = 1 - x; real<upper=5> z = 2 * x; }
model { x ~ normal(0, 1); }
)");
  std::vector<double> g;
  CHECK(logp_grad(*m, {0.5}, g) == doctest::Approx(-0.125).epsilon(1e-15));
  CHECK(g[0] == doctest::Approx(-0.5).epsilon(1e-15));
  CHECK(logp_grad(*m, {1.5}, g) == -INFINITY);  // y < 0
  CHECK(g[0] == 0.0);
  CHECK(logp(*m, {-3.0}) == doctest::Approx(-4.5).epsilon(1e-15));
  CHECK(logp(*m, {2.6}) == -INFINITY);  // y < 0 and z > 5
  auto v = compile(R"(
parameters { vector[2] x; }
transformed parameters { vector<lower=-1>[2] y = x; }
model { x ~ normal(0, 1); }
)");
  CHECK(logp(*v, {0.0, -0.5}) == doctest::Approx(-0.125).epsilon(1e-15));
  CHECK(logp(*v, {0.0, -1.5}) == -INFINITY);
  CHECK(logp(*v, {-1.5, 0.0}) == -INFINITY);
  std::vector<double> bad = {0.0, -1.5};
  CHECK_FALSE(v->explain(bad).empty());
}

TEST_CASE("a model whose density is not finite reports NaN, not an exception") {
  auto m = compile("parameters { real x; } model { target += normal_lpdf(1 | 0, x); }");
  CHECK(std::isnan(logp(*m, {-1.0})));
  CHECK(std::isfinite(logp(*m, {1.0})));
}

TEST_CASE("a model with no target terms has log density 0 and a zero gradient") {
  auto m = compile("parameters { real x; vector[2] v; } model { }");
  std::vector<double> g;
  CHECK(logp_grad(*m, {0.3, -1, 2}, g) == 0.0);
  CHECK(g == std::vector<double>{0, 0, 0});
  // Terms that depend only on data are dropped by ~ and kept by target +=.
  auto c = compile("parameters { real x; } model { 1.5 ~ normal(0, 1); target += normal_lpdf(0.5 | 0, 1); }");
  CHECK(logp_grad(*c, {0.3}, g) == doctest::Approx(-kHalfLog2Pi - 0.125).epsilon(1e-15));
  CHECK(g[0] == 0.0);
}

TEST_CASE("indexing arrays of vectors, 2-d arrays and multi-indexes: values and gradients") {
  std::vector<double> g;
  auto a = compile("parameters { array[2] vector[3] a; }\n"
                   "model { target += a[2,3] * a[1][2] + sum(a[2]) + 3 * sum(a[:,1]) + 7 * a[1, 3]; }");
  CHECK(logp_grad(*a, {1, 2, 3, 4, 5, 6}, g) == 63.0);
  CHECK(g == std::vector<double>{3, 6, 7, 4, 1, 3});
  auto m = compile("parameters { array[2,3] real m; } model { target += m[2,3] + 2 * m[1,2] + 5 * sum(m[2]); }");
  CHECK(logp_grad(*m, {1, 2, 3, 4, 5, 6}, g) == 85.0);
  CHECK(g == std::vector<double>{0, 2, 0, 5, 5, 6});
  auto v = compile("parameters { vector[3] v; } model { target += sum(v[{3, 1}]) * 10 + v[3]; }");
  CHECK(logp_grad(*v, {1, 2, 3}, g) == 43.0);
  CHECK(g == std::vector<double>{10, 0, 11});
}

TEST_CASE("a non-positive scale rejects the point in every form of the normal density") {
  Data d;
  d.vec("s", {1.0, -2.0}).vec("y", {0.5, 1.0});
  const char* models[] = {
      "data { vector[2] s; vector[2] y; } parameters { real mu; } model { y ~ normal(mu, s); }",
      "data { vector[2] s; vector[2] y; } parameters { real mu; } model { target += normal_lpdf(y | mu, s); }",
      "data { vector[2] s; vector[2] y; } parameters { real mu; } model { y ~ normal(mu, s[2]); }",
      "data { vector[2] s; vector[2] y; } parameters { real mu; } model { y[1] ~ normal(mu, s[2]); }",
      "data { vector[2] s; vector[2] y; } parameters { vector[2] mu; } model { y ~ normal(mu, s); }",
      "data { vector[2] s; vector[2] y; } parameters { real mu; } model { y ~ normal(mu, -exp(mu)); }",
      "data { vector[2] s; vector[2] y; } parameters { real mu; } model { y ~ normal(mu, s - exp(mu)); }",
  };
  for (const char* src : models) {
    INFO(src);
    auto m = compile(src, d.set);
    CHECK(std::isnan(logp(*m, std::vector<double>(m->dim(), 0.1))));
  }
}

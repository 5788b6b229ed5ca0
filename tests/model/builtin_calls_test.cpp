// The model compiler's dispatch of the catalogue: a handler for every Special function, and calls of each kind evaluated.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "model/interp.hpp"
#include "tests/model/model_test_util.hpp"

using mcmc::test::compile;
using mcmc::test::logp;

TEST_CASE("the model compiler has a handler for exactly the catalogue's Special functions") {
  std::set<std::string> special;
  for (const mcmc::catalog::Function& f : mcmc::catalog::functions())
    if (f.impl == mcmc::catalog::Impl::Special) special.insert(f.name);
  auto names = mcmc::model::Interp::special_names();
  std::set<std::string> handled(names.begin(), names.end());
  for (const std::string& n : special) {
    INFO(n << " is Special in the catalogue but has no handler");
    CHECK(handled.count(n) == 1);
  }
  for (const std::string& n : handled) {
    INFO(n << " has a handler but is not a Special function of the catalogue");
    CHECK(special.count(n) == 1);
  }
}

TEST_CASE("functions added to the catalogue from the graph's kernels evaluate") {
  // Values: R 4.2, e.g. Rscript -e 'print(asinh(0.3) + acosh(2) + trunc(-1.7) + digamma(2.5), digits=17)'
  auto m = compile(R"(
parameters { real x; }
model {
  target += asinh(0.3) + acosh(2) + trunc(-1.7) + digamma(2.5) + inv_Phi(0.975);
  target += log1m_exp(-0.5) + fmod(7.5, 2) + sinh(0.2) + atanh(0.4);
  target += -0.5 * x^2;
}
)");
  double want = std::asinh(0.3) + std::acosh(2.0) - 1.0 + 0.70315664064524341 + 1.959963984540054 +
                std::log(1 - std::exp(-0.5)) + 1.5 + std::sinh(0.2) + std::atanh(0.4);
  CHECK(logp(*m, {0.0}) == doctest::Approx(want).epsilon(1e-12));
}

TEST_CASE("container helpers: reverse, append_array, linspaced_vector, to_int") {
  auto m = compile(R"(
transformed data {
  array[3] int a = reverse({1, 2, 3});
  array[5] int b = append_array(a, {7, 8});
  vector[5] v = linspaced_vector(5, 0, 1);
  int k = to_int(-2.7);
}
parameters { real x; }
model { target += a[1] * 1000 + b[5] * 100 + v[2] * 10 + k; }
)");
  CHECK(logp(*m, {0.0}) == doctest::Approx(3000 + 800 + 2.5 - 2));
}

namespace {

// A valid point (variate, then parameters, as Stan expressions) for every distribution of the
// catalogue; a distribution added without one fails the test below.
const std::map<std::string, std::vector<std::string>>& points() {
  static const std::map<std::string, std::vector<std::string>> p = {
      {"normal", {"0.7", "-0.4", "1.3"}},
      {"std_normal", {"-1.1"}},
      {"student_t", {"0.9", "3.5", "-0.2", "1.7"}},
      {"cauchy", {"2.1", "0.3", "0.8"}},
      {"double_exponential", {"1.4", "0.2", "0.9"}},
      {"logistic", {"-0.6", "0.5", "1.2"}},
      {"lognormal", {"2.3", "0.4", "0.7"}},
      {"exponential", {"0.8", "1.7"}},
      {"gamma", {"1.9", "2.4", "1.3"}},
      {"inv_gamma", {"0.9", "2.4", "1.3"}},
      {"weibull", {"1.6", "1.8", "2.2"}},
      {"chi_square", {"2.7", "3.3"}},
      {"beta", {"0.35", "2.2", "3.1"}},
      {"uniform", {"0.4", "-1.2", "2.5"}},
      {"poisson", {"4", "3.2"}},
      {"poisson_log", {"4", "1.1"}},
      {"binomial", {"3", "10", "0.37"}},
      {"binomial_logit", {"3", "10", "-0.6"}},
      {"bernoulli", {"0", "0.3"}},
      {"bernoulli_logit", {"0", "0.8"}},
      {"neg_binomial_2", {"5", "3.5", "2.2"}},
      {"neg_binomial_2_log", {"5", "1.3", "2.2"}},
      {"beta_binomial", {"4", "12", "2.5", "3.5"}},
      {"gumbel", {"1.4", "0.3", "0.8"}},
      {"rayleigh", {"1.3", "0.9"}},
      {"pareto", {"2.5", "1.2", "2.3"}},
      {"skew_normal", {"0.7", "0.2", "1.3", "2.5"}},
      {"exp_mod_normal", {"1.2", "0.4", "0.8", "1.7"}},
      {"frechet", {"1.6", "2.3", "1.4"}},
      {"pareto_type_2", {"2.5", "0.5", "1.5", "2.8"}},
      {"beta_proportion", {"0.35", "0.4", "6.0"}},
      {"von_mises", {"0.9", "0.3", "2.2"}},
      {"loglogistic", {"1.6", "1.3", "2.7"}},
      {"scaled_inv_chi_square", {"0.8", "3.5", "0.7"}},
      {"inv_chi_square", {"0.6", "3.5"}},
      {"neg_binomial", {"5", "2.2", "0.6"}},
      {"discrete_range", {"3", "1", "6"}},
      {"hypergeometric", {"2", "5", "4", "6"}},
      {"categorical", {"2", "to_vector({0.2, 0.3, 0.5})"}},
      {"categorical_logit", {"2", "to_vector({0.2, -0.3, 0.5})"}},
      {"dirichlet", {"to_vector({0.2, 0.3, 0.5})", "to_vector({1.5, 2, 0.7})"}},
      {"multi_normal", {"to_vector({0.2, 0.3})", "to_vector({0.1, -0.3})", "[[2, 0.3], [0.3, 1]]"}},
      {"multi_normal_cholesky", {"to_vector({0.2, 0.3})", "to_vector({0.1, -0.3})", "[[2, 0], [0.3, 1]]"}},
      {"lkj_corr_cholesky", {"[[1, 0], [0.6, 0.8]]", "2.5"}},
      {"multi_normal_prec", {"to_vector({0.2, 0.3})", "to_vector({0.1, -0.3})", "[[2, 0.3], [0.3, 1]]"}},
      {"multi_student_t", {"to_vector({0.2, 0.3})", "4", "to_vector({0.1, -0.3})", "[[2, 0.3], [0.3, 1]]"}},
      {"multi_student_t_cholesky", {"to_vector({0.2, 0.3})", "4", "to_vector({0.1, -0.3})", "[[2, 0], [0.3, 1]]"}},
      {"lkj_corr", {"[[1, 0.3], [0.3, 1]]", "2.5"}},
      {"wishart", {"[[2, 0.3], [0.3, 1]]", "4", "[[1, 0.2], [0.2, 1]]"}},
      {"inv_wishart", {"[[2, 0.3], [0.3, 1]]", "4", "[[1, 0.2], [0.2, 1]]"}},
      {"multinomial", {"{3, 0, 5}", "to_vector({0.2, 0.3, 0.5})"}},
      {"multinomial_logit", {"{3, 0, 5}", "to_vector({0.2, -0.3, 0.5})"}},
      {"ordered_logistic", {"2", "0.4", "to_vector({-1, 0.5, 2})"}},
      {"ordered_probit", {"2", "0.4", "to_vector({-1, 0.5, 2})"}},
      {"bernoulli_logit_glm", {"{1, 0}", "[[0.2, 0.3], [-1, 0.5]]", "0.4", "to_vector({0.1, -0.3})"}},
      {"poisson_log_glm", {"{1, 4}", "[[0.2, 0.3], [-1, 0.5]]", "0.4", "to_vector({0.1, -0.3})"}},
      {"normal_id_glm", {"to_vector({1.5, -0.2})", "[[0.2, 0.3], [-1, 0.5]]", "0.4", "to_vector({0.1, -0.3})", "1.3"}},
  };
  return p;
}

}  // namespace

TEST_CASE("every function the catalogue lists for a distribution compiles and evaluates") {
  using namespace mcmc::catalog;
  for (const Distribution& d : distributions()) {
    INFO(d.name);
    auto it = points().find(d.name);
    REQUIRE(it != points().end());
    const std::vector<std::string>& x = it->second;
    REQUIRE(x.size() == d.params.size() + 1);
    std::string params;
    for (std::size_t i = 1; i < x.size(); ++i) params += (i > 1 ? ", " : "") + x[i];
    for (Suffix s : {kDensity, kUnnormalized, kCdf, kLcdf, kLccdf}) {
      if ((d.suffixes() & s) == 0) continue;
      std::string call = d.function_name(s) + "(" + x[0] + (params.empty() ? "" : " | " + params) + ")";
      INFO(call);
      auto m = compile("parameters { real z; }\nmodel { target += " + call + "; z ~ std_normal(); }\n");
      double lp = logp(*m, {0.0});
      CHECK(std::isfinite(lp));
      if (s == kCdf) CHECK(lp > 0);  // a probability, not its log
    }
    if ((d.suffixes() & kRng) == 0) continue;
    std::string rng = d.function_name(kRng) + "(" + params + ")";
    INFO(rng);
    // A multivariate _rng returns a vector: its sum is a real.
    const std::string value = d.rng_type ? "sum(" + rng + ")" : rng;
    auto m = compile("transformed data { real r = " + value + "; }\nparameters { real z; }\nmodel { z ~ std_normal(); }\n");
    CHECK(std::isfinite(logp(*m, {0.0})));
  }
}

TEST_CASE("gamma_lccdf, which the checker accepted and the compiler refused, evaluates with its gradient") {
  // R: pgamma(1.9, 2.4, rate = 1.3, lower.tail = FALSE, log.p = TRUE) = -0.92383664359056961
  auto m = compile(R"(
parameters { real<lower=0> a; real<lower=0> b; }
model { target += gamma_lccdf(1.9 | a, b) + gamma_lcdf(1.9 | a, b); }
)");
  // R: pgamma(1.9, 2.4, rate = 1.3, log.p = TRUE) = -0.50582646520707586; plus the Jacobian log(a) + log(b).
  const double a = 2.4, b = 1.3;
  CHECK(logp(*m, {std::log(a), std::log(b)}) ==
        doctest::Approx(-0.92383664359056961 - 0.50582646520707586 + std::log(a) + std::log(b)).epsilon(1e-12));
  mcmc::test::check_gradient(*m, "gamma cdfs");
}

TEST_CASE("the new cdfs of parameters have gradients equal to central differences") {
  auto m = compile(R"(
data { array[3] int k; }
parameters { real<lower=0> nu; real mu; real<lower=0> s; real<lower=0, upper=1> th; real<lower=0> phi; }
model {
  target += student_t_lcdf(0.9 | nu, mu, s) + double_exponential_lccdf(1.4 | mu, s);
  target += inv_gamma_lcdf(0.9 | nu, s) + chi_square_lccdf(2.7 | nu) + beta_lcdf(0.35 | nu, s);
  target += poisson_lccdf(k | phi) + binomial_lcdf(k | 10, th) + bernoulli_lccdf(0 | th);
  target += neg_binomial_2_lcdf(k | phi, nu) + neg_binomial_2_lccdf(k | s, phi);
}
)",
                   mcmc::test::Data().ints("k", {0, 3, 7}).set);
  mcmc::test::check_gradient(*m, "cdfs", 4, 1.0);
}

TEST_CASE("truncation T[L, U], T[L, ], T[, U] subtracts Stan's normalization") {
  using mcmc::test::Data;
  // R: y <- c(0.5, 1.2, 2.0); -0.5 * sum(((y - 0.3) / 1.1)^2) - 3 * log(pnorm(2.5, 0.3, 1.1) - pnorm(0, 0.3, 1.1))
  auto both = compile("data { vector[3] y; } parameters { real mu; }\nmodel { y ~ normal(mu, 1.1) T[0, 2.5]; }\n",
                      Data().vec("y", {0.5, 1.2, 2.0}).set);
  CHECK(logp(*both, {0.3}) == doctest::Approx(0.064420026739873792).epsilon(1e-12));
  mcmc::test::check_gradient(*both, "normal T[0, 2.5]");
  // A discrete lower bound L normalizes by P(Y >= L) = 1 - F(L - 1): the zero-truncated Poisson.
  // R: y <- c(1, 3, 2); l <- 2.2; sum(y * log(l) - l) - 3 * ppois(0, l, lower.tail = FALSE, log.p = TRUE) + log(l)
  auto lower = compile("data { array[3] int y; } parameters { real<lower=0> l; }\nmodel { y ~ poisson(l) T[1, ]; }\n",
                       Data().ints("y", {1, 3, 2}).set);
  CHECK(logp(*lower, {std::log(2.2)}) == doctest::Approx(-0.7284885310115311).epsilon(1e-12));
  mcmc::test::check_gradient(*lower, "poisson T[1, ]");
  // R: 2.4 * log(1.3) - 1.3 * 0.7 - pgamma(2, 2.4, rate = 1.3, log.p = TRUE) + log(1.3)
  auto upper = compile("parameters { real<lower=0> b; }\nmodel { 0.7 ~ gamma(2.4, b) T[, 2]; }\n");
  CHECK(logp(*upper, {std::log(1.3)}) == doctest::Approx(0.43851274408479485).epsilon(1e-12));
  mcmc::test::check_gradient(*upper, "gamma T[, 2]");
}

TEST_CASE("truncation with vector parameters normalizes each element, and bounds may be parameters") {
  using mcmc::test::Data;
  auto m = compile(R"(
data { vector[3] y; }
parameters { vector[3] mu; real<lower=0> s; real<upper=0.4> lo; }
model { y ~ normal(mu, s) T[lo, 3]; }
)",
                   Data().vec("y", {0.5, 1.2, 2.0}).set);
  // The same density written out.
  auto w = compile(R"(
data { vector[3] y; }
parameters { vector[3] mu; real<lower=0> s; real<upper=0.4> lo; }
model {
  y ~ normal(mu, s);
  for (i in 1:3) target += -log_diff_exp(normal_lcdf(3 | mu[i], s), normal_lcdf(lo | mu[i], s));
}
)",
                   Data().vec("y", {0.5, 1.2, 2.0}).set);
  for (std::vector<double> q : {std::vector<double>{0.1, -0.3, 0.8, 0.2, -0.5}, std::vector<double>{1, 2, -1, -0.4, 0.3}})
    CHECK(logp(*m, q) == doctest::Approx(logp(*w, q)).epsilon(1e-13));
  mcmc::test::check_gradient(*m, "normal T[lo, 3]");
}

TEST_CASE("a variate outside the truncation: data is an error, a parameter rejects the point") {
  using mcmc::test::Data;
  CHECK_THROWS_WITH_AS(compile("data { vector[2] y; } parameters { real mu; }\nmodel { y ~ normal(mu, 1) T[0, ]; }\n",
                               Data().vec("y", {0.5, -1.0}).set),
                       doctest::Contains("the variate[2] is -1, below the truncation's lower bound 0"),
                       std::exception);
  auto m = compile("parameters { real x; }\nmodel { x ~ normal(0, 1) T[-1, 1]; }\n");
  // R: -0.5 * 0.25 - log(pnorm(1) - pnorm(-1))
  CHECK(logp(*m, {0.5}) == doctest::Approx(-0.125 - std::log(0.68268949213708585)).epsilon(1e-12));
  CHECK(logp(*m, {1.5}) == -INFINITY);
}

TEST_CASE("scalar library: log_mix, log_inv_logit_diff, fma, inv_cloglog, lmultiply, binary_log_loss, factorials") {
  // Each value from R 4.2: the expression in the comment.
  struct Case {
    const char* call;
    double want;
  };
  const Case cases[] = {
      {"log_mix(0.3, -1.2, -2.5)", -1.9117750976458456},  // log(0.3*exp(-1.2)+0.7*exp(-2.5))
      {"log_mix(to_vector({0.2, 0.5, 0.3}), to_vector({-1, -2, -0.5}))",
       -1.1294755124995719},                                    // log(sum(c(.2,.5,.3)*exp(c(-1,-2,-.5))))
      {"log_inv_logit_diff(1.3, -0.4)", -0.95575260190039013},  // log(plogis(1.3)-plogis(-0.4))
      {"fma(1.5, -2, 0.25)", -2.75},
      {"inv_cloglog(0.3)", 0.74072313400917245},                // 1-exp(-exp(0.3))
      {"lmultiply(2.5, 0.7)", -0.89168735984683112},            // 2.5*log(0.7)
      {"multiply_log(2.5, 0.7)", -0.89168735984683112},
      {"lmultiply(0, 0)", 0},
      {"binary_log_loss(1, 0.8)", 0.22314355131420971},         // -log(0.8)
      {"binary_log_loss(0, 0.8)", 1.6094379124341003},          // -log(0.2)
      {"falling_factorial(5.5, 3)", 86.625},                    // 5.5*4.5*3.5
      {"log_falling_factorial(5.5, 2.5)", 3.8708025906290868},  // lgamma(6.5)-lgamma(4)
      {"rising_factorial(2.5, 3)", 39.375},                     // 2.5*3.5*4.5
      {"log_rising_factorial(2.5, 1.5)", 1.5070765987551358},   // lgamma(4)-lgamma(2.5)
  };
  for (const Case& c : cases) {
    INFO(c.call);
    auto m = compile(std::string("parameters { real z; }\nmodel { target += ") + c.call + "; }\n");
    CHECK(logp(*m, {0.0}) == doctest::Approx(c.want).epsilon(1e-13));
  }
  // Gradients through parameters.
  auto g = compile(R"(
parameters { real<lower=0, upper=1> th; real a; real<lower=0> b; vector[3] lps; }
model {
  target += log_mix(th, a, -b) + log_mix(softmax(lps), lps) + log_inv_logit_diff(a + 2, a - 1);
  target += fma(a, b, th) + inv_cloglog(a) + lmultiply(b, th) + binary_log_loss(1, th);
  target += log_falling_factorial(b + 3, b) + rising_factorial(b, 3) + falling_factorial(b + 4, 2);
}
)");
  mcmc::test::check_gradient(*g, "scalar library", 4, 0.8);
}

TEST_CASE("data helpers: sort_indices, rank, dims, linspaced, one_hot, zeros, ones, uniform_simplex") {
  auto m = compile(R"(
transformed data {
  array[4] int si = sort_indices_asc({3.5, 1.0, 2.0, 1.0});
  array[4] int sd = sort_indices_desc(to_vector({3.5, 1.0, 2.0, 1.0}));
  int r = rank({3.5, 1.0, 2.0, 1.0}, 3);
  array[3] int d = dims(rep_array(rep_vector(0, 4), 2, 3));
  array[5] real la = linspaced_array(5, -1, 1);
  row_vector[3] lr = linspaced_row_vector(3, 0, 1);
  array[3] int oh = one_hot_int_array(3, 2);
  vector[4] ov = one_hot_vector(4, 4);
  vector[2] zv = zeros_vector(2);
  array[3] int oi = ones_int_array(3);
  vector[4] us = uniform_simplex(4);
}
parameters { real z; }
model {
  target += si[1] * 1000 + si[2] * 100 + si[3] * 10 + si[4];     // 2 4 3 1
  target += 1e4 * (sd[1] * 1000 + sd[2] * 100 + sd[3] * 10 + sd[4]);  // 1 3 2 4
  target += 1e8 * r;                                               // 2
  target += 1e9 * (d[1] * 100 + d[2] * 10 + d[3]);                 // 2 3 4
  target += la[2] + lr[2] + oh[2] + ov[4] + sum(zv) + sum(oi) + us[1];
}
)");
  CHECK(logp(*m, {0.0}) == doctest::Approx(2431 + 1e4 * 1324 + 2e8 + 1e9 * 234 + (-0.5 + 0.5 + 1 + 1 + 0 + 3 + 0.25)));
}

TEST_CASE("lmgamma and the Boost.Math functions through a model, with gradients") {
  // R: 3 * 2 / 4 * log(pi) + sum(lgamma(2.5 + (1 - 1:3) / 2))
  auto v = compile("parameters { real z; }\nmodel { target += lmgamma(3, 2.5); }\n");
  CHECK(logp(*v, {0.0}) == doctest::Approx(1.8809954616117743).epsilon(1e-13));
  auto g = compile(R"(
parameters { real<lower=0> a; real<lower=0> x; real h; }
model {
  target += lmgamma(2, x + 1) + trigamma(x + 0.5) + gamma_p(a, x) + gamma_q(a + 1, x) + owens_t(h, a);
  target += bessel_first_kind(1, x) + bessel_second_kind(0, x + 1) + modified_bessel_first_kind(2, x);
  target += modified_bessel_second_kind(1, x + 0.5);
}
)");
  mcmc::test::check_gradient(*g, "special functions", 4, 0.8);
}

TEST_CASE("profile blocks run their statements; fatal_error stops with its message") {
  auto m = compile("parameters { real mu; }\nmodel { profile(\"prior\") { mu ~ normal(1, 1); } }\n");
  CHECK(logp(*m, {0.0}) == doctest::Approx(-0.5));
  CHECK_THROWS_WITH_AS(compile("transformed data { real x = 2; if (x > 1) fatal_error(\"x is \", x); }\n"
                               "parameters { real mu; }\nmodel { }\n"),
                       doctest::Contains("fatal_error() called: x is 2"), std::exception);
}

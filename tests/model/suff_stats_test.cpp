// Compiled models with iid poisson, bernoulli, binomial, exponential and gamma likelihoods of data: sufficient statistics versus elementwise.
#include <doctest/doctest.h>

#include <cmath>
#include <iomanip>
#include <random>
#include <string>
#include <vector>

#include "tests/model/model_test_util.hpp"

using mcmc::test::compile;
using mcmc::test::Data;
using mcmc::test::logp_grad;

namespace {

const char* kModel = R"(
data {
  int N;
  array[N] int y_pois;
  array[N] int y_bern;
  array[N] int trials;
  array[N] int y_bin;
  array[N] int y_bin20;
  vector[N] y_exp;
  vector[N] y_gam;
}
parameters {
  real<lower=0> lambda;
  real eta;
  real<lower=0, upper=1> theta;
  real alpha;
  real<lower=0> rate;
  real<lower=0> shape;
  real<lower=0> grate;
}
model {
  STATEMENT
}
)";

const char* kStatements[] = {
    "y_pois ~ poisson(lambda);",
    "target += poisson_lpmf(y_pois | lambda);",
    "target += poisson_lupmf(y_pois | lambda);",
    "y_pois ~ poisson_log(eta);",
    "target += poisson_log_lpmf(y_pois | eta);",
    "y_bern ~ bernoulli(theta);",
    "target += bernoulli_lpmf(y_bern | theta);",
    "y_bern ~ bernoulli_logit(alpha);",
    "target += bernoulli_logit_lpmf(y_bern | alpha);",
    "y_bin ~ binomial(trials, theta);",
    "target += binomial_lpmf(y_bin | trials, theta);",
    "y_bin20 ~ binomial(20, theta);",
    "target += binomial_lpmf(y_bin20 | 20, theta);",
    "y_bin ~ binomial_logit(trials, alpha);",
    "target += binomial_logit_lpmf(y_bin | trials, alpha);",
    "target += binomial_logit_lupmf(y_bin20 | 20, alpha);",
    "y_exp ~ exponential(rate);",
    "target += exponential_lpdf(y_exp | rate);",
    "y_gam ~ gamma(shape, grate);",
    "target += gamma_lpdf(y_gam | shape, grate);",
    "y_gam ~ gamma(shape, 2.5);",
    "y_gam ~ gamma(1.5, grate);",
    "target += gamma_lpdf(y_gam | 1.5, grate);",
    // Both reduced, in one sum.
    "y_pois ~ poisson(lambda); y_gam ~ gamma(shape, grate); y_bern ~ bernoulli_logit(alpha);",
};

std::string model_with(const std::string& statement) {
  std::string s = kModel;
  s.replace(s.find("STATEMENT"), 9, statement);
  return s;
}

Data make_data(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<double> pois(n), bern(n), trials(n), bin(n), bin20(n), ex(n), gam(n);
  std::poisson_distribution<int> pd(3.5);
  std::bernoulli_distribution bd(0.3);
  std::uniform_int_distribution<int> ut(0, 40);
  std::exponential_distribution<double> ed(2.0);
  std::gamma_distribution<double> gd(2.0, 0.5);
  for (std::size_t i = 0; i < n; ++i) {
    pois[i] = pd(rng);
    bern[i] = bd(rng);
    trials[i] = ut(rng);
    bin[i] = std::binomial_distribution<int>(static_cast<int>(trials[i]), 0.6)(rng);
    bin20[i] = std::binomial_distribution<int>(20, 0.6)(rng);
    ex[i] = ed(rng);
    gam[i] = gd(rng);
  }
  Data d;
  d.scalar("N", static_cast<double>(n))
      .ints("y_pois", pois)
      .ints("y_bern", bern)
      .ints("trials", trials)
      .ints("y_bin", bin)
      .ints("y_bin20", bin20)
      .vec("y_exp", ex)
      .vec("y_gam", gam);
  return d;
}

// The variables of the N-independence test, cheap to make in bulk: a fixed pattern instead of random draws.
Data patterned_data(std::size_t n) {
  std::vector<double> pois(n), bern(n), trials(n), bin(n), gam(n);
  for (std::size_t i = 0; i < n; ++i) {
    pois[i] = static_cast<double>(i % 7);
    bern[i] = static_cast<double>(i % 3 == 0);
    trials[i] = static_cast<double>(i % 41);
    bin[i] = static_cast<double>((i % 41) * 3 / 5);
    gam[i] = 0.25 + static_cast<double>(i % 101) / 50;
  }
  Data d;
  d.scalar("N", static_cast<double>(n))
      .ints("y_pois", pois)
      .ints("y_bern", bern)
      .ints("trials", trials)
      .ints("y_bin", bin)
      .vec("y_gam", gam);
  return d;
}

mcmc::model::CompileOptions elementwise() {
  mcmc::model::CompileOptions o;
  o.sufficient_statistics = false;
  return o;
}

}  // namespace

TEST_CASE("models with iid likelihoods of data: sufficient statistics equal the elementwise evaluation") {
  const std::size_t n = 1000;
  Data d = make_data(n, 42);
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-3, 3);
  for (const char* st : kStatements) {
    INFO(std::string(st));
    auto reduced = compile(model_with(st), d.set);
    auto direct = compile(model_with(st), d.set, 1, elementwise());
    CHECK(reduced->tape().num_scratch() < 10);
    CHECK(direct->tape().num_scratch() >= n);
    for (int point = 0; point < 6; ++point) {
      std::vector<double> q(reduced->dim());
      for (double& v : q) v = u(rng);
      if (point == 0) std::fill(q.begin(), q.end(), 0.0);
      if (point == 1) std::fill(q.begin(), q.end(), 12.0);  // far out: rates e^12, probabilities near 1
      if (point == 2) std::fill(q.begin(), q.end(), -12.0);
      std::vector<double> gr, gd;
      double lr = logp_grad(*reduced, q, gr), ld = logp_grad(*direct, q, gd);
      INFO("point " << point << std::setprecision(17) << ": reduced " << lr << " direct " << ld);
      REQUIRE(std::isfinite(ld));
      CHECK(lr == doctest::Approx(ld).epsilon(1e-12));
      for (std::size_t i = 0; i < q.size(); ++i) {
        INFO("coordinate " << i << ": reduced " << gr[i] << " direct " << gd[i]);
        // Gradients cancel terms of both signs: compare on the scale of the log density too.
        CHECK(std::fabs(gr[i] - gd[i]) <= 1e-12 * std::max(std::fabs(gd[i]), std::fabs(ld)));
      }
    }
  }
}

TEST_CASE("the tape of a reduced likelihood does not grow with the data") {
  // One likelihood per model, with only its own data: N = 10^3 and 10^6.
  struct Case {
    const char* data;
    const char* parameters;
    const char* statement;
  };
  const Case cases[] = {
      {"array[N] int y_pois;", "real<lower=0> lambda;", "y_pois ~ poisson(lambda);"},
      {"array[N] int y_bern;", "real alpha;", "y_bern ~ bernoulli_logit(alpha);"},
      {"array[N] int trials; array[N] int y_bin;", "real<lower=0, upper=1> theta;",
       "target += binomial_lpmf(y_bin | trials, theta);"},
      {"vector[N] y_gam;", "real<lower=0> shape; real<lower=0> grate;", "target += gamma_lpdf(y_gam | shape, grate);"},
  };
  Data small = make_data(1000, 1), large = patterned_data(1000000);
  for (const Case& c : cases) {
    INFO(std::string(c.statement));
    std::string src = std::string("data { int N; ") + c.data + " }\nparameters { " + c.parameters +
                      " }\nmodel { " + c.statement + " }\n";
    auto a = compile(src, small.set);
    auto b = compile(src, large.set);
    CHECK(a->tape().num_nodes() == b->tape().num_nodes());
    CHECK(a->tape().num_slots() == b->tape().num_slots());
    CHECK(a->tape().num_scratch() == b->tape().num_scratch());
    CHECK(a->tape().num_scratch() < 10);
    std::vector<double> q(a->dim(), 0.3), g;
    CHECK(std::isfinite(logp_grad(*b, q, g)));
  }
}

TEST_CASE("data outside a likelihood's support behaves as without the reduction") {
  struct Case {
    const char* statement;
    const char* variable;
    double bad;
  };
  const Case cases[] = {
      {"y_pois ~ poisson(lambda);", "y_pois", -1},
      {"target += poisson_log_lpmf(y_pois | eta);", "y_pois", -3},
      {"y_bern ~ bernoulli(theta);", "y_bern", 2},
      {"target += bernoulli_logit_lpmf(y_bern | alpha);", "y_bern", -1},
      {"y_bin ~ binomial(trials, theta);", "y_bin", 1000},
      {"target += binomial_logit_lpmf(y_bin20 | 20, alpha);", "y_bin20", 21},
      {"y_exp ~ exponential(rate);", "y_exp", -0.5},
      {"target += gamma_lpdf(y_gam | shape, grate);", "y_gam", -2},
  };
  for (const Case& c : cases) {
    INFO(std::string(c.statement));
    Data d = make_data(100, 3);
    d.set.vars[c.variable].values[17] = c.bad;
    auto reduced = compile(model_with(c.statement), d.set);
    auto direct = compile(model_with(c.statement), d.set, 1, elementwise());
    CHECK(reduced->tape().num_scratch() == direct->tape().num_scratch());
    std::vector<double> q(reduced->dim(), 0.2), gr, gd;
    double lr = logp_grad(*reduced, q, gr), ld = logp_grad(*direct, q, gd);
    CHECK_FALSE(std::isfinite(ld));
    CHECK((lr == ld || (std::isnan(lr) && std::isnan(ld))));
  }
}

TEST_CASE("normal(y | alpha + beta * x, sigma) by sufficient statistics in compiled models") {
  const char* model = R"(
data { int N; vector[N] x; vector[N] y; }
parameters { real alpha; real beta; real<lower=0> sigma; vector[2] ab; }
model { ab ~ normal(0, 1); STATEMENT }
)";
  const char* statements[] = {
      "y ~ normal(alpha + beta * x, sigma);",
      "target += normal_lpdf(y | alpha + beta * x, sigma);",
      "y ~ normal(x * beta + alpha, sigma);",
      "y ~ normal(beta * x, sigma);",
      "y ~ normal(alpha + beta * x, 2.5);",
      "target += normal_lpdf(y | alpha + beta * x, 2.5);",
      "y ~ normal(ab[1] + ab[2] * x, sigma);",  // coefficients that are elements of a vector
  };
  auto make = [](std::size_t n, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> nx(1.5, 2), ne(0, 0.7);
    std::vector<double> x(n), y(n);
    for (std::size_t i = 0; i < n; ++i) {
      x[i] = nx(rng);
      y[i] = 0.5 - 1.2 * x[i] + ne(rng);
    }
    Data d;
    d.scalar("N", static_cast<double>(n)).vec("x", x).vec("y", y);
    return d;
  };
  Data d = make(1000, 5);
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(-2, 2);
  for (const char* st : statements) {
    INFO(std::string(st));
    std::string src = model;
    src.replace(src.find("STATEMENT"), 9, st);
    auto reduced = compile(src, d.set);
    auto direct = compile(src, d.set, 1, elementwise());
    CHECK(reduced->tape().num_scratch() < 10);
    CHECK(direct->tape().num_scratch() >= 1000);
    for (int point = 0; point < 6; ++point) {
      std::vector<double> q(reduced->dim());
      for (double& v : q) v = u(rng);
      if (point == 0) q = {0.5, -1.2, std::log(0.7), 0.5, -1.2};  // at the generating values
      if (point == 1) q = {40, 30, -3, 40, 30};
      std::vector<double> gr, gd;
      double lr = logp_grad(*reduced, q, gr), ld = logp_grad(*direct, q, gd);
      INFO("point " << point << std::setprecision(17) << ": reduced " << lr << " direct " << ld);
      REQUIRE(std::isfinite(ld));
      CHECK(lr == doctest::Approx(ld).epsilon(1e-12));
      for (std::size_t i = 0; i < q.size(); ++i) {
        INFO("coordinate " << i << ": reduced " << gr[i] << " direct " << gd[i]);
        CHECK(std::fabs(gr[i] - gd[i]) <= 1e-12 * std::max(std::fabs(gd[i]), std::fabs(ld)));
      }
    }
  }
  // The tape does not grow with N.
  std::string src = model;
  src.replace(src.find("STATEMENT"), 9, statements[0]);
  auto small = compile(src, d.set), large = compile(src, make(1000000, 6).set);
  CHECK(small->tape().num_nodes() == large->tape().num_nodes());
  CHECK(small->tape().num_slots() == large->tape().num_slots());
  CHECK(small->tape().num_scratch() == large->tape().num_scratch());
}

// User-defined functions compiled into the graph: values, gradients, recursion on data, _lpdf with ~, _lp, _rng and void.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "tests/model/model_test_util.hpp"

using mcmc::test::compile;
using mcmc::test::Data;
using mcmc::test::logp;

namespace {
const double kHalfLog2Pi = 0.5 * std::log(2 * std::numbers::pi);
}

TEST_CASE("a user-defined _lpdf called in a loop equals the built-in density, with its gradient") {
  const std::string functions = R"(
functions {
  real my_normal_lpdf(real y, real mu, real sigma) {
    return -0.5 * square((y - mu) / sigma) - log(sigma) - 0.5 * log(2 * pi());
  }
}
)";
  Data d;
  d.scalar("N", 4).vec("y", {0.3, -1.2, 2.5, 0.7});
  auto user = compile(functions + R"(
data { int N; vector[N] y; }
parameters { real mu; real<lower=0> sigma; }
model { for (n in 1:N) target += my_normal_lpdf(y[n] | mu, sigma); }
)",
                      d.set);
  auto builtin = compile(R"(
data { int N; vector[N] y; }
parameters { real mu; real<lower=0> sigma; }
model { target += normal_lpdf(y | mu, sigma); }
)",
                         d.set);
  for (std::vector<double> q : {std::vector<double>{0.4, -0.3}, std::vector<double>{-1.0, 0.8}})
    CHECK(logp(*user, q) == doctest::Approx(logp(*builtin, q)).epsilon(1e-13));
  mcmc::test::check_gradient(*user, "my_normal_lpdf");
  // `~` with a user-defined density adds its value (Stan drops constants inside it; the difference is a constant).
  auto tilde = compile(functions + R"(
data { int N; vector[N] y; }
parameters { real mu; real<lower=0> sigma; }
model { for (n in 1:N) y[n] ~ my_normal(mu, sigma); }
)",
                       d.set);
  CHECK(logp(*tilde, {0.4, -0.3}) == doctest::Approx(logp(*builtin, {0.4, -0.3})).epsilon(1e-13));
}

TEST_CASE("recursion whose depth depends on data, overloading and int promotion") {
  auto m = compile(R"(
functions {
  int fib(int n) { if (n < 2) return n; return fib(n - 1) + fib(n - 2); }
  real power(real x, int k) { if (k == 0) return 1; return x * power(x, k - 1); }
  real twice(real x) { return 2 * x; }
  real twice(int n) { return 2 * n + 1000; }
  vector shift(vector v, real a) { return v + a; }
}
data { int K; }
parameters { real x; vector[2] v; }
model {
  target += fib(K) + power(x, K) + twice(x) + twice(K) + sum(shift(v, x));
}
)",
                   Data().scalar("K", 10).set);
  const double x = 0.9, v0 = 0.1, v1 = -0.4;
  CHECK(logp(*m, {x, v0, v1}) ==
        doctest::Approx(55 + std::pow(x, 10) + 2 * x + 1020 + (v0 + x) + (v1 + x)).epsilon(1e-13));
  mcmc::test::check_gradient(*m, "recursion");
}

TEST_CASE("_lp functions add to the target; void functions and early returns") {
  auto m = compile(R"(
functions {
  void prior_lp(real x, real s) { x ~ normal(0, s); target += -abs(x); }
  real clip(real x, data real lim) {
    if (lim < 0) return 0;
    for (i in 1:3) { if (i == 2) return x * lim; }
    return -1;
  }
}
parameters { real x; }
model { prior_lp(x, 2); target += clip(x, 3); }
)");
  const double x = -0.7;
  CHECK(logp(*m, {x}) == doctest::Approx(-0.5 * (x / 2) * (x / 2) - std::fabs(x) + 3 * x).epsilon(1e-13));
  mcmc::test::check_gradient(*m, "_lp");
}

TEST_CASE("a user _rng function draws in generated quantities; recursion without end is an error") {
  auto m = compile(R"(
functions {
  real shifted_rng(real mu) { return normal_rng(mu, 1) + 100; }
}
parameters { real x; }
model { x ~ normal(0, 1); }
generated quantities { real y = shifted_rng(x); }
)");
  CHECK(logp(*m, {0.5}) == doctest::Approx(-0.125));
  CHECK_THROWS_WITH_AS(compile(R"(
functions { real f(real x) { return f(x); } }
parameters { real x; }
model { target += f(x); }
)"),
                       doctest::Contains("more than 200 nested calls"), std::exception);
}

// observed_data: the data variables a model's sampling statements observe, at any nesting.
#include <doctest/doctest.h>

#include "lang/frontend.hpp"
#include "lang/observed.hpp"

using namespace mcmc::lang;

TEST_CASE("observed data: outcomes of ~ and of _lpdf / _lpmf calls in the model block, data variables only") {
  const Program p = parse_and_check(
      "test.stan",
      "data { int<lower=0> N; vector[N] y; array[N] int k; vector[N] x; real s; array[N] real w; }\n"
      "parameters { real a; real<lower=0> b; }\n"
      "model {\n"
      "  a ~ normal(0, s);\n"
      "  for (n in 1:N) {\n"
      "    if (n > 1) y[n] ~ normal(a + b * x[n], 1);\n"
      "    target += poisson_log_lpmf(k[n] | a) + normal_lpdf(w[n] | 0, 1);\n"
      "  }\n"
      "}\n");
  CHECK(observed_data(p) == std::set<std::string>{"k", "w", "y"});
}

// The model compiler's dispatch of the catalogue: a handler for every Special function, and calls of each kind evaluated.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

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

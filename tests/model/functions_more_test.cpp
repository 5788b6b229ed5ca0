// inc_beta and log_modified_bessel_first_kind: values against R, gradients against central differences.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "tests/model/model_test_util.hpp"

using mcmc::test::compile;
using mcmc::test::logp;

TEST_CASE("inc_beta(a, b, x) is R's pbeta(x, a, b), differentiable in a, b and x") {
  // R: pbeta(0.3, 2.5, 3.5)
  auto m = compile("parameters { real a; real b; real x; }\nmodel { target += inc_beta(2.5 + a, 3.5 + b, 0.3 + x); }\n");
  CHECK(logp(*m, {0, 0, 0}) == doctest::Approx(0.29675298929566635).epsilon(1e-12));
  mcmc::test::check_gradient(*m, "inc_beta", 3, 0.1);
}

TEST_CASE("log_modified_bessel_first_kind(v, z) is log(besselI(z, v)), differentiable in z") {
  // R: log(besselI(3.2, 1.5)), log(besselI(0.4, 0))
  auto m = compile("parameters { real z; }\nmodel { target += log_modified_bessel_first_kind(1.5, 3.2 + z); }\n");
  CHECK(logp(*m, {0}) == doctest::Approx(1.3279596559554248).epsilon(1e-12));
  mcmc::test::check_gradient(*m, "log_modified_bessel_first_kind", 3, 0.5);
  auto m0 = compile("parameters { real z; }\nmodel { target += log_modified_bessel_first_kind(0, 0.4 + z); }\n");
  CHECK(logp(*m0, {0}) == doctest::Approx(0.039606967614095982).epsilon(1e-12));
}

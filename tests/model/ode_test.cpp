// ODE solvers (ode_rk45 / ode_bdf / ode_adams, their _tol forms, integrate_ode_*): values against R's deSolve, gradients (forward sensitivities) against central differences.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "tests/model/model_test_util.hpp"

using mcmc::test::compile;
using mcmc::test::Data;
using mcmc::test::logp;

namespace {

// Lotka-Volterra as posteriordb writes it (old form) and in the new form.
const std::string kFunctions = R"(
functions {
  array[] real lv_old(real t, array[] real z, array[] real theta, array[] real x_r, array[] int x_i) {
    return {(theta[1] - theta[2] * z[2]) * z[1], (-theta[3] + theta[4] * z[1]) * z[2]};
  }
  vector lv(real t, vector z, real a, real b, array[] real cd) {
    vector[2] dz;
    dz[1] = (a - b * z[2]) * z[1];
    dz[2] = (-cd[1] + cd[2] * z[1]) * z[2];
    return dz;
  }
}
)";

// deSolve::ode(c(30, 4), c(0, 1, 2.5, 5, 10), lv, c(0.55, 0.028, 0.8, 0.024), method = "lsoda",
// rtol = 1e-12, atol = 1e-12) (R 4.2.2, deSolve 1.34).
const double kLv[4][2] = {{46.38607301198828, 4.43527035491000},
                          {78.37469092269320, 12.76120114068119},
                          {18.58483947235392, 49.52995160463502},
                          {23.43979794466320, 4.38707791742603}};

Data lv_data() {
  Data d;
  d.vec("ts", {1, 2.5, 5, 10});
  return d;
}

// A model whose log density is solution element z[k, i] at theta = (0.55, 0.028, 0.8, 0.024),
// z0 = (30, 4): the parameters are offsets added to them, so q = 0 is the reference point.
std::string lv_model(const std::string& call, int k, int i) {
  return kFunctions + R"(
data { array[4] real ts; }
parameters { array[4] real dth; array[2] real dz0; }
transformed parameters {
  array[4] real theta = {0.55 + dth[1], 0.028 + dth[2], 0.8 + dth[3], 0.024 + dth[4]};
  array[2] real z0 = {30 + dz0[1], 4 + dz0[2]};
}
model {
  )" + call + "\n  target += z[" + std::to_string(k) + ", " + std::to_string(i) + "];\n}\n";
}

}  // namespace

TEST_CASE("ODE solutions agree with deSolve's at the output times, every solver and form") {
  const std::vector<std::string> calls = {
      "array[4, 2] real z = integrate_ode_rk45(lv_old, z0, 0, ts, theta, rep_array(0.0, 0), rep_array(0, 0), 1e-10, 1e-10, 1e6);",
      "array[4, 2] real z = integrate_ode_bdf(lv_old, z0, 0, ts, theta, rep_array(0.0, 0), rep_array(0, 0), 1e-10, 1e-10, 1e6);",
      "array[4, 2] real z = integrate_ode_adams(lv_old, z0, 0, ts, theta, rep_array(0.0, 0), rep_array(0, 0), 1e-10, 1e-10, 1e6);",
      "array[4] vector[2] z = ode_rk45_tol(lv, to_vector(z0), 0, ts, 1e-10, 1e-10, 1000000, theta[1], theta[2], theta[3:4]);",
      "array[4] vector[2] z = ode_bdf_tol(lv, to_vector(z0), 0, ts, 1e-10, 1e-10, 1000000, theta[1], theta[2], theta[3:4]);",
      "array[4] vector[2] z = ode_adams_tol(lv, to_vector(z0), 0, ts, 1e-10, 1e-10, 1000000, theta[1], theta[2], theta[3:4]);",
  };
  for (const std::string& call : calls)
    for (int k = 1; k <= 4; ++k)
      for (int i = 1; i <= 2; ++i) {
        CAPTURE(call);
        CAPTURE(k);
        CAPTURE(i);
        auto m = compile(lv_model(call, k, i), lv_data().set);
        double v = logp(*m, std::vector<double>(6, 0.0));
        CHECK(v == doctest::Approx(kLv[k - 1][i - 1]).epsilon(1e-7));
      }
}

TEST_CASE("ODE gradients: forward sensitivities w.r.t. the initial state and the parameters match central differences") {
  auto model = [](const std::string& solver) {
    return compile(lv_model("array[4] vector[2] z = " + solver +
                                "(lv, to_vector(z0), 0, ts, 1e-10, 1e-10, 1000000, theta[1], theta[2], theta[3:4]);",
                            3, 2),
                   lv_data().set);
  };
  auto rk45 = model("ode_rk45_tol");
  mcmc::test::check_gradient(*rk45, "ode_rk45_tol", 2, 0.004);
  // CVODES changes its step size and order with the parameters, which makes central differences
  // of its solution noisy at the 1e-4 level: its sensitivities are compared with rk45's.
  for (std::string solver : {"ode_bdf_tol", "ode_adams_tol"}) {
    CAPTURE(solver);
    auto m = model(solver);
    for (std::vector<double> q : {std::vector<double>(6, 0.0), std::vector<double>{0.003, -0.001, 0.002, 0.001, -0.5, 0.3}}) {
      std::vector<double> g, g_rk45;
      double lp = mcmc::test::logp_grad(*m, q, g), lp_rk45 = mcmc::test::logp_grad(*rk45, q, g_rk45);
      CHECK(lp == doctest::Approx(lp_rk45).epsilon(1e-8));
      for (std::size_t i = 0; i < q.size(); ++i) CHECK(g[i] == doctest::Approx(g_rk45[i]).epsilon(1e-6));
    }
  }
  // The default tolerances (1e-6) and a constant initial state: sensitivities w.r.t. theta only.
  auto m = compile(kFunctions + R"(
data { array[4] real ts; }
parameters { real<lower=0> a; }
model {
  array[4] vector[2] z = ode_rk45(lv, to_vector({30, 4}), 0, ts, a, 0.028, {0.8, 0.024});
  target += normal_lpdf(z[2, 1] | 70, 5);
}
)",
                   lv_data().set);
  mcmc::test::check_gradient_at(*m, {std::log(0.55)}, "constant initial state");
}

TEST_CASE("ODE solver failures and misuse") {
  // Too few steps allowed: the point is rejected (log density -inf), as Stan rejects it.
  auto m = compile(lv_model("array[4, 2] real z = integrate_ode_rk45(lv_old, z0, 0, ts, theta, rep_array(0.0, 0), "
                            "rep_array(0, 0), 1e-10, 1e-10, 5);",
                            1, 1),
                   lv_data().set);
  CHECK(logp(*m, std::vector<double>(6, 0.0)) == -std::numeric_limits<double>::infinity());
  auto fails = [](const std::string& model, const std::string& text) {
    Data d = lv_data();
    try {
      compile(kFunctions + model, d.set);
      FAIL("no error");
    } catch (const std::exception& ex) {
      CHECK_MESSAGE(std::string(ex.what()).find(text) != std::string::npos, ex.what());
    }
  };
  fails("data { array[4] real ts; } parameters { real a; } model { target += ode_rk45(exp, to_vector({1, 2}), 0, ts, a)[1, 1]; }",
        "must be the name of a user-defined function");
  fails("data { array[4] real ts; } parameters { real a; } model { target += ode_rk45(lv, to_vector({1, 2}), 0, ts, a)[1, 1]; }",
        "no matching signature for lv");
  fails("data { array[4] real ts; } parameters { real a; } model { target += ode_rk45(lv, to_vector({1, 2}), a, ts, a, a, {a, a})[1, 1]; }",
        "the initial time must not depend on parameters");
  fails("data { array[4] real ts; } parameters { real a; } model { target += ode_rk45(lv, to_vector({1, 2}), 3, ts, a, a, {a, a})[1, 1]; }",
        "the output times must be finite and increase");
}

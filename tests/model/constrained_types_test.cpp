// cov_matrix, corr_matrix, cholesky_factor_cov, unit_vector and sum_to_zero_vector: Stan's transforms, Jacobians and inverses against rstan's log_prob / constrain_pars / unconstrain_pars, gradients, batched evaluation.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sampler/rng.hpp"
#include "tests/model/model_test_util.hpp"
#include "util/error.hpp"

using mcmc::test::compile;
using mcmc::test::read_text;

TEST_CASE("constrained matrix and vector types agree with rstan: log_prob, constrained values, unconstrain_pars") {
  // tests/stan/issue15/make_constrained_reference.R wrote the reference (rstan 2.21).
  const std::string dir = mcmc::test::test_data_dir() + "/constrained/";
  auto m = compile(read_text(std::string(MCMC_SOURCE_DIR) + "/tests/stan/issue15/constrained.stan"));
  const nlohmann::json ref = nlohmann::json::parse(read_text(dir + "reference.json"));
  REQUIRE(m->dim() == ref["dim"].get<std::size_t>());
  std::vector<double> lp_diff;
  int i = 0;
  for (const auto& p : ref["points"]) {
    ++i;
    CAPTURE(i);
    const std::vector<double> q = p["q"].get<std::vector<double>>();
    std::vector<double> g;
    double lp = mcmc::test::logp_grad(*m, q, g);
    lp_diff.push_back(lp - p["lp"].get<double>());
    const std::vector<double> g_stan = p["gradient"].get<std::vector<double>>();
    for (std::size_t k = 0; k < q.size(); ++k) {
      CAPTURE(k);
      CHECK(g[k] == doctest::Approx(g_stan[k]).epsilon(1e-10).scale(1));
    }
    // The constrained values in Stan's output order.
    mcmc::sampler::Rng rng(1, 0);
    std::vector<double> row;
    m->write_row(q, rng, row);
    const std::vector<double> want = p["constrained"].get<std::vector<double>>();
    REQUIRE(row.size() == want.size());
    for (std::size_t k = 0; k < row.size(); ++k) {
      CAPTURE(m->column_names()[k]);
      CHECK(row[k] == doctest::Approx(want[k]).epsilon(1e-12).scale(1));
    }
    // The inverse transform of rstan's constrained values (as an --init file) is rstan's
    // unconstrain_pars (the point itself, except for a unit_vector: its free coordinates come back
    // as the unit vector).
    mcmc::io::DataSet init = mcmc::io::read_data_json(dir + "point" + std::to_string(i) + ".init.json");
    std::vector<double> random_u(q.size(), 0.0);
    std::vector<double> u = m->init_point(&init, random_u);
    const std::vector<double> back = p["unconstrained_again"].get<std::vector<double>>();
    for (std::size_t k = 0; k < q.size(); ++k) {
      CAPTURE(m->unconstrained_names()[k]);
      CHECK(u[k] == doctest::Approx(back[k]).epsilon(1e-9).scale(1));
      if (m->unconstrained_names()[k].rfind("u", 0) != 0) CHECK(u[k] == doctest::Approx(q[k]).epsilon(1e-9).scale(1));
    }
  }
  // The same constants dropped at every point: lp_mcmc - lp_stan is one number.
  for (double d : lp_diff) CHECK(d == doctest::Approx(lp_diff[0]).epsilon(1e-12).scale(1));
  // Stan's column names: matrices column-major, arrays first.
  const auto& names = m->column_names();
  CHECK(names[0] == "Sigma.1.1");
  CHECK(names[1] == "Sigma.2.1");
  CHECK(std::find(names.begin(), names.end(), "Om2.2.1.2") != names.end());
  CHECK(std::find(names.begin(), names.end(), "Lrect.4.2") != names.end());
  CHECK(names.back() == "uu.2.2");
}

TEST_CASE("constrained matrix and vector types: gradients and batched evaluation") {
  auto m = compile(read_text(std::string(MCMC_SOURCE_DIR) + "/tests/stan/issue15/constrained.stan"));
  mcmc::test::check_gradient(*m, "constrained", 3, 1.0);
  int points = 0;
  mcmc::test::check_batches(*m, 1.0, 7, &points);
  CHECK(points > 0);
}

TEST_CASE("sum_to_zero_vector: Stan 2.36's isometric transform, its inverse, no Jacobian") {
  auto m = compile("parameters { sum_to_zero_vector[4] z; array[2] sum_to_zero_vector[2] w; }\n"
                   "model { z ~ normal(0.3, 1); w[1] ~ normal(0, 2); w[2] ~ normal(1, 1); }\n");
  REQUIRE(m->dim() == 3 + 2);
  const std::vector<double> q = {0.3, -1.2, 0.7, 0.5, -0.4};
  mcmc::sampler::Rng rng(1, 0);
  std::vector<double> row;
  m->write_row(q, rng, row);
  REQUIRE(row.size() == 8);
  // sum zero, and an isometry: |z| = |u| (the basis is orthonormal).
  double s = 0, n2 = 0;
  for (int k = 0; k < 4; ++k) {
    s += row[k];
    n2 += row[k] * row[k];
  }
  CHECK(std::fabs(s) < 1e-15);
  CHECK(n2 == doctest::Approx(0.3 * 0.3 + 1.2 * 1.2 + 0.7 * 0.7).epsilon(1e-14));
  // Stan's basis: z_4 = -u_3 sqrt(3 / 4); z_1 = u_1 / sqrt(2) + u_2 / sqrt(6) + u_3 / sqrt(12).
  CHECK(row[3] == doctest::Approx(-0.7 * std::sqrt(0.75)).epsilon(1e-15));
  CHECK(row[0] == doctest::Approx(0.3 / std::sqrt(2.0) - 1.2 / std::sqrt(6.0) + 0.7 / std::sqrt(12.0)).epsilon(1e-14));
  // K = 2: (u / sqrt 2, -u / sqrt 2). The columns of w are column-major: w.1.1, w.2.1, w.1.2, w.2.2.
  const double w1[2] = {row[4], row[6]}, w2[2] = {row[5], row[7]};
  CHECK(w1[0] == doctest::Approx(0.5 / std::sqrt(2.0)).epsilon(1e-15));
  CHECK(w1[1] == doctest::Approx(-0.5 / std::sqrt(2.0)).epsilon(1e-15));
  CHECK(w2[0] == doctest::Approx(-0.4 / std::sqrt(2.0)).epsilon(1e-15));
  // No Jacobian: the log density is the normals' (up to the constants ~ drops).
  double want = 0;
  for (int k = 0; k < 4; ++k) want += -0.5 * (row[k] - 0.3) * (row[k] - 0.3);
  for (int k = 0; k < 2; ++k) want += -0.5 * w1[k] * w1[k] / 4 - 0.5 * (w2[k] - 1) * (w2[k] - 1);
  CHECK(mcmc::test::logp(*m, q) == doctest::Approx(want).epsilon(1e-13));
  // The inverse (an --init file) gives the point back.
  mcmc::io::DataSet init;
  init.vars["z"] = mcmc::io::DataValue{{4}, {row[0], row[1], row[2], row[3]}, false};
  init.vars["w"] = mcmc::io::DataValue{{2, 2}, {w1[0], w1[1], w2[0], w2[1]}, false};
  std::vector<double> u = m->init_point(&init, std::vector<double>(5, 9.0));
  for (std::size_t k = 0; k < q.size(); ++k) CHECK(u[k] == doctest::Approx(q[k]).epsilon(1e-14).scale(1));
  mcmc::test::check_gradient(*m, "sum_to_zero", 3, 1.0);
  mcmc::test::check_batches(*m, 1.0, 3);
}

TEST_CASE("constrained types: invalid values are refused naming the variable") {
  auto bad_init = [](const std::string& decl, mcmc::io::DataValue v) {
    auto m = compile("parameters { " + decl + " x; }\nmodel { }\n");
    mcmc::io::DataSet init;
    init.vars["x"] = std::move(v);
    std::string msg;
    try {
      m->init_point(&init, std::vector<double>(m->dim(), 0.0));
    } catch (const mcmc::Error& e) {
      msg = e.what();
    }
    return msg;
  };
  CHECK(bad_init("cov_matrix[2]", {{2, 2}, {1, 0.5, 0.4, 1}, false}).find("not symmetric") != std::string::npos);
  CHECK(bad_init("cov_matrix[2]", {{2, 2}, {1, 2, 2, 1}, false}).find("not positive definite") != std::string::npos);
  CHECK(bad_init("corr_matrix[2]", {{2, 2}, {1, 0.5, 0.5, 2}, false}).find("must be 1") != std::string::npos);
  CHECK(bad_init("cholesky_factor_cov[2]", {{2, 2}, {1, 0.5, 0.5, 1}, false}).find("must be 0") != std::string::npos);
  CHECK(bad_init("unit_vector[2]", {{2}, {1, 0.5}, false}).find("unit vector") != std::string::npos);
  CHECK(bad_init("sum_to_zero_vector[2]", {{2}, {1, 0.5}, false}).find("sum to 0") != std::string::npos);
  // A transformed parameter that is not a correlation matrix rejects the point.
  auto m = compile("parameters { real<lower=-2, upper=2> r; }\n"
                   "transformed parameters { corr_matrix[2] O = [[1, r], [r, 1]]; }\nmodel { }\n");
  CHECK(std::isfinite(mcmc::test::logp(*m, {0.0})));   // r = 0
  CHECK(!std::isfinite(mcmc::test::logp(*m, {2.5})));  // r near 1.85: not positive definite
}

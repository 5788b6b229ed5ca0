// posteriordb models that need this project's user-defined functions and scalar library, compiled unchanged (tests/data/posteriordb-unchanged).
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "sampler/rng.hpp"
#include "tests/model/model_test_util.hpp"

namespace {

std::shared_ptr<const mcmc::model::Model> unchanged(const std::string& model, const std::string& posterior) {
  const std::string dir = std::string(MCMC_SOURCE_DIR) + "/tests/data/posteriordb-unchanged/";
  std::ifstream in(dir + model + ".stan");
  std::stringstream ss;
  ss << in.rdbuf();
  auto data = mcmc::io::read_data_json(dir + posterior + ".data.json");
  return mcmc::test::compile(ss.str(), data);
}

}  // namespace

TEST_CASE("losscurve_sislob (user-defined functions) compiles with a correct gradient") {
  auto m = unchanged("losscurve_sislob", "loss_curves-losscurve_sislob");
  mcmc::test::check_gradient(*m, "losscurve_sislob", 3, 0.5);
}

TEST_CASE("normal_mixture (log_mix) compiles with a correct gradient and the mixture's density") {
  auto m = unchanged("normal_mixture", "normal_2-normal_mixture");
  mcmc::test::check_gradient(*m, "normal_mixture", 3, 1.0);
  // With mu[1] = mu[2] the mixture is one normal: the density does not depend on theta.
  std::vector<double> g;
  double a = mcmc::test::logp_grad(*m, {0.3, 1.0, 1.0}, g), b = mcmc::test::logp_grad(*m, {-1.2, 1.0, 1.0}, g);
  // theta's Jacobian log(theta (1 - theta)) is the only difference.
  auto jac = [](double u) { double t = 1 / (1 + std::exp(-u)); return std::log(t * (1 - t)); };
  CHECK(a - jac(0.3) == doctest::Approx(b - jac(-1.2)).epsilon(1e-12));
}

TEST_CASE("lotka_volterra (integrate_ode_rk45 with a user-defined right-hand side) compiles with a correct gradient") {
  auto m = unchanged("lotka_volterra", "hudson_lynx_hare-lotka_volterra");
  // Near the posterior (theta ~ (0.55, 0.028, 0.8, 0.024), z_init ~ (34, 6), sigma ~ 0.25), unconstrained.
  std::vector<double> q = {std::log(0.55), std::log(0.028), std::log(0.8), std::log(0.024),
                           std::log(34.0), std::log(6.0), std::log(0.25), std::log(0.25)};
  // Its tolerances (rel 1e-5, abs 1e-3) make the solution's central differences differ from the
  // exact sensitivities by about 1e-4 relative (as in Stan): checked to 1e-3.
  std::vector<double> g;
  mcmc::test::logp_grad(*m, q, g);
  for (std::size_t i = 0; i < q.size(); ++i) {
    std::vector<double> a = q, b = q;
    a[i] += 1e-5;
    b[i] -= 1e-5;
    double numeric = (mcmc::test::logp(*m, a) - mcmc::test::logp(*m, b)) / 2e-5;
    CAPTURE(i);
    CHECK(g[i] == doctest::Approx(numeric).epsilon(1e-3));
  }
}

TEST_CASE("posteriordb models of issue 15's second part compile unchanged with correct gradients") {
  // corr_matrix / cov_matrix transformed parameters, a corr_matrix generated quantity, chained
  // indexes, transpose(), multi_normal_rng.
  struct Case {
    const char* model;
    const char* posterior;
    bool gradient;
  };
  // hier_2pl (log density -1e4, 800 coordinates) and kronecker_gp (eigenvectors of a GP kernel with
  // clustered eigenvalues near its 1e-5 jitter) are beyond central differences' accuracy: compiled
  // and evaluated only.
  for (const Case& c : {Case{"dogs_nonhierarchical", "dogs-dogs_nonhierarchical", true}, Case{"hier_2pl", "sat-hier_2pl", false},
                        Case{"iohmm_reg", "iohmm_reg_simulated-iohmm_reg", true},
                        Case{"kronecker_gp", "synthetic_grid_RBF_kernels-kronecker_gp", false},
                        Case{"multi_occupancy", "butterfly-multi_occupancy", true}}) {
    CAPTURE(c.model);
    auto m = unchanged(c.model, c.posterior);
    if (c.gradient) mcmc::test::check_gradient(*m, c.model, 2, 0.5);
    else CHECK(std::isfinite(mcmc::test::logp(*m, std::vector<double>(m->dim(), 0.1))));
    // Generated quantities (multi_occupancy's multi_normal_rng, hier_2pl's corr_matrix) run.
    mcmc::sampler::Rng rng(1, 0);
    std::vector<double> row, q(m->dim(), 0.1);
    m->write_row(q, rng, row);
    CHECK(row.size() == m->column_names().size());
  }
}

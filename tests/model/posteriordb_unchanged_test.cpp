// posteriordb models that need this project's user-defined functions and scalar library, compiled unchanged (tests/data/posteriordb-unchanged).
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

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

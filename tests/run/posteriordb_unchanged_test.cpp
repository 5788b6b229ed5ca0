// posteriordb models that need issue 14's language (ODE solvers, user-defined functions), sampled unchanged and compared with posteriordb's reference posterior.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "io/data.hpp"
#include "lang/frontend.hpp"
#include "model/model.hpp"
#include "run/report.hpp"
#include "run/runner.hpp"
#include "tests/reference_names.hpp"

namespace fs = std::filesystem;
using namespace mcmc;

namespace {

using mcmc::testing::csv_name;

// Default NUTS (4 chains x (1000 + 1000)); every reference mean within 0.2 reference sd, every
// sd within 20% (the project's acceptance rule), for the quantities listed in `params`.
void check_unchanged(const std::string& model, const std::string& posterior, const std::vector<std::string>& params) {
  CAPTURE(posterior);
  const fs::path dir = fs::path(MCMC_TEST_DATA_DIR) / "posteriordb-unchanged";
  auto program = std::make_shared<const lang::Program>(lang::load_program((dir / (model + ".stan")).string()));
  auto m = model::Model::compile(program, io::read_data_json((dir / (posterior + ".data.json")).string()), 1234);
  run::RunSettings s;
  s.seed = 20261202;
  s.quiet = true;
  run::RunReport rep = run::run_chains(s, *m, nullptr, nullptr);
  std::map<std::string, diag::ParamSummary> by_name;
  for (const auto& r : run::summarize_run(rep, {0.5})) by_name[r.name] = r;
  std::ifstream in(dir / (posterior + ".ref.json"));
  const nlohmann::json ref = nlohmann::json::parse(in)["params"];
  for (const std::string& p : params) {
    CAPTURE(p);
    REQUIRE(by_name.count(csv_name(p)));
    const diag::ParamSummary& got = by_name.at(csv_name(p));
    const double mean = ref.at(p).at("mean").get<double>(), sd = ref.at(p).at("sd").get<double>();
    CAPTURE(got.mean);
    CAPTURE(mean);
    CAPTURE(got.sd);
    CAPTURE(sd);
    CHECK(std::abs(got.mean - mean) <= 0.2 * sd);
    CHECK(std::abs(got.sd - sd) <= 0.2 * sd);
  }
}

}  // namespace

TEST_CASE("posteriordb lotka_volterra (integrate_ode_rk45) matches its reference posterior") {
  check_unchanged("lotka_volterra", "hudson_lynx_hare-lotka_volterra",
                  {"theta[1]", "theta[2]", "theta[3]", "theta[4]", "z_init[1]", "z_init[2]", "sigma[1]", "sigma[2]"});
}

TEST_CASE("posteriordb blr (X * beta) matches its reference posteriors") {
  check_unchanged("blr", "sblri-blr", {"beta[1]", "beta[2]", "beta[3]", "beta[4]", "beta[5]", "sigma"});
  check_unchanged("blr", "sblrc-blr", {"beta[1]", "beta[2]", "beta[3]", "beta[4]", "beta[5]", "sigma"});
}

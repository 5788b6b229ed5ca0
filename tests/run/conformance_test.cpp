// Conformance: every posteriordb case in tests/data/conformance sampled with default settings matches its reference posterior.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "io/data.hpp"
#include "lang/frontend.hpp"
#include "model/model.hpp"
#include "run/report.hpp"
#include "run/resolve.hpp"
#include "run/runner.hpp"
#include "tests/reference_names.hpp"

namespace fs = std::filesystem;
using namespace mcmc;

namespace {

using mcmc::testing::csv_name;

struct Check {
  std::string param;
  double mean, ref_mean, ref_sd, sd;
};

std::vector<Check> run_case(const std::string& name, sampler::Algorithm algorithm, int chains = 4,
                            run::Mode mode = run::Mode::Parallel) {
  fs::path dir = fs::path(MCMC_TEST_DATA_DIR) / "conformance";
  auto program = std::make_shared<const lang::Program>(lang::load_program((dir / (name + ".stan")).string()));
  io::DataSet data = io::read_data_json(
      (fs::path(MCMC_TEST_DATA_DIR) / "posteriordb" / (name + ".data.json")).string());
  auto model = model::Model::compile(program, data, 1234);
  run::RunSettings s;  // defaults: 4 chains x (1000 warm-up + 1000 draws), NUTS
  s.seed = 20261127;
  s.quiet = true;
  s.sampler.algorithm = algorithm;
  s.chains = chains;
  s.mode = mode;
  run::resolve_settings(s);  // the algorithm's defaults, as `mcmc run` applies them
  run::RunReport rep = run::run_chains(s, *model, nullptr, nullptr);
  auto rows = run::summarize_run(rep, {0.5});
  std::map<std::string, const diag::ParamSummary*> by_name;
  for (const auto& r : rows) by_name[r.name] = &r;

  std::ifstream in(dir / (name + ".ref.json"));
  nlohmann::json ref = nlohmann::json::parse(in);
  std::vector<Check> out;
  for (const auto& item : ref["params"].items()) {
    const std::string param = item.key();  // (clang 14 cannot capture structured bindings)
    const nlohmann::json& v = item.value();
    auto it = by_name.find(csv_name(param));
    REQUIRE_MESSAGE(it != by_name.end(), name << ": no column for " << param);
    out.push_back({param, it->second->mean, v["mean"].get<double>(), v["sd"].get<double>(), it->second->sd});
  }
  return out;
}

/// The project's acceptance rule: every reference mean within 0.2 reference sd, every sd within 20%.
void check_case(const std::string& name, sampler::Algorithm algorithm, int chains, run::Mode mode) {
  CAPTURE(name);
  for (const Check& c : run_case(name, algorithm, chains, mode)) {
    CAPTURE(c.param);
    CAPTURE(c.mean);
    CAPTURE(c.ref_mean);
    CAPTURE(c.sd);
    CAPTURE(c.ref_sd);
    CHECK(std::abs(c.mean - c.ref_mean) <= 0.2 * c.ref_sd);
    CHECK(std::abs(c.sd - c.ref_sd) <= 0.2 * c.ref_sd);
  }
}

bool have_conformance() {
  fs::path dir = fs::path(MCMC_TEST_DATA_DIR) / "conformance";
  if (!fs::exists(dir)) MESSAGE("skipped: " << dir << " not found");
  return fs::exists(dir);
}

}  // namespace

// The ensemble samplers, 16 chains in vmap mode, same acceptance rule as NUTS: ChEES on every
// case; MEADS on a representative part (a hierarchical funnel, a time series, regressions). Left
// out for MEADS, with reasons in docs/algorithms.md ("Thousands of chains"): low_dim_gauss_mix has a local mode
// (mu[1] = mu[2]) that traps an occasional chain of any sampler once there are tens of chains
// (NUTS too: 64 chains, seed 6), and in kidiq_with_mom_work (flat priors) an occasional MEADS chain
// is still out in the tails after warm-up at 64 chains.
TEST_CASE("conformance: ChEES-HMC (16 chains, vmap) matches the reference posteriors") {
  if (!have_conformance()) return;
  for (const auto& e : fs::directory_iterator(fs::path(MCMC_TEST_DATA_DIR) / "conformance"))
    if (e.path().extension() == ".stan") check_case(e.path().stem().string(), sampler::Algorithm::Chees, 16, run::Mode::Vmap);
}

TEST_CASE("conformance: MEADS (16 chains, vmap) matches the reference posteriors") {
  if (!have_conformance()) return;
  for (const char* name : {"eight_schools-eight_schools_noncentered", "garch-garch11",
                           "earnings-logearn_interaction_z", "mesquite-logmesquite_logvolume"})
    check_case(name, sampler::Algorithm::Meads, 16, run::Mode::Vmap);
}

TEST_CASE("conformance: posteriordb reference means and sds with default NUTS (low-rank metric, gradient-based adaptation)") {
  fs::path dir = fs::path(MCMC_TEST_DATA_DIR) / "conformance";
  if (!fs::exists(dir)) {
    MESSAGE("skipped: " << dir << " not found");
    return;
  }
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".stan") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  REQUIRE(names.size() >= 1);
  for (const std::string& name : names) check_case(name, sampler::Algorithm::Nuts, 4, run::Mode::Parallel);
}

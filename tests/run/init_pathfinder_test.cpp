// `--init pathfinder`: the ARMA(1,1) start-up trap is gone in 20 seeds of 20, and no conformance model gets worse.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "io/data.hpp"
#include "lang/frontend.hpp"
#include "model/model.hpp"
#include "run/init.hpp"
#include "run/report.hpp"
#include "run/runner.hpp"
#include "tests/reference_names.hpp"

namespace fs = std::filesystem;
using namespace mcmc;

namespace {

using mcmc::testing::csv_name;

/// Samples `model` (NUTS, 4 chains x (1000 + 1000)) from Pathfinder's draws and counts the
/// reference means missed by more than 0.2 reference sd and the sds off by more than 20%.
int misses(const model::Model& model, const fs::path& ref_file, std::uint64_t seed, std::int64_t& pathfinder_grads) {
  run::RunSettings s;
  s.seed = seed;
  s.quiet = true;
  s.init = "pathfinder";
  run::Init init = run::Init::parse(s.init);
  run::RunReport rep = run::run_chains(s, model, nullptr, init);
  pathfinder_grads = rep.footer.pathfinder_gradient_evals;
  std::map<std::string, diag::ParamSummary> by_name;
  for (const auto& r : run::summarize_run(rep, {0.5})) by_name[r.name] = r;
  std::ifstream in(ref_file);
  const nlohmann::json ref = nlohmann::json::parse(in);
  int bad = 0;
  for (const auto& item : ref["params"].items()) {
    const std::string param = item.key();
    const auto it = by_name.find(csv_name(param));
    REQUIRE_MESSAGE(it != by_name.end(), param);
    const double ref_mean = item.value()["mean"].get<double>(), ref_sd = item.value()["sd"].get<double>();
    const bool ok = std::abs(it->second.mean - ref_mean) <= 0.2 * ref_sd && std::abs(it->second.sd - ref_sd) <= 0.2 * ref_sd;
    if (!ok) MESSAGE(ref_file.stem().string() << " seed " << seed << ": " << param << " mean " << it->second.mean
                                              << " sd " << it->second.sd << " (reference " << ref_mean << ", " << ref_sd << ")");
    bad += ok ? 0 : 1;
  }
  return bad;
}

std::shared_ptr<const model::Model> load(const fs::path& stan, const fs::path& data) {
  auto program = std::make_shared<const lang::Program>(lang::load_program(stan.string()));
  return model::Model::compile(program, io::read_data_json(data.string()), 1234);
}

}  // namespace

// tests/data/arma/arma11_ma_free.stan: chains started from uniform(-2, 2) with |theta| > 1 get stuck
// (docs/optimize-pathfinder.md gives the count per seed); Pathfinder starts every chain near the posterior.
TEST_CASE("--init pathfinder: ARMA(1,1) with a free MA coefficient gives the right posterior for 20 seeds of 20") {
  const fs::path dir = fs::path(MCMC_TEST_DATA_DIR) / "arma";
  const auto model = load(dir / "arma11_ma_free.stan", dir / "arma11_ma_free.data.json");
  int good = 0;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    std::int64_t grads = 0;
    const int bad = misses(*model, dir / "arma11_ma_free.ref.json", seed, grads);
    CHECK(grads > 0);
    good += bad == 0 ? 1 : 0;
  }
  CHECK(good == 20);
}

TEST_CASE("--init pathfinder: every conformance model still matches its reference posterior") {
  const fs::path dir = fs::path(MCMC_TEST_DATA_DIR) / "conformance";
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".stan") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  REQUIRE(names.size() == 8);
  for (const std::string& name : names) {
    CAPTURE(name);
    const auto model = load(dir / (name + ".stan"), fs::path(MCMC_TEST_DATA_DIR) / "posteriordb" / (name + ".data.json"));
    std::int64_t grads = 0;
    CHECK(misses(*model, dir / (name + ".ref.json"), 20261127, grads) == 0);
    MESSAGE(name << ": Pathfinder spent " << grads << " gradient evaluations");
  }
}

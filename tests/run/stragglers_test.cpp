// Ensemble stragglers end to end: MEADS with defaults and 64 chains matches posteriordb where a few stuck chains once biased it, and a run that ends warm-up with stragglers says so.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "diag/advice.hpp"
#include "io/data.hpp"
#include "lang/frontend.hpp"
#include "model/model.hpp"
#include "run/report.hpp"
#include "run/runner.hpp"
#include "tests/reference_names.hpp"

namespace fs = std::filesystem;
using namespace mcmc;

namespace {

run::RunSettings meads_settings(int chains, int warmup) {
  run::RunSettings s;
  s.seed = 20261127;
  s.quiet = true;
  s.sampler.algorithm = sampler::Algorithm::Meads;
  s.sampler.warmup = warmup;  // `mcmc run`'s MEADS default is 5000
  s.chains = chains;
  s.mode = run::Mode::Vmap;
  return s;
}

using mcmc::testing::csv_name;

}  // namespace

// posteriordb's earnings-logearn_interaction_z: before the straggler guard, MEADS with 64 chains
// in vmap mode left a few chains far out in the tails after warm-up (pooled beta[1] mean 7.4
// against 9.53, sd 0.045, with R-hat 1.09).
TEST_CASE("stragglers: MEADS, 64 chains, vmap, defaults: earnings-logearn_interaction_z matches the reference") {
  const std::string name = "earnings-logearn_interaction_z";
  const fs::path dir = fs::path(MCMC_TEST_DATA_DIR) / "conformance";
  auto program = std::make_shared<const lang::Program>(lang::load_program((dir / (name + ".stan")).string()));
  io::DataSet data = io::read_data_json((fs::path(MCMC_TEST_DATA_DIR) / "posteriordb" / (name + ".data.json")).string());
  auto model = model::Model::compile(program, data, 1234);
  run::RunSettings s = meads_settings(64, 5000);
  s.sampler.samples = 500;
  run::RunReport rep = run::run_chains(s, *model, nullptr, nullptr);
  CHECK(rep.stuck_chains.empty());
  auto rows = run::summarize_run(rep, {0.5});
  std::ifstream in(dir / (name + ".ref.json"));
  const nlohmann::json ref = nlohmann::json::parse(in);
  for (const auto& item : ref["params"].items()) {
    const std::string param = item.key();
    const double ref_mean = item.value()["mean"].get<double>(), ref_sd = item.value()["sd"].get<double>();
    const diag::ParamSummary* row = nullptr;
    for (const auto& r : rows)
      if (r.name == csv_name(param)) row = &r;
    REQUIRE_MESSAGE(row, "no column for " << param);
    CAPTURE(param);
    CAPTURE(row->mean);
    CAPTURE(row->sd);
    CHECK(std::abs(row->mean - ref_mean) <= 0.2 * ref_sd);
    CHECK(std::abs(row->sd - ref_sd) <= 0.2 * ref_sd);
  }
}

// A posterior of sd 0.001 and chains started uniformly in (-2, 2): after 30 MEADS warm-up
// iterations (too short for check points) most chains are still far out.
TEST_CASE("stragglers: a run that ends warm-up with stragglers says so") {
  auto program = std::make_shared<const lang::Program>(
      lang::parse_and_check("tight.stan", "parameters { real mu; }\nmodel { mu ~ normal(0, 0.001); }\n"));
  auto model = model::Model::compile(program, io::DataSet{}, 1234);
  run::RunSettings s = meads_settings(16, 30);
  s.seed = 1;
  s.sampler.samples = 100;
  run::RunReport rep = run::run_chains(s, *model, nullptr, nullptr);
  // Most chains are still more than about 5 posterior sds out (checked with `mcmc run`).
  REQUIRE(rep.stuck_chains.size() == 13);
  CHECK(std::vector<int>(rep.stuck_chains.begin(), rep.stuck_chains.begin() + 5) == std::vector<int>{0, 2, 3, 4, 5});
  auto rows = run::summarize_run(rep, {0.5});
  const diag::Diagnostics d = run::diagnose_run(s, rep, rows);
  const std::string text = diag::diagnostics_text(d, rows);
  CHECK(text.find("Stragglers: 13 of 16 chains ended warm-up far below the others' log density (chain 1, 3, 4, 5, 6, ...)") !=
        std::string::npos);
  bool warned = false;
  for (const std::string& w : diag::diagnostics_warnings(d, rows)) warned = warned || w.rfind("Stragglers:", 0) == 0;
  CHECK(warned);
  // NUTS has no ensemble: no such line.
  s.sampler.algorithm = sampler::Algorithm::Nuts;
  s.chains = 4;
  s.mode = run::Mode::Parallel;
  run::RunReport nuts = run::run_chains(s, *model, nullptr, nullptr);
  auto nrows = run::summarize_run(nuts, {0.5});
  CHECK(diag::diagnostics_text(run::diagnose_run(s, nuts, nrows), nrows).find("Stragglers") == std::string::npos);
}

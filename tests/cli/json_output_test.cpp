// End-to-end: `--format json` writes one file with the layout of docs/output-json.md and the same draws as the CSV files.
#include <doctest/doctest.h>

#include <algorithm>

#include <cmath>

#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

using namespace cli_test;
using nlohmann::json;

namespace {

const std::vector<std::string> kRun = {"run",    "models/normal_logscale.stan", "--data", "models/normal_logscale.data.json",
                                       "--seed", "5",       "--warmup",  "200", "--samples", "150", "--quiet"};

std::vector<std::string> plus(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

json run_json(const std::vector<std::string>& extra, const TempDir& dir) {
  const Result r = run_mcmc(plus(plus(kRun, extra), {"--format", "json", "--output", dir / "out.json"}));
  INFO("stderr: " << r.err);
  REQUIRE(r.code == 0);
  // One file for all chains, nothing else.
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path())) ++files;
  CHECK(files == 1);
  return json::parse(read_text(dir / "out.json"));
}

}  // namespace

TEST_CASE("--format json: the documented layout, and the CSV draws to the CSV's precision") {
  TempDir csv_dir, json_dir;
  const Result r = run_mcmc(plus(kRun, {"--output", csv_dir / "out.csv"}));
  REQUIRE(r.code == 0);
  const std::vector<StanCsv> csv = read_chains(csv_dir.path(), "out", 4);
  const json fit = run_json({}, json_dir);

  CHECK(fit.at("format") == "mcmc-draws");
  CHECK(fit.at("format_version") == 1);
  CHECK(fit.at("model") == "normal_logscale_model");
  CHECK(fit.at("algorithm") == "nuts");
  const json& config = fit.at("config");
  REQUIRE(config.is_object());
  CHECK(config.at("method") == "sample");
  CHECK(config.at("method.sample.num_samples") == "150");
  CHECK(config.at("method.sample.num_warmup") == "200");
  CHECK(config.at("random.seed") == "5");
  for (const auto& [key, value] : config.items()) CHECK(value.is_string());
  const json& user_set = fit.at("config_user_set");
  REQUIRE(user_set.is_array());
  auto has = [&](const std::string& key) { return std::find(user_set.begin(), user_set.end(), key) != user_set.end(); };
  CHECK(has("random.seed"));
  CHECK(has("method.sample.num_samples"));
  CHECK_FALSE(has("method.sample.thin"));
  for (const auto& key : user_set) CHECK(config.contains(key.get<std::string>()));

  REQUIRE(fit.at("columns").get<std::vector<std::string>>() == csv[0].header);
  CHECK(fit.at("num_sampler_columns") == 7);
  const json& chains = fit.at("chains");
  REQUIRE(chains.size() == 4);
  for (std::size_t c = 0; c < 4; ++c) {
    CAPTURE(c);
    const json& chain = chains[c];
    CHECK(chain.at("chain_id") == c + 1);
    CHECK(chain.at("seed").get<std::uint64_t>() == 5u);
    REQUIRE(chain.at("num_draws") == 150);

    const json& adaptation = chain.at("adaptation");
    const double step_size = std::stod(csv[c].adaptation.at(1).substr(14));
    CHECK(adaptation.at("step_size").get<double>() == doctest::Approx(step_size).epsilon(1e-5));
    REQUIRE(adaptation.at("inv_metric").size() == 2);
    const std::vector<std::string> metric = split(csv[c].adaptation.at(3).substr(2), ',');
    for (std::size_t i = 0; i < 2; ++i)
      CHECK(adaptation.at("inv_metric")[i].get<double>() == doctest::Approx(std::stod(metric[i])).epsilon(1e-5));

    const json& footer = chain.at("footer");
    CHECK(footer.at("complete") == true);
    const auto grads = std::find_if(csv[c].footer.begin(), csv[c].footer.end(),
                                    [](const std::string& l) { return l.starts_with("# gradient_evaluations"); });
    REQUIRE(grads != csv[c].footer.end());
    CHECK(footer.at("gradient_evaluations") == std::stoll(grads->substr(grads->find('=') + 1)));
    CHECK(footer.at("divergences").is_number_integer());
    CHECK(footer.at("total_seconds").get<double>() ==
          doctest::Approx(footer.at("warmup_seconds").get<double>() + footer.at("sampling_seconds").get<double>()));
    CHECK(footer.at("lockstep_paid").is_null());
    CHECK(footer.at("lockstep_efficiency").is_null());

    // Draws by row; JSON values round-trip to the CSV's 6 significant digits; integer columns are integers.
    const json& draws = chain.at("draws");
    REQUIRE(draws.size() == csv[c].rows.size());
    for (std::size_t k = 0; k < draws.size(); ++k) {
      REQUIRE(draws[k].size() == csv[c].header.size());
      for (std::size_t j = 0; j < draws[k].size(); ++j) {
        const double csv_value = csv[c].rows[k][j];
        const double json_value = draws[k][j].get<double>();
        if (j >= 3 && j <= 5) {
          CHECK(draws[k][j].is_number_integer());
          CHECK(json_value == csv_value);
        } else if (std::abs(json_value - csv_value) > 5e-6 * std::abs(json_value) + 1e-300) {
          FAIL_CHECK("draw " << k << " column " << csv[c].header[j] << ": json " << json_value << " csv " << csv_value);
        }
      }
    }
  }
}

TEST_CASE("--format json in vmap mode records the lockstep cost per chain") {
  TempDir dir;
  const json fit = run_json({"--mode", "vmap"}, dir);
  // One lockstep group (the default): every chain reports the group's cost. The group's useful
  // evaluations are its chains' gradient evaluations, less at most one each for the initial point
  // (evaluated before the chains join the lockstep).
  const json& chains = fit.at("chains");
  REQUIRE(chains.size() == 4);
  std::int64_t gradients = 0;
  for (const json& chain : chains) gradients += chain.at("footer").at("gradient_evaluations").get<std::int64_t>();
  const json& first = chains[0].at("footer");
  for (const json& chain : chains) {
    const json& footer = chain.at("footer");
    CHECK(footer.at("lockstep_paid") == first.at("lockstep_paid"));
    CHECK(footer.at("lockstep_useful") == first.at("lockstep_useful"));
  }
  const auto paid = first.at("lockstep_paid").get<std::int64_t>();
  const auto useful = first.at("lockstep_useful").get<std::int64_t>();
  CHECK(useful <= gradients);
  CHECK(useful >= gradients - 4);
  CHECK(paid >= useful);
  CHECK(first.at("lockstep_efficiency").get<double>() ==
        doctest::Approx(static_cast<double>(useful) / static_cast<double>(paid)));
}

// --metric, --adapt, --save-metric and --metric-file end to end: the adapted metric in the outputs,
// a round trip through the metric JSON, a short warm-up from a saved metric, and bad files refused.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

using namespace cli_test;

namespace {

const std::vector<std::string> kModel = {"models/normal_logscale.stan", "--data", "models/normal_logscale.data.json"};

std::vector<std::string> with(std::vector<std::string> args) {
  std::vector<std::string> all = {"run"};
  all.insert(all.end(), kModel.begin(), kModel.end());
  all.insert(all.end(), args.begin(), args.end());
  return all;
}

nlohmann::json read_json(const std::string& path) { return nlohmann::json::parse(read_text(path)); }

/// The largest R-hat in `mcmc summary --csv` of these files.
double max_rhat(const std::vector<std::string>& files) {
  std::vector<std::string> args = {"summary", "--csv"};
  args.insert(args.end(), files.begin(), files.end());
  const Result r = run_mcmc(args);
  REQUIRE(r.code == 0);
  const std::vector<std::string> lines = lines_of(r.out);
  const std::vector<std::string> header = split(lines.at(0), ',');
  std::size_t col = 0;
  while (col < header.size() && header[col].find("R_hat") == std::string::npos) ++col;
  REQUIRE(col < header.size());
  double worst = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::vector<std::string> cells = split(lines[i], ',');
    if (cells.size() <= col || cells[0].find("__") != std::string::npos) continue;
    worst = std::max(worst, std::stod(cells[col]));
  }
  return worst;
}

}  // namespace

TEST_CASE("a dense metric is written as CmdStan writes dense_e and saved as metric JSON that a second run reuses") {
  TempDir dir;
  const Result first = run_mcmc(with({"--metric", "dense", "--adapt", "stan", "--seed", "3", "--output",
                                      dir / "a.csv", "--save-metric", dir / "m.json", "-q"}));
  INFO("stderr: " << first.err);
  REQUIRE(first.code == 0);
  for (int c = 1; c <= 4; ++c) REQUIRE(fs::exists(dir / ("m_" + std::to_string(c) + ".json")));
  const nlohmann::json m = read_json(dir / "m_1.json");
  REQUIRE(m["inv_metric"].size() == 2);
  REQUIRE(m["inv_metric"][0].size() == 2);
  CHECK(m["inv_metric"][0][1].get<double>() == doctest::Approx(m["inv_metric"][1][0].get<double>()));
  CHECK(m["stepsize"].get<double>() > 0);
  // The CSV holds the same matrix, one comment row per matrix row (6 significant digits).
  const std::string csv = read_text(dir / "a_1.csv");
  REQUIRE(contains(csv, "# Elements of inverse mass matrix:"));
  const std::size_t at = csv.find("# Elements of inverse mass matrix:");
  const std::vector<std::string> rows = lines_of(csv.substr(at));
  for (int r = 0; r < 2; ++r) {
    const std::vector<std::string> cells = split(rows.at(1 + r).substr(2), ',');
    REQUIRE(cells.size() == 2);
    for (int c = 0; c < 2; ++c) CHECK(std::stod(cells[c]) == doctest::Approx(m["inv_metric"][r][c].get<double>()).epsilon(1e-5));
  }

  // Second run from the saved metric: the metric stays exactly as loaded (saved again bit for bit),
  // the step size is adapted in a warm-up of 100 iterations, and the chains agree (R-hat < 1.01).
  const Result second = run_mcmc(with({"--metric-file", dir / "m_1.json", "--warmup", "100", "--seed", "4",
                                       "--output", dir / "b.csv", "--save-metric", dir / "m2.json", "-q"}));
  INFO("stderr: " << second.err);
  REQUIRE(second.code == 0);
  const std::string b = read_text(dir / "b_1.csv");
  CHECK(contains(b, "metric = dense_e"));
  CHECK(contains(b, "metric_file = "));
  for (int c = 1; c <= 4; ++c) CHECK(read_json(dir / ("m2_" + std::to_string(c) + ".json"))["inv_metric"] == m["inv_metric"]);
  CHECK(max_rhat({dir / "b_1.csv", dir / "b_2.csv", dir / "b_3.csv", dir / "b_4.csv"}) < 1.01);

  // Our own output is a metric file too (its first chain's metric, here dense).
  const Result third = run_mcmc(with({"--metric-file", dir / "a_1.csv", "--warmup", "100", "--seed", "5", "-q",
                                      "--chains", "1", "--save-metric", dir / "m3.json"}));
  INFO("stderr: " << third.err);
  REQUIRE(third.code == 0);
  CHECK(read_json(dir / "m3.json")["inv_metric"].size() == 2);
}

TEST_CASE("--metric and --adapt: every combination samples the right posterior; a diagonal metric file too") {
  TempDir dir;
  for (const char* metric : {"diag", "dense", "lowrank"})
    for (const char* adapt : {"stan", "gradient"}) {
      CAPTURE(metric);
      CAPTURE(adapt);
      const Result r = run_mcmc(with({"--metric", metric, "--adapt", adapt, "--seed", "2", "--output", dir / "x.csv",
                                      "-q", "--chains", "2", "--samples", "500", "--warmup", "300"}));
      INFO("stderr: " << r.err);
      REQUIRE(r.code == 0);
      CHECK(contains(read_text(dir / "x_1.csv"), std::string(metric) == "diag" ? "# Diagonal elements of inverse mass matrix:"
                                                                                : "# Elements of inverse mass matrix:"));
    }
  write_text(dir / "diag.json", "{\"inv_metric\": [0.5, 0.02], \"stepsize\": 0.7}");
  const Result r = run_mcmc(with({"--metric-file", dir / "diag.json", "--warmup", "0", "--samples", "5", "--seed", "1",
                                  "--output", dir / "d.csv", "-q", "--chains", "1"}));
  INFO("stderr: " << r.err);
  REQUIRE(r.code == 0);
  const std::string d = read_text(dir / "d.csv");
  CHECK(contains(d, "metric = diag_e"));
  CHECK(contains(d, ",0.7,"));  // the file's step size, kept without warm-up
}

TEST_CASE("bad metric files are refused naming the file and the problem") {
  TempDir dir;
  struct Case {
    const char* name;
    const char* text;
    const char* problem;
  };
  for (const Case c : {Case{"short.json", "{\"inv_metric\": [1.0, 2.0, 3.0]}", "has 3 elements but the model has 2"},
                       Case{"negative.json", "{\"inv_metric\": [1.0, -2.0]}", "diagonal element 2"},
                       Case{"indefinite.json", "{\"inv_metric\": [[1.0, 2.0], [2.0, 1.0]]}", "not positive definite"},
                       Case{"ragged.json", "{\"inv_metric\": [[1.0, 0.0], [0.0]]}", "row 2 has 1 elements"},
                       Case{"text.json", "{\"inv_metric\": [1.0, \"a\"]}", "\"inv_metric\"[2] is \"a\", not a number"},
                       Case{"stepsize.json", "{\"inv_metric\": [1.0, 1.0], \"stepsize\": -1}", "\"stepsize\" is -1"},
                       Case{"broken.json", "{\"inv_metric\": [1.0, ", "not valid JSON"},
                       Case{"empty.json", "", "the file is empty"},
                       Case{"nometric.csv", "lp__,x\n1,2\n", "no adapted metric"}}) {
    CAPTURE(c.name);
    write_text(dir / c.name, c.text);
    const Result r = run_mcmc(with({"--metric-file", dir / c.name, "--seed", "1", "-q"}));
    CHECK(r.code == 3);
    CHECK(contains(r.err, dir / c.name));
    CHECK(contains(r.err, c.problem));
  }
  const Result missing = run_mcmc(with({"--metric-file", dir / "none.json", "-q"}));
  CHECK(missing.code == 4);
  CHECK(contains(missing.err, "none.json"));
  const Result dense_as_lowrank = run_mcmc(with({"--metric-file", dir / "indefinite.json", "--metric", "lowrank", "-q"}));
  CHECK(dense_as_lowrank.code == 3);
  const Result both = run_mcmc(with({"--metric-file", dir / "short.json", "--inv-mass", "1,1", "-q"}));
  CHECK(both.code == 2);
  const Result ensemble = run_mcmc(with({"--algorithm", "chees", "--metric", "dense", "-q"}));
  CHECK(ensemble.code == 2);
  CHECK(contains(ensemble.err, "--metric applies to --algorithm nuts and hmc only"));
}

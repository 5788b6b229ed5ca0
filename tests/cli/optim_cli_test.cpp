// End-to-end: `mcmc optimize` and `mcmc pathfinder` (Stan CSV like CmdStan's) and `mcmc run --init pathfinder`.
#include <doctest/doctest.h>

#include <cmath>
#include <numeric>

#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

using namespace cli_test;

namespace {
const std::string kModel = kRoot + "/models/normal_logscale.stan";
const std::string kData = kRoot + "/models/normal_logscale.data.json";

std::string footer_value(const StanCsv& csv, const std::string& key) {
  for (const std::string& line : csv.footer)
    if (starts_with(line, "# " + key + " = ")) return line.substr(key.size() + 5);
  return "";
}
}  // namespace

TEST_CASE("mcmc optimize finds the seed model's mode (sample mean, log of the sample sd) and writes CmdStan's layout") {
  TempDir dir;
  const Result r = run_mcmc({"optimize", kModel, "--data", kData, "--seed", "3", "--output", dir / "mode.csv"});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(contains(r.out, "Convergence detected"));
  const StanCsv csv = parse_stan_csv(read_text(dir / "mode.csv"));
  CHECK(csv.header == std::vector<std::string>{"lp__", "loc", "log_scale"});
  REQUIRE(csv.rows.size() == 1);
  CHECK(csv.config_value("method") == "optimize");
  CHECK(csv.config_value("jacobian") == "0");
  CHECK(csv.config_value("seed") == "3");
  CHECK(std::stol(footer_value(csv, "gradient_evaluations")) > 0);
  // The mode of this model: loc = mean(y), exp(2 log_scale) = sum((y - mean)^2) / (N - 1).
  const nlohmann::json data = nlohmann::json::parse(read_text(kData));
  const std::vector<double> y = data["y"].get<std::vector<double>>();
  const double n = static_cast<double>(y.size());
  const double mean = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double ss = 0;
  for (double v : y) ss += (v - mean) * (v - mean);
  CHECK(csv.rows[0][1] == doctest::Approx(mean).epsilon(1e-5));
  CHECK(csv.rows[0][2] == doctest::Approx(0.5 * std::log(ss / (n - 1))).epsilon(1e-5));
}

TEST_CASE("mcmc optimize --jacobian moves the mode of a constrained parameter") {
  TempDir dir;
  write_text(dir / "g.stan", "parameters { real<lower=0> s; } model { s ~ gamma(3, 1); }\n");
  const Result plain = run_mcmc({"optimize", dir / "g.stan", "--seed", "1", "--output", dir / "a.csv"});
  const Result jac = run_mcmc({"optimize", dir / "g.stan", "--seed", "1", "--jacobian", "--output", dir / "b.csv"});
  REQUIRE_MESSAGE(plain.code == 0, plain.err);
  REQUIRE_MESSAGE(jac.code == 0, jac.err);
  // gamma(3, 1): the mode of the density of s is 2; of log s (times the Jacobian s) it is 3.
  CHECK(parse_stan_csv(read_text(dir / "a.csv")).values("s")[0] == doctest::Approx(2).epsilon(1e-4));  // CmdStan's default tolerances
  const StanCsv b = parse_stan_csv(read_text(dir / "b.csv"));
  CHECK(b.values("s")[0] == doctest::Approx(3).epsilon(1e-4));
  CHECK(b.config_value("jacobian") == "1");
}

TEST_CASE("mcmc pathfinder writes draws with lp_approx__ and lp__, and what it spent") {
  TempDir dir;
  const Result r = run_mcmc({"pathfinder", kModel, "--data", kData, "--seed", "5", "--output", dir / "pf.csv"});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(contains(r.err, "Pathfinder: 4 paths"));
  const StanCsv csv = parse_stan_csv(read_text(dir / "pf.csv"));
  CHECK(csv.header == std::vector<std::string>{"lp_approx__", "lp__", "loc", "log_scale"});
  CHECK(csv.rows.size() == 1000);
  CHECK(csv.config_value("method") == "pathfinder");
  CHECK(csv.config_value("num_paths") == "4");
  CHECK(std::stol(footer_value(csv, "gradient_evaluations")) > 0);
  CHECK(std::stol(footer_value(csv, "log_density_evaluations")) >= 4000);
  // The same seed gives the same draws.
  const Result again = run_mcmc({"pathfinder", kModel, "--data", kData, "--seed", "5", "--threads", "1", "--output", dir / "pf2.csv"});
  REQUIRE(again.code == 0);
  CHECK(parse_stan_csv(read_text(dir / "pf2.csv")).draw_lines == csv.draw_lines);
}

TEST_CASE("mcmc run --init pathfinder reports Pathfinder's gradients and echoes the init") {
  TempDir dir;
  const Result r = run_mcmc({"run", kModel, "--data", kData, "--seed", "5", "--init", "pathfinder", "--chains", "2",
                             "--samples", "100", "--warmup", "100", "--output", dir / "fit.csv"});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(contains(r.err, "Pathfinder: 4 paths"));
  const StanCsv csv = parse_stan_csv(read_text(dir / "fit_1.csv"));
  CHECK(csv.config_value("init") == "pathfinder");
  CHECK(std::stol(footer_value(csv, "run_pathfinder_gradient_evaluations")) > 0);
}

TEST_CASE("optimize and pathfinder reject bad options with a message and exit code 2") {
  const Result a = run_mcmc({"optimize", kModel, "--data", kData, "--init", "pathfinder"});
  CHECK(a.code == 2);
  CHECK(contains(a.err, "--init takes a radius or a JSON file"));
  const Result b = run_mcmc({"optimize", kModel, "--data", kData, "--tol-obj", "-1"});
  CHECK(b.code == 2);
  CHECK(contains(b.err, "--tol-obj"));
  const Result c = run_mcmc({"pathfinder", kModel, "--data", kData, "--num-paths", "0"});
  CHECK(c.code == 2);
  CHECK(contains(c.err, "--num-paths"));
  const Result d = run_mcmc({"run", kModel, "--data", kData, "--init", "-1"});
  CHECK(d.code == 2);
  CHECK(contains(d.err, "--init radius must be non-negative"));
}

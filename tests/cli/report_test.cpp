// Tests of `mcmc report` and `mcmc run --report`: the page parses (XML and HTML), fetches nothing, has one
// trace per chain drawn, every divergence marked, ticks covering the data, and stays small with many chains.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli_harness.hpp"

using namespace cli_test;

namespace {

const std::string kFixtures = kRoot + "/tests/diag/fixtures/stan/";
const std::string kCheck = kRoot + "/tests/cli/report_check.py";

/// Runs report_check.py on a report (see its docstring); its output on failure.
Result check_report(const std::string& report, int drawn, const std::vector<std::string>& files) {
  std::string command = "python3 " + shell_quote(kCheck) + " " + shell_quote(report) + " " + std::to_string(drawn);
  for (const std::string& f : files) command += " " + shell_quote(f);
  return run_shell(command);
}

}  // namespace

TEST_CASE("mcmc report of rstan's eight schools (centred, 5 divergences): well-formed, complete, offline") {
  TempDir dir;
  const std::vector<std::string> files = {kFixtures + "eight_schools_1.csv", kFixtures + "eight_schools_2.csv"};
  const Result r = run_mcmc({"report", files[0], files[1], "--output", dir / "report.html"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  const std::string page = read_text(dir / "report.html");
  const Result check = check_report(dir / "report.html", 2, files);
  INFO(check.out, check.err);
  CHECK(check.code == 0);
  CHECK(contains(check.out, "11 traces, 5 divergences"));  // lp__, mu, tau, theta.1..8: fewer than 20
  // The sections and the flagged summary.
  for (const char* part : {"id=\"run\"", "id=\"checks\"", "id=\"summary\"", "data-plot=\"rank\"",
                           "data-plot=\"density\"", "data-plot=\"pairs\"", "data-plot=\"energy\"", "NUTS(diag_e)",
                           "Divergences: 5 of 400", "class=\"bad\""})
    CHECK_MESSAGE(contains(page, part), part);
  // --vars: only those quantities, and the pairs of the first of them.
  const Result vars = run_mcmc({"report", files[0], files[1], "-o", dir / "tau.html", "--vars", "tau,theta[1]"});
  REQUIRE(vars.code == 0);
  const std::string tau = read_text(dir / "tau.html");
  CHECK(contains(tau, "<title>Trace of tau"));
  CHECK(contains(tau, "<title>Trace of theta.1"));
  CHECK_FALSE(contains(tau, "<title>Trace of mu"));
  CHECK(contains(tau, "<title>Pairs of tau, theta.1"));
}

TEST_CASE("mcmc run --report: 4 chains of 100 parameters, one trace line per chain, under 5 MB") {
  TempDir dir;
  write_text(dir / "m.stan", "parameters { vector[100] x; } model { x ~ normal(0, 1); }\n");
  const Result r = run_mcmc({"run", dir / "m.stan", "--seed", "3", "--samples", "1000", "--warmup", "300",
                             "--output", dir / "fit.csv", "--report", dir / "report.html"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(contains(r.out, "Report: " + dir / "report.html"));
  const auto size = std::filesystem::file_size(dir / "report.html");
  CHECK(size < 5u * 1000 * 1000);
  MESSAGE("report of 4 chains x 1000 draws x 100 parameters: " << size << " bytes");
  const Result check = check_report(dir / "report.html", 4,
                                    {dir / "fit_1.csv", dir / "fit_2.csv", dir / "fit_3.csv", dir / "fit_4.csv"});
  INFO(check.out, check.err);
  CHECK(check.code == 0);
  CHECK(contains(check.out, "20 traces"));
}

TEST_CASE("mcmc report of 4096 chains: 8 chains drawn, every divergence counted, small") {
  TempDir dir;
  const Result r = run_mcmc({"run", "models/eight_schools_noncentered.stan", "--data",
                             "models/eight_schools_noncentered.data.json", "--seed", "5", "--chains", "4096", "--mode",
                             "vmap", "--algorithm", "chees", "--warmup", "150", "--samples", "100", "--format",
                             "csv-long", "--output", dir / "fit.csv", "--quiet"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  const Result rep = run_mcmc({"report", dir / "fit.csv", "-o", dir / "report.html"});
  INFO(rep.err);
  REQUIRE(rep.code == 0);
  const auto size = std::filesystem::file_size(dir / "report.html");
  MESSAGE("report of 4096 chains x 100 draws: " << size << " bytes");
  CHECK(size < 3u * 1000 * 1000);
  const Result check = check_report(dir / "report.html", 8, {dir / "fit.csv"});
  INFO(check.out, check.err);
  CHECK(check.code == 0);
  CHECK(contains(read_text(dir / "report.html"), "8 of 4096 chains drawn"));
}

TEST_CASE("mcmc report and run --report: bad input is named, with a non-zero exit code") {
  TempDir dir;
  const std::string f = kFixtures + "eight_schools_1.csv";
  Result r = run_mcmc({"report", f});
  CHECK(r.code == 2);
  CHECK(contains(r.err, "--output"));
  r = run_mcmc({"report", dir / "missing.csv", "-o", dir / "r.html"});
  CHECK(r.code != 0);
  CHECK(contains(r.err, "missing.csv"));
  r = run_mcmc({"report", f, "-o", dir / "r.html", "--vars", "nope"});
  CHECK(r.code == 2);
  CHECK(contains(r.err, "--vars: no quantity 'nope'"));
  r = run_mcmc({"report", f, "-o", (dir / "no_such_dir") + "/r.html"});
  CHECK(r.code != 0);
  CHECK(contains(r.err, "cannot write the report"));
  r = run_mcmc({"run", "models/normal_logscale.stan", "--data", "models/normal_logscale.data.json", "--report",
                dir / "r.html"});
  CHECK(r.code == 2);
  CHECK(contains(r.err, "--report needs --output"));
}

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
  CHECK(contains(check.out, "11 traces, 5 divergences, 5 marked"));  // lp__, mu, tau, theta.1..8: fewer than 20
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

TEST_CASE("mcmc report of 4096 chains: 7 chains drawn, divergence marks thinned to the budget, small") {
  TempDir dir;
  // A funnel at a fixed step size: thousands of divergent transitions.
  write_text(dir / "funnel.stan", "parameters { real x; real<lower=0> s; } model { s ~ lognormal(0, 1.5); x ~ normal(0, s); }\n");
  const Result r = run_mcmc({"run", dir / "funnel.stan", "--seed", "5", "--chains", "4096", "--mode", "vmap", "--warmup",
                             "0", "--step-size", "0.6", "--samples", "40", "--format", "csv-long", "--output",
                             dir / "fit.csv", "--quiet"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  const Result rep = run_mcmc({"report", dir / "fit.csv", "-o", dir / "report.html"});
  INFO(rep.err);
  REQUIRE(rep.code == 0);
  const auto size = std::filesystem::file_size(dir / "report.html");
  MESSAGE("report of 4096 chains x 40 draws: " << size << " bytes");
  CHECK(size < 2u * 1000 * 1000);
  const Result check = check_report(dir / "report.html", 7, {dir / "fit.csv"});
  INFO(check.out, check.err);
  CHECK(check.code == 0);
  const std::string page = read_text(dir / "report.html");
  CHECK(contains(page, "7 of 4096 chains drawn"));
  CHECK(contains(page, "divergent transitions marked"));
}

TEST_CASE("headless Chromium renders the report without console messages, and the picture is not blank") {
  if (run_shell("command -v chromium").code != 0) {
    MESSAGE("SKIPPED: no chromium (apt-get install chromium) to render the report");
    return;
  }
  TempDir dir;
  REQUIRE(run_mcmc({"report", kFixtures + "eight_schools_1.csv", kFixtures + "eight_schools_2.csv", "-o",
                    dir / "report.html"}).code == 0);
  // --enable-logging=stderr prints every console message of the page as "...:CONSOLE...".
  const Result shot = run_shell("timeout 300 chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars "
                                "--enable-logging=stderr --v=0 --window-size=1000,1200 --screenshot=" +
                                shell_quote(dir / "report.png") + " " + shell_quote("file://" + dir / "report.html"));
  INFO(shot.err);
  REQUIRE(shot.code == 0);
  CHECK_FALSE(contains(shot.err, "CONSOLE"));
  const Result png = run_shell("python3 " + shell_quote(kRoot + "/tests/cli/png_check.py") + " " + shell_quote(dir / "report.png"));
  INFO(png.out, png.err);
  CHECK(png.code == 0);
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

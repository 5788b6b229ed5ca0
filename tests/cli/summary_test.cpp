// Tests of `mcmc summary` (run as a process: MCMC_BINARY) and of the gates shared with `mcmc run`:
// posterior's numbers on the rstan-written fixture, output formats, gate exit codes, bad input.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "run/gates.hpp"
#include "util/error.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const std::string kRoot = MCMC_SOURCE_DIR;
const std::string kFixtures = kRoot + "/tests/diag/fixtures/stan/";
const std::string kStanFiles = kFixtures + "eight_schools_1.csv " + kFixtures + "eight_schools_2.csv";

struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name) {
    path = fs::temp_directory_path() / ("mcmc_summary_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

/// Runs `mcmc <args>` and collects its exit code, stdout and stderr.
Result run_mcmc(const std::string& args) {
  TempDir dir("proc");
  const std::string cmd = std::string(MCMC_BINARY) + " " + args + " >" + dir.file("out") + " 2>" + dir.file("err");
  int status = std::system(cmd.c_str());
  Result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(dir.file("out"));
  r.err = slurp(dir.file("err"));
  return r;
}

double number(const json& v) {
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    return s == "NaN" ? NAN : s == "Inf" ? INFINITY : -INFINITY;
  }
  return v.get<double>();
}

/// Rows of a CSV file with a header: name -> (column -> value); NA reads as NaN.
std::map<std::string, std::map<std::string, double>> read_expected(const std::string& path) {
  std::ifstream f(path);
  std::string line;
  std::getline(f, line);
  std::vector<std::string> header;
  std::stringstream hs(line);
  for (std::string cell; std::getline(hs, cell, ',');) header.push_back(cell);
  std::map<std::string, std::map<std::string, double>> rows;
  while (std::getline(f, line)) {
    std::stringstream ls(line);
    std::vector<std::string> cells;
    for (std::string cell; std::getline(ls, cell, ',');) cells.push_back(cell);
    for (std::size_t i = 1; i < cells.size(); ++i) rows[cells[0]][header[i]] = cells[i] == "NA" ? NAN : std::stod(cells[i]);
  }
  return rows;
}

void check_close(double got, double want, const std::string& what) {
  INFO(what << ": got " << got << ", posterior " << want);
  if (std::isnan(want)) {
    CHECK(std::isnan(got));
  } else {
    CHECK(std::abs(got - want) <= 1e-8 * std::abs(want));
  }
}

mcmc::diag::ParamSummary row(const std::string& name, double rhat, double ess_bulk, double ess_tail, double sd = 1) {
  mcmc::diag::ParamSummary r;
  r.name = name;
  r.rhat = rhat;
  r.ess_bulk = ess_bulk;
  r.ess_tail = ess_tail;
  r.sd = sd;
  r.mean = std::isnan(sd) ? NAN : 0.0;  // a NaN sd stands for non-finite draws
  return r;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("mcmc summary on rstan's CSV files gives posterior's numbers") {
  Result r = run_mcmc("summary --json " + kStanFiles);
  INFO(r.err);
  REQUIRE(r.code == 0);
  const json s = json::parse(r.out);
  CHECK(s["format"] == "mcmc-summary");
  CHECK(s["format_version"] == 1);
  CHECK(s["num_chains"] == 2);
  CHECK(s["num_draws_per_chain"] == 200);
  CHECK(s["warnings"].empty());
  // The elapsed-time blocks of the two files: 0.006779 s and 0.007801 s of sampling.
  REQUIRE(s["sampling_seconds"].is_number());
  const double seconds = s["sampling_seconds"].get<double>();
  CHECK(seconds == doctest::Approx(0.006779 + 0.007801).epsilon(1e-12));

  const auto expected = read_expected(kFixtures + "expected.csv");
  REQUIRE(s["quantities"].size() == expected.size());
  REQUIRE(expected.size() == 11);  // lp__, mu, tau, theta.1 ... theta.8
  CHECK(s["quantities"][0]["name"] == "lp__");
  for (const json& q : s["quantities"]) {
    const std::string name = q["name"];
    REQUIRE(expected.count(name) == 1);
    const auto& e = expected.at(name);
    check_close(number(q["mean"]), e.at("mean"), name + " mean");
    check_close(number(q["sd"]), e.at("sd"), name + " sd");
    check_close(number(q["quantiles"][0]), e.at("q05"), name + " q05");
    check_close(number(q["quantiles"][1]), e.at("q50"), name + " q50");
    check_close(number(q["quantiles"][2]), e.at("q95"), name + " q95");
    check_close(number(q["mcse_mean"]), e.at("mcse_mean"), name + " mcse_mean");
    check_close(number(q["ess_bulk"]), e.at("ess_bulk"), name + " ess_bulk");
    check_close(number(q["ess_tail"]), e.at("ess_tail"), name + " ess_tail");
    check_close(number(q["rhat"]), e.at("rhat"), name + " rhat");
    check_close(number(q["ess_bulk_per_second"]), e.at("ess_bulk") / seconds, name + " ess_bulk/s");
  }

  // Sampler diagnostics: divergences, tree depth and E-BFMI as R computes them on the same files.
  const auto sampler = read_expected(kFixtures + "expected_sampler.csv");
  const json& d = s["diagnostics"];
  CHECK(d["divergences"]["per_chain"] == json::array({sampler.at("1").at("divergences"), sampler.at("2").at("divergences")}));
  CHECK(d["divergences"]["count"] == 5);
  CHECK(d["divergences"]["percent"].get<double>() == doctest::Approx(1.25));
  CHECK(d["max_treedepth"]["max_depth"] == 10);  // rstan's max_treedepth=10
  CHECK(d["max_treedepth"]["count"] == 0);
  check_close(number(d["ebfmi"]["per_chain"][0]), sampler.at("1").at("ebfmi"), "E-BFMI chain 1");
  check_close(number(d["ebfmi"]["per_chain"][1]), sampler.at("2").at("ebfmi"), "E-BFMI chain 2");
  CHECK(d["ebfmi"]["low_chains"].empty());  // 0.316 and 0.372
  CHECK(d["ess"]["threshold"] == 200);      // 100 per chain
  CHECK(d["ess"]["low"].size() == 11);      // every quantity has bulk or tail ESS below 200
  CHECK(d["rhat"]["high"].size() == 11);    // and R-hat above 1.01 (theta.6: 1.019)
  CHECK(s["gates"]["passed"] == true);
}

TEST_CASE("mcmc summary text and CSV tables") {
  SUBCASE("text: the table, then one line per sampler diagnostic") {
    Result r = run_mcmc("summary " + kStanFiles);
    REQUIRE(r.code == 0);
    CHECK(contains(r.out, "2 chains, 200 draws each"));
    CHECK(contains(r.out, "ESS_bulk  ESS_tail  ESS_bulk/s    R_hat"));
    CHECK(contains(r.out, "Divergences: 5 of 400 transitions (1.25%) ended with a divergence"));
    CHECK(contains(r.out, "Tree depth: no transition hit the maximum tree depth 10."));
    CHECK(contains(r.out, "E-BFMI: 0.316, 0.372 (all chains >= 0.3)."));
    CHECK(contains(r.out, "ESS: 11 of 11 quantities have bulk or tail ESS below 200 (100 per chain; lowest: lp__ 5.95"));
    CHECK(contains(r.out, "R-hat: 11 of 11 quantities have R-hat above 1.01 (highest: lp__ 1.28, tau 1.26"));
  }
  SUBCASE("CSV, with --percentiles and --sig-figs") {
    Result r = run_mcmc("summary --csv --percentiles 10,90 --sig-figs 3 " + kStanFiles);
    REQUIRE(r.code == 0);
    std::stringstream lines(r.out);
    std::string header, lp;
    std::getline(lines, header);
    std::getline(lines, lp);
    CHECK(header == "name,Mean,MCSE,StdDev,10%,90%,ESS_bulk,ESS_tail,ESS_bulk/s,R_hat");
    // posterior: mean -14.0007, mcse 2.66277, sd 6.30066, ess_bulk 5.95, ess_tail 32.3, rhat 1.2754.
    CHECK(lp.rfind("lp__,-14,2.66,6.3,", 0) == 0);
    CHECK(lp.find(",6,32,") != std::string::npos);
    CHECK(lp.substr(lp.size() - 5) == ",1.28");
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 12);
  }
}

TEST_CASE("gates: exit code 6 after the output, naming the gate and the quantity") {
  SUBCASE("--max-rhat") {
    Result fail = run_mcmc("summary --max-rhat 1.01 " + kStanFiles);
    CHECK(fail.code == 6);
    CHECK(contains(fail.out, "Sampler diagnostics:"));  // everything printed first
    CHECK(contains(fail.err, "gate failed: R-hat of lp__ is 1.275 > --max-rhat 1.01\n"));
    CHECK(contains(fail.err, "gate failed: R-hat of theta.6 is 1.019 > --max-rhat 1.01\n"));
    CHECK(run_mcmc("summary --max-rhat 1.3 " + kStanFiles).code == 0);
  }
  SUBCASE("--min-ess (bulk and tail)") {
    Result fail = run_mcmc("summary --min-ess 100 " + kStanFiles);
    CHECK(fail.code == 6);
    CHECK(contains(fail.err, "gate failed: ESS_bulk of lp__ is 5.9 < --min-ess 100\n"));
    CHECK(contains(fail.err, "gate failed: ESS_tail of lp__ is 32.3 < --min-ess 100\n"));
    CHECK_FALSE(contains(fail.err, "ESS_bulk of theta.4"));  // 152
    CHECK(run_mcmc("summary --min-ess 5 " + kStanFiles).code == 0);
  }
  SUBCASE("--max-divergences") {
    Result fail = run_mcmc("summary --max-divergences 4 " + kStanFiles);
    CHECK(fail.code == 6);
    CHECK(contains(fail.err, "gate failed: 5 divergent transitions > --max-divergences 4\n"));
    CHECK(run_mcmc("summary --max-divergences 5 " + kStanFiles).code == 0);
  }
  SUBCASE("--json still prints the whole summary, with the failures") {
    Result fail = run_mcmc("summary --json --max-divergences 0 --max-rhat 2 " + kStanFiles);
    CHECK(fail.code == 6);
    const json s = json::parse(fail.out);
    CHECK(s["quantities"].size() == 11);
    CHECK(s["gates"]["passed"] == false);
    REQUIRE(s["gates"]["failures"].size() == 1);
    CHECK(s["gates"]["failures"][0]["gate"] == "max_divergences");
    CHECK(s["gates"]["failures"][0]["value"] == 5);
    CHECK(s["gates"]["max_rhat"] == 2);
    CHECK(s["gates"]["min_ess"].is_null());
  }
}

TEST_CASE("check_gates") {
  using mcmc::run::check_gates;
  using mcmc::run::GateOptions;
  const std::vector<mcmc::diag::ParamSummary> rows = {row("lp__", 1.004, 900, 800), row("mu", 1.0102, 450, 380),
                                                      row("c", NAN, NAN, NAN, 0.0), row("bad", NAN, NAN, NAN, NAN)};
  SUBCASE("off by default") { CHECK(check_gates(GateOptions{}, rows, 100).passed()); }
  SUBCASE("R-hat: enough digits to tell the value from the limit; constant draws skipped") {
    GateOptions o;
    o.max_rhat = 1.01;
    auto g = check_gates(o, rows, 0);
    REQUIRE(g.failures.size() == 2);
    CHECK(g.failures[0].message == "gate failed: R-hat of mu is 1.0102 > --max-rhat 1.01");
    CHECK(g.failures[0].quantity == "mu");
    CHECK(g.failures[1].message == "gate failed: R-hat of bad is NA (undefined: non-finite draws) > --max-rhat 1.01");
    CHECK(g.message() == g.failures[0].message + "\n" + g.failures[1].message + "\n");
  }
  SUBCASE("ESS: bulk and tail") {
    GateOptions o;
    o.min_ess = 400;
    auto g = check_gates(o, {rows[0], rows[1]}, 0);
    REQUIRE(g.failures.size() == 1);
    CHECK(g.failures[0].gate == "min_ess_tail");
    CHECK(g.failures[0].message == "gate failed: ESS_tail of mu is 380.0 < --min-ess 400");
  }
  SUBCASE("divergences") {
    GateOptions o;
    o.max_divergences = 0;
    CHECK(check_gates(o, rows, 0).passed());
    auto g = check_gates(o, rows, 1);
    REQUIRE(g.failures.size() == 1);
    CHECK(g.failures[0].message == "gate failed: 1 divergent transition > --max-divergences 0");
  }
  // A 0/1 posterior-predictive indicator: R-hat and tail ESS are posterior's NA, its draws finite.
  const auto indicator = row("y_ind", NAN, 3000, NAN, 0.4);
  SUBCASE("an indicator's NA is not gated by default, and is named in a note") {
    GateOptions o;
    o.min_ess = 400;
    o.max_rhat = 1.01;
    auto g = check_gates(o, {rows[0], indicator}, 0);
    CHECK(g.passed());
    REQUIRE(g.not_gated.size() == 1);
    CHECK(g.not_gated[0] == "y_ind");
    CHECK(contains(g.note(), "not gated: y_ind"));
  }
  SUBCASE("--gate-na fail gates it") {
    GateOptions o;
    o.min_ess = 400;
    o.na_fails = true;
    auto g = check_gates(o, {rows[0], indicator}, 0);
    REQUIRE(g.failures.size() == 1);
    CHECK(g.failures[0].quantity == "y_ind");
    CHECK(g.failures[0].gate == "min_ess_tail");
    CHECK(g.not_gated.empty());
  }
  SUBCASE("--gate-vars: a name selects the quantity and its elements; an unknown name is a usage error") {
    const std::vector<mcmc::diag::ParamSummary> many = {row("lp__", 1.3, 900, 800), row("theta.1", 1.2, 900, 800),
                                                        row("theta.2", 1.001, 900, 800), row("theta_raw", 1.5, 9, 8),
                                                        row("tau", 1.001, 900, 800)};
    GateOptions o;
    o.max_rhat = 1.01;
    o.vars = {"theta", "tau"};
    auto g = check_gates(o, many, 0);
    REQUIRE(g.failures.size() == 1);
    CHECK(g.failures[0].quantity == "theta.1");  // not theta_raw, not lp__
    o.vars = {"theta[2]"};
    CHECK(check_gates(o, many, 0).passed());
    o.vars = {"thta"};
    try {
      check_gates(o, many, 0);
      FAIL("no error for an unknown --gate-vars name");
    } catch (const mcmc::Error& e) {
      CHECK(e.code() == mcmc::ExitCode::Usage);
      CHECK(contains(e.what(), "--gate-vars: no quantity 'thta'"));
    }
  }
}

TEST_CASE("mcmc summary reads our CSV and JSON output alike, and reports truncated files") {
  TempDir dir("ours");
  const std::string model = kRoot + "/models/normal_logscale.stan --data " + kRoot + "/models/normal_logscale.data.json";
  const std::string common = "run " + model + " --seed 11 --chains 2 --warmup 150 --samples 150 -q ";
  REQUIRE(run_mcmc(common + "--sig-figs 18 -o " + dir.file("o.csv")).code == 0);
  REQUIRE(run_mcmc(common + "--format json -o " + dir.file("o.json")).code == 0);
  Result csv = run_mcmc("summary --json " + dir.file("o_1.csv") + " " + dir.file("o_2.csv"));
  Result js = run_mcmc("summary --json " + dir.file("o.json"));
  REQUIRE(csv.code == 0);
  REQUIRE(js.code == 0);
  json a = json::parse(csv.out), b = json::parse(js.out);
  REQUIRE(a["quantities"].size() == 3);  // lp__, loc, log_scale
  CHECK(a["quantities"][1]["name"] == "loc");
  for (const char* field : {"mean", "sd", "mcse_mean", "ess_bulk", "ess_tail", "rhat"})
    for (std::size_t i = 0; i < 3; ++i) CHECK(number(a["quantities"][i][field]) == number(b["quantities"][i][field]));
  CHECK(a["diagnostics"]["divergences"]["count"] == b["diagnostics"]["divergences"]["count"]);
  CHECK(a["num_draws_per_chain"] == 150);

  // Cut chain 2 in the middle of a draw: its complete draws are kept, the cut line is reported.
  std::string text = slurp(dir.file("o_2.csv"));
  std::size_t cut = text.find('\n', text.find("\n-", text.size() / 2) + 1) + 10;
  std::ofstream(dir.file("cut.csv"), std::ios::binary) << text.substr(0, cut);
  Result t = run_mcmc("summary " + dir.file("o_1.csv") + " " + dir.file("cut.csv"));
  CHECK(t.code == 0);
  CHECK(contains(t.err, "cut.csv:"));
  CHECK(contains(t.err, "the file may be truncated"));
  CHECK(contains(t.err, "using the first"));
}

TEST_CASE("mcmc summary usage and input errors") {
  TempDir dir("errors");
  CHECK(run_mcmc("summary " + dir.file("missing.csv")).code == 4);
  CHECK(run_mcmc("summary --percentiles 5,abc " + kStanFiles).code == 2);
  CHECK(run_mcmc("summary --json --csv " + kStanFiles).code == 2);
  std::ofstream(dir.file("other.csv")) << "lp__,x\n1,2\n";
  Result r = run_mcmc("summary " + kFixtures + "eight_schools_1.csv " + dir.file("other.csv"));
  CHECK(r.code == 4);
  CHECK(contains(r.err, "do not have the same columns"));
}

// Enable once `mcmc run` takes the gate options (see the lead's wiring of run::check_gates).
TEST_CASE("mcmc run gates") {
  const std::string model = kRoot + "/models/normal_logscale.stan --data " + kRoot + "/models/normal_logscale.data.json";
  const std::string common = "run " + model + " --seed 11 --chains 2 --warmup 150 --samples 150 ";
  Result fail = run_mcmc(common + "--min-ess 100000");
  CHECK(fail.code == 6);
  CHECK(contains(fail.out, "Divergences:"));  // the summary is printed first
  CHECK(contains(fail.err, "gate failed: ESS_bulk of lp__ is "));
  CHECK(run_mcmc(common + "--max-rhat 1.5 --min-ess 10 --max-divergences 1000").code == 0);
}

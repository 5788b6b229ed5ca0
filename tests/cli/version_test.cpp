// End-to-end: `mcmc --version` names the version and the commit, and every output format records both.
#include <doctest/doctest.h>

#include <regex>

#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

using namespace cli_test;

namespace {

struct Version {
  std::string version;
  std::string commit;
};

/// `mcmc --version`: "mcmc 0.1.0 (commit <40 hex digits or 'unknown'>)", split.
Version mcmc_version() {
  const Result r = run_mcmc({"--version"});
  INFO("stdout: " << r.out << " stderr: " << r.err);
  REQUIRE(r.code == 0);
  std::smatch m;
  const std::string line = r.out.substr(0, r.out.find('\n'));
  REQUIRE(std::regex_match(line, m, std::regex(R"(mcmc ([0-9]+\.[0-9]+\.[0-9]+) \(commit ([0-9a-f]{40}|unknown)\))")));
  return {m[1], m[2]};
}

const std::vector<std::string> kRun = {"run",       "models/normal_logscale.stan", "--data", "models/normal_logscale.data.json",
                                       "--seed",    "1",  "--chains", "2", "--warmup", "20", "--samples", "10", "--quiet"};

std::vector<std::string> plus(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

TEST_CASE("--version names the project version and the commit; csv, csv-long and json files record both") {
  const Version v = mcmc_version();
  CHECK(v.version == MCMC_VERSION);  // CMakeLists.txt's project(VERSION)

  TempDir dir;
  for (const std::string format : {"csv", "csv-long"}) {
    CAPTURE(format);
    const Result r = run_mcmc(plus(kRun, {"--format", format, "--output", dir / (format + ".csv")}));
    INFO("stderr: " << r.err);
    REQUIRE(r.code == 0);
    const std::vector<std::string> lines = lines_of(read_text(dir / (format == "csv" ? "csv_2.csv" : "csv-long.csv")));
    REQUIRE(lines.size() > 2);
    CHECK(lines[0] == "# mcmc_version = " + v.version);
    CHECK(lines[1] == "# mcmc_commit = " + v.commit);
  }
  const Result r = run_mcmc(plus(kRun, {"--format", "json", "--output", dir / "out.json"}));
  REQUIRE(r.code == 0);
  const nlohmann::json fit = nlohmann::json::parse(read_text(dir / "out.json"));
  CHECK(fit.at("mcmc_version") == v.version);
  CHECK(fit.at("mcmc_commit") == v.commit);
}

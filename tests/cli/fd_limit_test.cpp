// End-to-end: many chains under a low open-file limit (ulimit -n): no descriptor per chain for the draws; CSV refuses early.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_harness.hpp"

using namespace cli_test;

namespace {

/// Runs the seed model with `args` in a shell whose soft and hard open-file limits are `limit`.
Result run_with_fd_limit(int limit, const std::vector<std::string>& args) {
  std::string command = "ulimit -n " + std::to_string(limit) + " && " + shell_quote(kBinary);
  for (const std::string& a : std::vector<std::string>{"run", "models/normal_logscale.stan", "--data",
                                                       "models/normal_logscale.data.json", "--seed", "11"})
    command += " " + shell_quote(a);
  for (const std::string& a : args) command += " " + shell_quote(a);
  return run_shell(command);
}

}  // namespace

TEST_CASE("300 chains under ulimit -n 64: the draws of every chain spill to one temporary file, the summary reads them") {
  // 1000 draws of 9 columns per chain: more than one store's buffer, so every chain spills.
  const Result r = run_with_fd_limit(64, {"--chains", "300", "--warmup", "0", "--samples", "1000", "--step-size", "0.5"});
  INFO("stderr: " << r.err);
  CHECK(r.code == 0);
  CHECK(contains(r.out, "loc"));
  CHECK(contains(r.out, "log_scale"));
  for (const std::string& line : lines_of(r.err))  // no error: at most the sampler checks' warnings and notes
    CHECK((line.empty() || starts_with(line, "warning: ") || starts_with(line, "note: ")));
}

TEST_CASE("300 chains under ulimit -n 64 with --format json: one valid file holding every chain") {
  TempDir dir;
  const Result r = run_with_fd_limit(64, {"--chains", "300", "--warmup", "0", "--samples", "200", "--step-size", "0.5",
                                          "--format", "json", "--output", dir / "out.json", "-q"});
  INFO("stderr: " << r.err);
  REQUIRE(r.code == 0);
  const nlohmann::json fit = nlohmann::json::parse(read_text(dir / "out.json"));
  const auto& chains = fit.at("chains");
  REQUIRE(chains.size() == 300);
  for (std::size_t c = 0; c < chains.size(); ++c) {
    CHECK(chains[c].at("chain_id") == c + 1);
    CHECK(chains[c].at("num_draws") == 200);
    CHECK(chains[c].at("draws").size() == 200);
  }
}

TEST_CASE("300 chains under ulimit -n 64 with --format csv-long: one CSV file, every chain's 200 rows") {
  TempDir dir;
  const Result r = run_with_fd_limit(64, {"--chains", "300", "--warmup", "0", "--samples", "200", "--step-size", "0.5",
                                          "--format", "csv-long", "--output", dir / "out.csv", "-q"});
  INFO("stderr: " << r.err);
  REQUIRE(r.code == 0);
  std::istringstream in(read_text(dir / "out.csv"));
  std::string line;
  std::vector<int> rows(301, 0);
  bool header = false;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (!header) {
      header = true;
      CHECK(starts_with(line, "chain__,draw__,warmup__,lp__"));
      continue;
    }
    const int chain = std::stoi(line.substr(0, line.find(',')));
    REQUIRE(chain >= 1);
    REQUIRE(chain <= 300);
    ++rows[chain];
  }
  for (int c = 1; c <= 300; ++c) CHECK(rows[c] == 200);
  const Result s = run_mcmc({"summary", dir / "out.csv"});
  CHECK(s.code == 0);
  CHECK(contains(s.out, "300 chains, 200 draws each"));
}

TEST_CASE("300 chains under ulimit -n 64 with --format csv: exit 4 before sampling, suggesting --format json") {
  TempDir dir;
  const Result r = run_with_fd_limit(64, {"--chains", "300", "--output", dir / "out.csv", "-q"});
  INFO("stderr: " << r.err);
  CHECK(r.code == 4);
  CHECK(starts_with(r.err, "error: --format csv writes one file per chain: 300 chains need"));
  CHECK(contains(r.err, "the limit is 64"));
  CHECK(contains(r.err, "use --format csv-long or json"));
  CHECK(fs::is_empty(dir.path()));  // no file was created
}

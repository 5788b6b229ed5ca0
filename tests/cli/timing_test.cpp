// The figures of time a run reports: per-chain footers add up to thread-seconds, the run's wall time is recorded once, and ESS/s uses it, in every mode.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

using namespace cli_test;

namespace {

using json = nlohmann::json;

/// Runs eight schools with these options into a JSON file; returns the file's contents.
json run_json(const TempDir& dir, const std::vector<std::string>& options) {
  std::vector<std::string> args = {"run",    kTestData + "/conformance/eight_schools-eight_schools_noncentered.stan",
                                   "--data", kTestData + "/posteriordb/eight_schools-eight_schools_noncentered.data.json",
                                   "--seed", "3", "--format", "json", "-o", dir / "out.json", "-q"};
  args.insert(args.end(), options.begin(), options.end());
  const Result r = run_mcmc(args);
  REQUIRE_MESSAGE(r.code == 0, r.err);
  return json::parse(read_text(dir / "out.json"));
}

}  // namespace

TEST_CASE("per-chain seconds add up to at most threads x wall time; summary's ESS/s uses the run's sampling wall time") {
  struct Case {
    const char* name;
    std::vector<std::string> options;
    int threads;
  };
  const std::vector<Case> cases = {
      {"NUTS parallel", {"--chains", "4", "--threads", "2", "--warmup", "300", "--samples", "300"}, 2},
      {"NUTS vmap", {"--chains", "4", "--mode", "vmap", "--warmup", "300", "--samples", "300"}, 1},
      {"ChEES vmap, 256 chains",
       {"--chains", "256", "--algorithm", "chees", "--mode", "vmap", "--warmup", "100", "--samples", "20"}, 1},
      {"MEADS parallel, 64 chains, 2 threads",
       {"--chains", "64", "--algorithm", "meads", "--threads", "2", "--warmup", "300", "--samples", "20"}, 2},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    TempDir dir;
    const json fit = run_json(dir, c.options);
    const json& run = fit.at("run");
    const double wall = run.at("wall_seconds"), sampling_wall = run.at("sampling_wall_seconds");
    CHECK(run.at("threads") == c.threads);
    CHECK(run.at("interrupted") == 0);
    CHECK(wall > 0);
    CHECK(sampling_wall > 0);
    CHECK(sampling_wall < wall);
    CHECK(run.at("warmup_wall_seconds").get<double>() + sampling_wall == doctest::Approx(wall));
    double chain_seconds = 0;
    for (const json& chain : fit.at("chains")) chain_seconds += chain.at("footer").at("total_seconds").get<double>();
    // Each chain's footer is its share of the threads' time: together at most threads x wall
    // (before, every chain of a lockstep group or ensemble recorded the whole group's time).
    CHECK(chain_seconds <= c.threads * wall * 1.001);
    CHECK(chain_seconds >= 0.5 * wall);  // and not a small fraction of it either

    const Result s = run_mcmc({"summary", "--json", dir / "out.json"});
    REQUIRE(s.code == 0);
    const json summary = json::parse(s.out);
    CHECK(summary.at("sampling_seconds_are_wall_time") == true);
    CHECK(summary.at("sampling_seconds").get<double>() == doctest::Approx(sampling_wall));
    CHECK(summary.at("run_wall_seconds").get<double>() == doctest::Approx(wall));
    const json& mu = summary.at("quantities").at(1);
    CHECK(mu.at("ess_bulk_per_second").get<double>() ==
          doctest::Approx(mu.at("ess_bulk").get<double>() / sampling_wall));
  }
}

TEST_CASE("CmdStan's files (no run footer): the chains' sampling times summed, and said so") {
  const std::string fixtures = kRoot + "/tests/diag/fixtures/stan/";
  const Result s = run_mcmc({"summary", fixtures + "eight_schools_1.csv", fixtures + "eight_schools_2.csv"});
  REQUIRE(s.code == 0);
  CHECK(contains(s.out, "s of sampling summed over the chains"));
  const Result j = run_mcmc({"summary", "--json", fixtures + "eight_schools_1.csv", fixtures + "eight_schools_2.csv"});
  CHECK(json::parse(j.out).at("sampling_seconds_are_wall_time") == false);
}

// End-to-end: the draws depend only on the seed: not on reruns, thread counts or the execution mode (parallel / vmap).
#include <doctest/doctest.h>

#include <regex>

#include "cli_harness.hpp"

using namespace cli_test;

namespace {

/// Runs `mcmc run` with these arguments plus --output into a fresh directory; returns every chain's draw lines.
std::string draws_of(const std::vector<std::string>& args, int chains) {
  TempDir dir;
  std::vector<std::string> full = args;
  full.insert(full.end(), {"--quiet", "--output", dir / "out.csv"});
  const Result r = run_mcmc(full);
  INFO("stderr: " << r.err);
  REQUIRE(r.code == 0);
  return all_draw_lines(read_chains(dir.path(), "out", chains));
}

std::vector<std::string> plus(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

/// The same run five ways: twice with 2 threads, with 1 thread, and in vmap mode with 1 and 2 lockstep groups.
void check_invariant(const std::vector<std::string>& run_args, int chains, std::size_t expected_lines) {
  const std::string reference = draws_of(plus(run_args, {"--mode", "parallel", "--threads", "2"}), chains);
  CHECK(std::count(reference.begin(), reference.end(), '\n') == static_cast<long>(expected_lines));
  CHECK(draws_of(plus(run_args, {"--mode", "parallel", "--threads", "2"}), chains) == reference);
  CHECK(draws_of(plus(run_args, {"--mode", "parallel", "--threads", "1"}), chains) == reference);
  CHECK(draws_of(plus(run_args, {"--mode", "vmap"}), chains) == reference);
  CHECK(draws_of(plus(run_args, {"--mode", "vmap", "--threads", "2"}), chains) == reference);
}

const std::vector<std::string> kNormal = {"run", "models/normal_logscale.stan", "--data",
                                          "models/normal_logscale.data.json", "--chains", "4"};

const std::string kEightSchools = "eight_schools-eight_schools_noncentered";

/// The non-centered eight schools model and data (tests/data, copied from posteriordb).
std::vector<std::string> eight_schools() {
  return {"run",    kTestData + "/conformance/" + kEightSchools + ".stan",
          "--data", kTestData + "/posteriordb/" + kEightSchools + ".data.json",
          "--chains", "4"};
}


}  // namespace

TEST_CASE("the same command twice, 1 or 2 threads, parallel or vmap: identical draws") {
  SUBCASE("NUTS with warm-up") {
    check_invariant(plus(kNormal, {"--seed", "11", "--warmup", "300", "--samples", "200"}), 4, 800);
  }
  SUBCASE("NUTS without warm-up, fixed step size") {
    check_invariant(plus(kNormal, {"--seed", "12", "--warmup", "0", "--step-size", "0.1", "--samples", "200"}), 4, 800);
  }
  SUBCASE("static HMC with a jittered step count") {
    check_invariant(plus(kNormal, {"--seed", "13", "--algorithm", "hmc", "--steps", "10", "--jitter", "--warmup",
                                   "300", "--samples", "200"}),
                    4, 800);
  }
  SUBCASE("eight schools (non-centered), NUTS with warm-up") {
    check_invariant(plus(eight_schools(), {"--seed", "14", "--warmup", "200", "--samples", "150"}), 4, 600);
  }
  SUBCASE("eight schools (non-centered), static HMC with jitter") {
    check_invariant(plus(eight_schools(), {"--seed", "15", "--algorithm", "hmc", "--steps", "10", "--jitter",
                                         "--warmup", "200", "--samples", "150"}),
                    4, 600);
  }
  SUBCASE("eight schools (non-centered), ChEES-HMC (ensemble adaptation across the chains)") {
    {
      auto args = eight_schools();
      args.back() = "8";  // --chains 8
      check_invariant(plus(args, {"--seed", "16", "--algorithm", "chees", "--warmup", "150", "--samples", "50"}), 8, 400);
    }
  }
  SUBCASE("eight schools (non-centered), ChEES-HMC with 300 chains (several blocks)") {
    // 300 chains: several lockstep blocks per thread in vmap mode and five 64-chain blocks of
    // ensemble statistics gathered on both threads.
    {
      auto args = eight_schools();
      args.back() = "300";
      check_invariant(plus(args, {"--seed", "18", "--algorithm", "chees", "--warmup", "100", "--samples", "20"}), 300,
                      6000);
    }
  }
  SUBCASE("eight schools (non-centered), MEADS (fold-wise ensemble adaptation)") {
    {
      auto args = eight_schools();
      args.back() = "12";  // --chains 12: 4 folds of 3
      check_invariant(plus(args, {"--seed", "17", "--algorithm", "meads", "--warmup", "150", "--samples", "50"}), 12, 600);
    }
  }
  SUBCASE("different seeds give different draws") {
    const auto base = plus(kNormal, {"--warmup", "100", "--samples", "50"});
    CHECK(draws_of(plus(base, {"--seed", "21"}), 4) != draws_of(plus(base, {"--seed", "22"}), 4));
  }
}

TEST_CASE("without --seed a seed is chosen, echoed and recorded, and rerunning with it repeats the draws") {
  const auto base = plus(kNormal, {"--warmup", "200", "--samples", "100"});
  TempDir dir;
  const Result r = run_mcmc(plus(base, {"--output", dir / "out.csv"}));
  INFO("stderr: " << r.err);
  REQUIRE(r.code == 0);
  const std::vector<StanCsv> chains = read_chains(dir.path(), "out", 4);
  const std::string seed = chains[0].config_value("seed");
  REQUIRE_FALSE(seed.empty());
  for (const StanCsv& c : chains) CHECK(c.config_value("seed") == seed);
  std::smatch m;
  REQUIRE(std::regex_search(r.err, m, std::regex("seed: ([0-9]+) \\(pass --seed ([0-9]+)")));
  CHECK(m[1].str() == seed);
  CHECK(m[2].str() == seed);

  CHECK(draws_of(plus(base, {"--seed", seed}), 4) == all_draw_lines(chains));

  // A second run without --seed picks another seed (equal by chance with probability 2^-32).
  TempDir other;
  const Result r2 = run_mcmc(plus(base, {"--output", other / "out.csv"}));
  REQUIRE(r2.code == 0);
  const std::vector<StanCsv> chains2 = read_chains(other.path(), "out", 4);
  CHECK(chains2[0].config_value("seed") != seed);
  CHECK(all_draw_lines(chains2) != all_draw_lines(chains));
}

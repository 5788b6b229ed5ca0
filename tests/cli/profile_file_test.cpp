// --profile-file end to end: profile("name") blocks timed and written as CmdStan's profile CSV (nesting, call counts, no regions).
#include <doctest/doctest.h>

#include <map>

#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

using namespace cli_test;

namespace {

const std::string kProfiled = R"(data { int N; vector[N] y; }
parameters { real mu; real<lower=0> sigma; }
model {
  profile("priors") {
    mu ~ normal(0, 10);
    sigma ~ exponential(1);
  }
  profile("likelihood") {
    vector[N] m = rep_vector(mu, N);
    target += -0.5 * square(mu - 1);  // nodes of the enclosing region's own (rep_vector makes none)
    profile("inner") {
      y ~ normal(m, sigma);
    }
  }
}
)";

const std::string kData = R"({"N": 5, "y": [0.1, -0.4, 1.2, 0.7, 0.3]})";

struct Row {
  std::string thread;
  double total, fwd, rev;
  long long chain_stack, no_chain_stack, ad, no_ad;
};

std::map<std::string, Row> read_profile(const std::string& path) {
  const std::vector<std::string> lines = lines_of(read_text(path));
  REQUIRE(!lines.empty());
  CHECK(lines[0] ==
        "name,thread_id,total_time,forward_time,reverse_time,chain_stack,no_chain_stack,autodiff_calls,no_autodiff_calls");
  std::map<std::string, Row> rows;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    const std::vector<std::string> c = split(lines[i], ',');
    REQUIRE(c.size() == 9);
    rows[c[0]] = {c[1], std::stod(c[2]), std::stod(c[3]), std::stod(c[4]), std::stoll(c[5]), std::stoll(c[6]),
                  std::stoll(c[7]), std::stoll(c[8])};
  }
  return rows;
}

}  // namespace

TEST_CASE("--profile-file writes one row per profile region with CmdStan's columns, nested time included") {
  TempDir dir;
  write_text(dir / "m.stan", kProfiled);
  write_text(dir / "d.json", kData);
  // One chain, one thread, static HMC: the footer counts the gradients of the run.
  const Result r = run_mcmc({"run", dir / "m.stan", "--data", dir / "d.json", "--algorithm", "hmc", "--steps", "5",
                             "--warmup", "0", "--samples", "20", "--chains", "1", "--threads", "1", "--init", "0",
                             "--seed", "1", "-q", "--format", "json", "--output", dir / "out.json", "--profile-file",
                             dir / "profile.csv"});
  INFO("stderr: " << r.err);
  REQUIRE(r.code == 0);
  const auto rows = read_profile(dir / "profile.csv");
  REQUIRE(rows.size() == 3);
  REQUIRE(rows.count("priors") == 1);
  REQUIRE(rows.count("likelihood") == 1);
  REQUIRE(rows.count("inner") == 1);
  const nlohmann::json out = nlohmann::json::parse(read_text(dir / "out.json"));
  const long long gradients = out["chains"][0]["footer"]["gradient_evaluations"].get<long long>();
  REQUIRE(gradients > 0);
  for (const auto& [name, row] : rows) {
    const std::string region = name;  // (clang 14 cannot capture a structured binding in INFO's lambda)
    INFO(region);
    CHECK(row.thread == "0");
    // Every gradient of the run evaluates every region (initialization adds its own evaluations).
    CHECK(row.ad >= gradients);
    CHECK(row.ad == rows.at("priors").ad);
    CHECK(row.fwd >= 0);
    CHECK(row.rev >= 0);
    CHECK(row.total == doctest::Approx(row.fwd + row.rev).epsilon(1e-6));
    CHECK(row.chain_stack > 0);
    CHECK(row.chain_stack % row.ad == 0);  // the region's nodes times the calls
    CHECK(row.no_chain_stack == 0);
  }
  // The enclosing region's time and nodes include the nested one's.
  CHECK(rows.at("likelihood").fwd >= rows.at("inner").fwd);
  CHECK(rows.at("likelihood").rev >= rows.at("inner").rev);
  CHECK(rows.at("likelihood").chain_stack > rows.at("inner").chain_stack);
}

TEST_CASE("--profile-file with vmap counts each chain of a batched evaluation") {
  TempDir dir;
  write_text(dir / "m.stan", kProfiled);
  write_text(dir / "d.json", kData);
  const Result r = run_mcmc({"run", dir / "m.stan", "--data", dir / "d.json", "--algorithm", "hmc", "--steps", "5",
                             "--warmup", "0", "--samples", "20", "--chains", "4", "--mode", "vmap", "--init", "0",
                             "--seed", "1", "-q", "--format", "json", "--output", dir / "out.json", "--profile-file",
                             dir / "profile.csv"});
  INFO("stderr: " << r.err);
  REQUIRE(r.code == 0);
  const auto rows = read_profile(dir / "profile.csv");
  REQUIRE(rows.size() == 3);
  const nlohmann::json out = nlohmann::json::parse(read_text(dir / "out.json"));
  long long gradients = 0;
  for (const auto& c : out["chains"]) gradients += c["footer"]["gradient_evaluations"].get<long long>();
  CHECK(rows.at("inner").ad >= gradients);
}

TEST_CASE("--profile-file of a model without profile blocks holds the header only") {
  TempDir dir;
  const Result r = run_mcmc({"run", "models/normal_logscale.stan", "--data", "models/normal_logscale.data.json",
                             "--samples", "50", "--warmup", "50", "--chains", "1", "--seed", "1", "-q",
                             "--profile-file", dir / "profile.csv"});
  INFO("stderr: " << r.err);
  REQUIRE(r.code == 0);
  CHECK(read_text(dir / "profile.csv") ==
        "name,thread_id,total_time,forward_time,reverse_time,chain_stack,no_chain_stack,autodiff_calls,no_autodiff_calls\n");
}

// Tests of the progress display's snapshot, table and JSON lines (run/progress.hpp), without sampling.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "run/progress.hpp"

using namespace mcmc::run;

TEST_CASE("progress snapshot: per chain, then groups of chains with their slowest iteration") {
  std::vector<ChainProgress> chains(4);
  chains[0].update(100, 0, 0.5, 700);
  chains[1].update(150, 2, 0.25, 1500);
  chains[2].update(200, 1, 0.75, 1000);
  chains[3].update(50, 0, 0.5, 350);
  const ProgressSnapshot s = take_snapshot(chains, 100, 100, 10.0, 16);
  REQUIRE(s.rows.size() == 4);
  CHECK(s.iterations_done == 500);
  CHECK(s.iterations_total == 800);
  CHECK(s.divergences == 3);
  CHECK(s.remaining_seconds == doctest::Approx(10.0 * 300 / 500));
  CHECK(s.rows[1].gradients_per_draw == doctest::Approx(10));
  CHECK(s.rows[0].remaining_seconds == doctest::Approx(10.0));
  CHECK(s.rows[3].warming_up());
  CHECK_FALSE(s.rows[1].warming_up());
  const ProgressSnapshot g = take_snapshot(chains, 100, 100, 10.0, 2);
  REQUIRE(g.rows.size() == 2);
  CHECK(g.rows[0].first_chain == 1);
  CHECK(g.rows[0].last_chain == 2);
  CHECK(g.rows[0].iteration == 100);  // the slower of the two
  CHECK(g.rows[0].divergences == 2);
  CHECK(g.rows[0].step_size == doctest::Approx(0.375));
  CHECK(g.rows[1].gradients_per_draw == doctest::Approx(1350.0 / 250));

  const std::string table = progress_table(s);
  CHECK(table.find("100 of 200") != std::string::npos);
  CHECK(table.find("warm-up") != std::string::npos);
  CHECK(table.find("sampling") != std::string::npos);
  CHECK(table.find("done") != std::string::npos);  // chain 3
  CHECK(table.find("4 chains: 62% done, 3 divergences, elapsed 10s, remaining 6s") != std::string::npos);
  CHECK(progress_table(g).find("1-2") != std::string::npos);
}

TEST_CASE("progress JSON line: one object with the totals and one row per chain") {
  std::vector<ChainProgress> chains(3);
  chains[0].update(10, 0, 0.5, 70);
  ProgressSnapshot s = take_snapshot(chains, 10, 20, 2.0, 64);
  s.done = true;
  const std::string line = progress_json(s);
  CHECK(line.back() == '\n');
  CHECK(line.find('\n') == line.size() - 1);
  const auto j = nlohmann::json::parse(line);
  CHECK(j["format"] == "mcmc-progress");
  CHECK(j["chains"] == 3);
  CHECK(j["iterations_done"] == 10);
  CHECK(j["iterations_total"] == 90);
  CHECK(j["done"] == true);
  REQUIRE(j["rows"].size() == 3);
  CHECK(j["rows"][0]["phase"] == "sampling");
  CHECK(j["rows"][1]["phase"] == "warmup");
  CHECK(j["rows"][1]["remaining_seconds"].is_null());
  CHECK(j["rows"][0]["gradients_per_draw"] == doctest::Approx(7));
  CHECK(j["rows"][0]["chains"] == nlohmann::json::array({1, 1}));
}

// Straggler guard of the ensemble samplers: which chains are below the bulk, when they restart, from whom.
#include <doctest/doctest.h>

#include <vector>

#include "sampler/stragglers.hpp"
#include "sampler_test_util.hpp"

using namespace mcmc::sampler;
using namespace mcmc::sampler::testing;

namespace {

// Eight ChEES chains on a 2-D standard normal: seven near the mode, chain 5 far out at (40, 40).
std::vector<Chain> eight_chains() {
  SamplerSettings s;
  s.algorithm = Algorithm::Chees;
  s.warmup = 200;
  std::vector<Chain> chains;
  for (int c = 0; c < 8; ++c) {
    const double x = c == 5 ? 40.0 : 0.1 * c;
    chains.push_back(make_chain(s, 1, static_cast<std::uint64_t>(c), std_normal(), {x, x}));
  }
  return chains;
}

std::vector<Chain*> pointers(std::vector<Chain>& chains) {
  std::vector<Chain*> p;
  for (Chain& c : chains) p.push_back(&c);
  return p;
}

}  // namespace

TEST_CASE("stragglers: a chain far below the median log density is flagged, the others are not") {
  auto chains = eight_chains();
  auto ptrs = pointers(chains);
  Stragglers g(200, 2);
  g.update(ptrs);
  CHECK(g.below_list() == std::vector<int>{5});
  // Check points every max(10, warmup / 20) iterations, up to warmup - max(warmup / 10, 50).
  CHECK(g.checks(10));
  CHECK(g.checks(150));
  CHECK_FALSE(g.checks(5));
  CHECK_FALSE(g.checks(160));
  CHECK_FALSE(Stragglers(30, 2).checks(10));  // too short a warm-up: no restarts
}

TEST_CASE("stragglers: a chain below the bulk since the last check point restarts from a donor at or above the median") {
  auto chains = eight_chains();
  auto ptrs = pointers(chains);
  Stragglers g(200, 2);
  for (int t = 1; t <= 9; ++t) g.update(ptrs);
  g.update(ptrs);  // the tenth update: below for a whole period
  const std::vector<int>& donor = g.restart(ptrs, 10);
  for (int c = 0; c < 8; ++c)
    if (c != 5) CHECK(donor[c] == -1);
  REQUIRE(donor[5] >= 0);
  const int d = donor[5];
  // Donors are the chains at or above the median log density: chains 0..3 (nearest the mode).
  CHECK(d <= 3);
  CHECK(chains[5].position()[0] == chains[d].position()[0]);
  CHECK(chains[5].position()[1] == chains[d].position()[1]);
  CHECK(chains[5].log_density() == chains[d].log_density());
  CHECK_FALSE(chains[5].ensemble_stats().moved);
  CHECK(g.restarts() == 1);
  g.update(ptrs);
  CHECK(g.below_list().empty());
  // The donor depends only on (iteration, chain) and the ensemble's state.
  auto again = eight_chains();
  auto p2 = pointers(again);
  Stragglers g2(200, 2);
  for (int t = 1; t <= 10; ++t) g2.update(p2);
  CHECK(g2.restart(p2, 10)[5] == d);
}

TEST_CASE("stragglers: a chain below the bulk for less than a period stays where it is") {
  auto chains = eight_chains();
  auto ptrs = pointers(chains);
  Stragglers g(200, 2);
  for (int t = 1; t <= 5; ++t) g.update(ptrs);
  CHECK(g.restart(ptrs, 10)[5] == -1);
  CHECK(chains[5].position()[0] == 40.0);
}

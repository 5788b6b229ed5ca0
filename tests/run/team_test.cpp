// The ensemble driver's thread team: every item of every phase done exactly once, and members that only cost are left out.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "run/team.hpp"

TEST_CASE("every item of every phase is done exactly once, whichever threads join") {
  mcmc::run::Team team(3);
  const int items = 40;
  std::vector<int> done(items);
  std::atomic<int> next{0};
  for (int p = 0; p < 500; ++p) {
    next = 0;
    auto f = [&](int tid) {
      for (int i; (i = next.fetch_add(1)) < items;) {
        ++done[static_cast<std::size_t>(i)];  // one thread per item: no race
        if (tid != 0 && i % 7 == 0) std::this_thread::sleep_for(std::chrono::microseconds(20));
      }
    };
    team.phase(f, items);
    for (int i = 0; i < items; ++i) REQUIRE(done[static_cast<std::size_t>(i)] == p + 1);
  }
}

TEST_CASE("a member that only makes the leader wait is left out of the following phases") {
  // Members sleep 2 ms whenever they join, before taking items; the leader's items take no time.
  // With barriers every thread is in every phase; here the leader stops waiting for them.
  mcmc::run::Team team(2);
  std::atomic<int> member_joins{0};
  const int phases = 2000;
  for (int p = 0; p < phases; ++p) {
    std::atomic<int> next{0};
    auto f = [&](int tid) {
      if (tid != 0) {
        ++member_joins;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
      while (next.fetch_add(1) < 4) {
      }
    };
    team.phase(f, 4);
  }
  CHECK(member_joins.load() < phases / 10);
}

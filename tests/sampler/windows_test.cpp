// Stan's adaptation window schedule: default warm-up, exact fits and the short-warm-up fallbacks.
#include <doctest/doctest.h>

#include "sampler/windows.hpp"

using mcmc::sampler::build_schedule;

TEST_CASE("window schedule for warmup 1000 matches Stan's windows") {
  const auto s = build_schedule(1000, 75, 50, 25);
  CHECK(s.metric_adaptation);
  CHECK(s.window_ends == std::vector<int>{99, 149, 249, 449, 949});
  CHECK_FALSE(s.collects(0));
  CHECK_FALSE(s.collects(74));
  CHECK(s.collects(75));
  CHECK(s.collects(99));
  CHECK(s.collects(100));
  CHECK(s.collects(949));
  CHECK_FALSE(s.collects(950));
  CHECK_FALSE(s.collects(999));
  int collected = 0;
  for (int i = 0; i < 1000; ++i) collected += s.collects(i) ? 1 : 0;
  CHECK(collected == 875);
}

TEST_CASE("window schedule stretches the last window to the term buffer") {
  CHECK(build_schedule(500, 75, 50, 25).window_ends == std::vector<int>{99, 149, 249, 449});
  CHECK(build_schedule(200, 75, 50, 25).window_ends == std::vector<int>{99, 149});
  CHECK(build_schedule(150, 75, 50, 25).window_ends == std::vector<int>{99});
  // 75 + 25 + 50 + 50 + 100 = 300: the window after 149 would overtake 350 - 50, so it stretches.
  CHECK(build_schedule(350, 75, 50, 25).window_ends == std::vector<int>{99, 149, 299});
  CHECK(build_schedule(2000, 75, 50, 25).window_ends == std::vector<int>{99, 149, 249, 449, 849, 1949});
}

TEST_CASE("short warm-up falls back to 15% / 75% / 10%, which Stan never restarts") {
  // Stan: the buffers are reduced but restart() is not called, so no window ever ends.
  const auto stan = build_schedule(100, 75, 50, 25);
  CHECK_FALSE(stan.metric_adaptation);
  CHECK(stan.init_buffer == 15);
  CHECK(stan.base_window == 75);
  CHECK(stan.term_buffer == 10);
  CHECK(stan.window_ends.empty());

  // The announced schedule, when restarted: one window over [15, 90).
  const auto s = build_schedule(100, 75, 50, 25, true);
  CHECK(s.metric_adaptation);
  CHECK(s.window_ends == std::vector<int>{89});
  CHECK_FALSE(s.collects(14));
  CHECK(s.collects(15));
  CHECK(s.collects(89));
  CHECK_FALSE(s.collects(90));

  const auto t = build_schedule(20, 75, 50, 25, true);
  CHECK(t.init_buffer == 3);
  CHECK(t.term_buffer == 2);
  CHECK(t.base_window == 15);
  CHECK(t.window_ends == std::vector<int>{17});

  // Exactly enough warm-up is not a fallback.
  CHECK(build_schedule(150, 75, 50, 25).metric_adaptation);
  CHECK_FALSE(build_schedule(149, 75, 50, 25).metric_adaptation);
  // Custom buffers that fit are used as given.
  CHECK(build_schedule(100, 10, 10, 20).window_ends == std::vector<int>{29, 89});
}

TEST_CASE("no metric adaptation below 20 warm-up iterations") {
  for (int w : {0, 1, 10, 19}) {
    const auto s = build_schedule(w, 75, 50, 25);
    CHECK_FALSE(s.metric_adaptation);
    CHECK(s.window_ends.empty());
    for (int i = 0; i < w; ++i) CHECK_FALSE(s.collects(i));
  }
}

// Stan's windowed-adaptation schedule (init buffer, doubling metric windows, term buffer) as a pure function.
#pragma once

#include <vector>

namespace mcmc::sampler {

/// Which warm-up iterations feed the variance estimator and after which ones the metric is
/// updated, exactly as Stan's windowed_adaptation decides (iterations are 0-based).
struct WindowSchedule {
  bool metric_adaptation = false;  // false when warmup < 20 (Stan adapts only the step size)
  int init_buffer = 0;             // effective buffers and first window (after Stan's 15/75/10 fallback)
  int term_buffer = 0;
  int base_window = 0;
  std::vector<char> collect;       // collect[i]: warm-up draw i enters the variance estimator
  std::vector<int> window_ends;    // warm-up iterations after which the metric is updated

  bool collects(int iteration) const;
  bool ends_window(int iteration) const;
};

/// Stan's schedule for `warmup` iterations with the given buffers and base window. With
/// init_buffer + window + term_buffer > warmup it falls back to 15% / 75% / 10% of warmup;
/// with warmup < 20 there is no metric adaptation at all.
///
/// Stan's set_window_params returns from the fallback branch without calling restart(), so the
/// window end stays at the constructor's (unsigned) -1 and is never reached: Stan announces the
/// 15/75/10 split but adapts only the step size. `restart_fallback = false` reproduces that;
/// `true` runs the announced single window [15%, 90%) instead.
WindowSchedule build_schedule(int warmup, int init_buffer, int term_buffer, int window,
                              bool restart_fallback = false);

}  // namespace mcmc::sampler

// Stan's windowed-adaptation schedule, computed by replaying its counters (unsigned, as in Stan).
#include "sampler/windows.hpp"

#include <algorithm>

namespace mcmc::sampler {

bool WindowSchedule::collects(int iteration) const {
  return iteration >= 0 && iteration < static_cast<int>(collect.size()) && collect[iteration];
}

bool WindowSchedule::ends_window(int iteration) const {
  return std::find(window_ends.begin(), window_ends.end(), iteration) != window_ends.end();
}

namespace {

// A replay of stan::mcmc::windowed_adaptation with the same unsigned arithmetic.
struct StanWindows {
  unsigned num_warmup = 0, init_buffer = 0, term_buffer = 0, base_window = 0;
  unsigned counter = 0, next_window = 0, window_size = 0;

  void restart() {
    counter = 0;
    window_size = base_window;
    next_window = init_buffer + window_size - 1;
  }
  bool adaptation_window() const {
    return counter >= init_buffer && counter < num_warmup - term_buffer && counter != num_warmup;
  }
  bool end_adaptation_window() const { return counter == next_window && counter != num_warmup; }
  void compute_next_window() {
    if (next_window == num_warmup - term_buffer - 1) return;
    window_size *= 2;
    next_window = counter + window_size;
    if (next_window == num_warmup - term_buffer - 1) return;
    const unsigned next_window_boundary = next_window + 2 * window_size;
    if (next_window_boundary >= num_warmup - term_buffer) next_window = num_warmup - term_buffer - 1;
  }
};

}  // namespace

WindowSchedule build_schedule(int warmup, int init_buffer, int term_buffer, int window,
                              bool restart_fallback) {
  WindowSchedule schedule;
  warmup = std::max(warmup, 0);
  schedule.collect.assign(static_cast<std::size_t>(warmup), 0);
  if (warmup < 20) return schedule;

  StanWindows w;
  const auto n = static_cast<unsigned>(warmup);
  const auto init = static_cast<unsigned>(std::max(init_buffer, 0));
  const auto term = static_cast<unsigned>(std::max(term_buffer, 0));
  const auto base = static_cast<unsigned>(std::max(window, 0));
  w.restart();  // the constructor's restart() with all-zero parameters: next_window = unsigned(-1)
  w.num_warmup = n;
  bool restarted = true;
  if (init + base + term > n) {
    w.init_buffer = static_cast<unsigned>(0.15 * n);
    w.term_buffer = static_cast<unsigned>(0.10 * n);
    w.base_window = n - (w.init_buffer + w.term_buffer);
    restarted = restart_fallback;  // Stan returns here without restart()
  } else {
    w.init_buffer = init;
    w.term_buffer = term;
    w.base_window = base;
  }
  if (restarted) w.restart();

  schedule.metric_adaptation = restarted;
  schedule.init_buffer = static_cast<int>(w.init_buffer);
  schedule.term_buffer = static_cast<int>(w.term_buffer);
  schedule.base_window = static_cast<int>(w.base_window);
  for (int i = 0; i < warmup; ++i) {
    schedule.collect[i] = w.adaptation_window() ? 1 : 0;
    if (w.end_adaptation_window()) {
      w.compute_next_window();
      schedule.window_ends.push_back(i);
    }
    ++w.counter;
  }
  return schedule;
}

}  // namespace mcmc::sampler

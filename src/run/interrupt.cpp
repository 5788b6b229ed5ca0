// SIGINT / SIGTERM handling: a lock-free flag, nothing else, in the handler.
#include "run/interrupt.hpp"

#include <csignal>

namespace mcmc::run {

std::atomic<bool>& stop_requested() {
  static std::atomic<bool> flag{false};
  return flag;
}

namespace {
extern "C" void on_signal(int) { stop_requested().store(true, std::memory_order_relaxed); }
}  // namespace

void install_signal_handlers() {
  (void)stop_requested();
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
}

}  // namespace mcmc::run

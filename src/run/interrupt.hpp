// The process-wide stop request set by SIGINT / SIGTERM and polled by the drivers.
#pragma once

#include <atomic>

namespace mcmc::run {

/// Set by the signal handler (or a test); drivers stop at the next draw boundary.
std::atomic<bool>& stop_requested();

/// Installs SIGINT / SIGTERM handlers that set stop_requested().
void install_signal_handlers();

}  // namespace mcmc::run

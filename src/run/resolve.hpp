// One settings resolution for `mcmc run`, the library and the tests: algorithm-specific defaults and cross-option checks.
#pragma once

#include "run/settings.hpp"

namespace mcmc::run {

/// Applies the defaults that depend on the algorithm (to options the user did not set, per
/// RunSettings::given) and throws mcmc::Error (ExitCode::Usage) for options that do not go
/// together. Call once, after the options are parsed and before the run.
void resolve_settings(RunSettings& s);

}  // namespace mcmc::run

// Algorithm-specific defaults and cross-option checks of the run settings.
#include "run/resolve.hpp"

#include <fmt/format.h>

#include "util/error.hpp"

namespace mcmc::run {

void resolve_settings(RunSettings& s) {
  using sampler::Algorithm;
  sampler::SamplerSettings& p = s.sampler;
  const Algorithm a = p.algorithm;
  if (p.thin < 1) throw Error(ExitCode::Usage, "--thin must be at least 1");
  if (a == Algorithm::Nuts && (s.is_given("steps") || s.is_given("jitter")))
    throw Error(ExitCode::Usage, "--steps and --jitter apply to --algorithm hmc only (NUTS chooses its own path length)");
  if (a != Algorithm::Nuts && s.is_given("max-depth"))
    throw Error(ExitCode::Usage, "--max-depth applies to --algorithm nuts only");
  if (a == Algorithm::Chees && s.is_given("jitter"))
    throw Error(ExitCode::Usage, "--jitter applies to --algorithm hmc only (chees always jitters its trajectory length)");
  if (a == Algorithm::Chees && s.is_given("steps") && p.warmup > 0)
    throw Error(ExitCode::Usage, "--steps applies to --algorithm chees only with --warmup 0 (the trajectory length is adapted)");
  if (a == Algorithm::Meads && (s.is_given("steps") || s.is_given("jitter")))
    throw Error(ExitCode::Usage, "--steps and --jitter do not apply to --algorithm meads (one leapfrog step per transition)");
  if (a != Algorithm::Chees && s.is_given("max-steps"))
    throw Error(ExitCode::Usage, "--max-steps applies to --algorithm chees only");
  if (a != Algorithm::Meads && s.is_given("folds"))
    throw Error(ExitCode::Usage, "--folds applies to --algorithm meads only");
  if (a == Algorithm::Meads && s.chains < 2 * p.folds)
    throw Error(ExitCode::Usage, fmt::format("--algorithm meads needs at least {} chains ({} folds of at least 2 chains; "
                                             "each fold's settings are estimated from another fold); got --chains {}",
                                             2 * p.folds, p.folds, s.chains));
  if (sampler::is_ensemble(a)) {
    for (const char* option : {"metric", "adapt", "metric-file", "save-metric"})
      if (s.is_given(option))
        throw Error(ExitCode::Usage, fmt::format("--{} applies to --algorithm nuts and hmc only (the ensemble samplers "
                                                 "adapt a diagonal metric across chains)", option));
    p.metric = "diag";
  }
  // MEADS takes one leapfrog step per iteration: its warm-up default is 5000 iterations (which
  // costs about what 250 NUTS iterations of 20 steps cost), enough to walk in from Stan-style
  // initial values on the conformance models.
  if (a == Algorithm::Meads && !s.is_given("warmup")) p.warmup = 5000;
  // ChEES targets the harmonic-mean acceptance probability 0.651 (Hoffman, Radul & Sountsov 2021).
  if (a == Algorithm::Chees && !s.is_given("target-accept")) p.delta = 0.651;
  // The ensemble's harmonic-mean acceptance is nearly 0 or 1 near the largest stable step size
  // (one chain in a thousand with acceptance ~0 drags it to ~0): with Stan's per-chain gain
  // (gamma 0.05) dual averaging then cycles through 3x too large and too small step sizes and
  // ends 2-3x below the stable one; a 10x gentler gain settles (bench/README.md).
  if (a == Algorithm::Chees && !s.is_given("adapt-gamma")) p.gamma = 0.5;
  if (!s.metric_file.empty() && s.is_given("inv-mass"))
    throw Error(ExitCode::Usage, "--metric-file and --inv-mass both give the initial metric: use one");
}

}  // namespace mcmc::run

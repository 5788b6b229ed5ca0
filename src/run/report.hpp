// The end-of-run summary: posterior table, sampler diagnostics and gradient accounting.
#pragma once

#include <string>
#include <vector>

#include "diag/summary.hpp"
#include "run/runner.hpp"

namespace mcmc::run {

/// Summaries of every column (sampler lp__ first, then the parameter columns), computed from the
/// stored draws a block of columns at a time.
std::vector<diag::ParamSummary> summarize_run(RunReport& report, const std::vector<double>& probs);

/// The text printed at the end of `mcmc run`: the table, divergences, max-depth hits, gradient
/// evaluations and (vmap) lockstep efficiency.
std::string format_run_summary(const RunSettings& settings, RunReport& report,
                               const std::vector<diag::ParamSummary>& rows);

}  // namespace mcmc::run

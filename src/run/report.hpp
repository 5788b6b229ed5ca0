// The end-of-run summary: posterior table, sampler diagnostics and gradient accounting.
#pragma once

#include <string>
#include <vector>

#include "diag/advice.hpp"
#include "diag/summary.hpp"
#include "run/runner.hpp"

namespace mcmc::run {

/// Summaries of every column (sampler lp__ first, then the parameter columns), computed from the
/// stored draws a block of columns at a time, over the chains that have draws (the first n draws
/// of each, n the shortest's); sets report.summary_chains and summary_draws.
std::vector<diag::ParamSummary> summarize_run(RunReport& report, const std::vector<double>& probs);

/// The sampler checks of `mcmc summary` (diag/advice.hpp) on the draws the summary used.
diag::Diagnostics diagnose_run(const RunSettings& settings, RunReport& report,
                               const std::vector<diag::ParamSummary>& rows);

/// The text printed at the end of `mcmc run`: the run's wall time, the table (with ESS_bulk per
/// second of sampling wall time), the sampler checks, gradient evaluations and (vmap) lockstep
/// efficiency.
std::string format_run_summary(const RunSettings& settings, RunReport& report,
                               const std::vector<diag::ParamSummary>& rows, const diag::Diagnostics& diagnostics);

}  // namespace mcmc::run

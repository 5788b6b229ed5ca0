// Sampler diagnostics with one line of advice each (as CmdStan's `diagnose`), shared by `mcmc summary` and `mcmc run`.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "diag/summary.hpp"

namespace mcmc::diag {

constexpr double kLowEbfmi = 0.3;
constexpr double kHighRhat = 1.01;
constexpr double kEssPerChain = 100;  // Vehtari et al. (2021): ESS > 100 per chain (400 for 4 chains)

/// What the checks look at: the summary rows and, where the output has the columns, per-chain
/// sampler statistics.
struct DiagnosticsInput {
  const std::vector<ParamSummary>* rows = nullptr;
  std::size_t chains = 0;
  std::size_t draws_per_chain = 0;
  std::optional<std::vector<int>> divergences;  // per chain; none without a divergent__ column
  int max_depth = 10;
  std::optional<std::vector<int>> depth_hits;   // per chain; none without treedepth__
  std::optional<std::vector<double>> ebfmi;     // per chain; none without energy__
  std::vector<double> nested_rhat;              // per row, with --superchains (empty: none)
  int superchains = 0;
  // Ensemble samplers (ChEES, MEADS): the chains (0-based) still far below the ensemble's log
  // density when warm-up ended, and how many restarts from other chains warm-up made; none
  // for the other samplers and for `mcmc summary`.
  std::optional<std::vector<int>> stuck_chains;
  long long restarted_chains = 0;
};

/// The checks' findings.
struct Diagnostics {
  std::size_t chains = 0, draws_per_chain = 0;
  std::optional<std::vector<int>> divergences;
  int max_depth = 10;
  std::optional<std::vector<int>> depth_hits;
  std::optional<std::vector<double>> ebfmi;
  std::vector<std::size_t> low_ebfmi;      // chain indices (0-based)
  double ess_threshold = 0;
  std::size_t checked = 0;                 // quantities checked for ESS and R-hat (not constant)
  std::vector<std::size_t> low_ess;        // row indices
  std::vector<std::size_t> high_rhat;      // row indices (split R-hat)
  int superchains = 0;
  std::vector<std::size_t> high_nested_rhat;  // row indices, with superchains
  std::optional<std::vector<int>> stuck_chains;  // as DiagnosticsInput
  long long restarted_chains = 0;
  int total_divergences() const;
  int total_depth_hits() const;
};

/// The ESS a quantity needs: 100 per chain (Vehtari et al. 2021), but never more than a tenth of
/// all draws, nor less than 400: with many short chains, 100 per chain would ask for more
/// effective draws than there are draws.
double ess_threshold(std::size_t chains, std::size_t draws_per_chain);

/// Fills in.divergences, in.depth_hits (with in.max_depth) and in.ebfmi from the sampler columns
/// divergent__, treedepth__ and energy__; `column(name, c)` gives chain c's used draws of a column,
/// or an empty span when there is no such column (checked on chain 0). in.chains must be set.
void add_sampler_statistics(DiagnosticsInput& in,
                            const std::function<std::span<const double>(const std::string&, std::size_t)>& column);

Diagnostics diagnose(const DiagnosticsInput& in);

/// One line per check, flagged or not, each with its advice ("Sampler diagnostics:\n  ...").
std::string diagnostics_text(const Diagnostics& d, const std::vector<ParamSummary>& rows);

/// Only the flagged checks, one line each (for `mcmc run`'s warnings); empty when all passed.
std::vector<std::string> diagnostics_warnings(const Diagnostics& d, const std::vector<ParamSummary>& rows);

}  // namespace mcmc::diag

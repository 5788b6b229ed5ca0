// Quality gates (--max-rhat, --min-ess, --max-divergences) shared by `mcmc run` and `mcmc summary`.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "diag/summary.hpp"

namespace mcmc::run {

/// Gate thresholds; a NaN (or negative --max-divergences) threshold is off.
struct GateOptions {
  double max_rhat = std::numeric_limits<double>::quiet_NaN();  // fail if any R-hat > max_rhat
  double min_ess = std::numeric_limits<double>::quiet_NaN();   // fail if any ESS_bulk or ESS_tail < min_ess
  int max_divergences = -1;                                    // fail if divergences > max_divergences
  std::vector<std::string> vars;  // --gate-vars: only these quantities ("theta" = theta and theta.*; empty: all)
  bool na_fails = false;          // --gate-na fail: an undefined (NA) R-hat / ESS of finite draws fails
  bool any() const { return max_rhat == max_rhat || min_ess == min_ess || max_divergences >= 0; }
};

/// One failed gate for one quantity.
struct GateFailure {
  std::string gate;      // "max_rhat", "min_ess_bulk", "min_ess_tail", "max_divergences"
  std::string option;    // "--max-rhat", "--min-ess", "--max-divergences"
  std::string quantity;  // the row's name ("" for --max-divergences)
  double value = 0;      // the value that failed (NaN when undefined: non-finite draws)
  double limit = 0;
  std::string message;   // "gate failed: R-hat of mu is 1.034 > --max-rhat 1.01"
};

struct GateResult {
  std::vector<GateFailure> failures;
  std::vector<std::string> not_gated;  // quantities whose R-hat / ESS is NA and were not gated (names)
  bool passed() const { return failures.empty(); }
  /// Every failure's message, one per line (each ending with '\n'); "" when all passed.
  std::string message() const;
  /// A note naming the quantities left out for NA ("" when none).
  std::string note() const;
};

/// Checks the rows (lp__ included; only those --gate-vars names, when given) against the
/// thresholds, and the total number of post-warm-up divergent transitions. An undefined (NaN)
/// R-hat or ESS fails when the quantity has non-finite draws; when its draws are finite (posterior's
/// NA for constant draws, or the tail ESS of an indicator that takes two values) it is not gated
/// and is listed in `not_gated`, unless options.na_fails. Throws mcmc::Error (Usage) when a
/// --gate-vars name matches no row.
GateResult check_gates(const GateOptions& options, const std::vector<diag::ParamSummary>& rows, int divergences);

}  // namespace mcmc::run

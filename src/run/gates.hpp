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
  bool passed() const { return failures.empty(); }
  /// Every failure's message, one per line (each ending with '\n'); "" when all passed.
  std::string message() const;
};

/// Checks every row (lp__ included, as given) against the thresholds, and the total number of
/// post-warm-up divergent transitions. A row whose R-hat / ESS is NaN fails the gate, except when
/// its draws are constant (sd == 0: posterior's NA for a constant, e.g. a fixed generated quantity),
/// which is not checked.
GateResult check_gates(const GateOptions& options, const std::vector<diag::ParamSummary>& rows, int divergences);

}  // namespace mcmc::run

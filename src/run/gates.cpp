// Checking a run's summary against the --max-rhat / --min-ess / --max-divergences gates.
#include "run/gates.hpp"

#include <cmath>
#include <tuple>

#include <fmt/format.h>

namespace mcmc::run {
namespace {

/// `value` with enough digits not to print equal to `limit` (1.0102 > 1.01, not 1.01 > 1.01).
std::string show(double value, double limit, bool fixed) {
  if (std::isnan(value)) return "NA";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  for (int digits = fixed ? 1 : 4; digits <= 17; ++digits) {
    std::string v = fixed ? fmt::format("{:.{}f}", value, digits) : fmt::format("{:.{}g}", value, digits);
    std::string l = fixed ? fmt::format("{:.{}f}", limit, digits) : fmt::format("{:.{}g}", limit, digits);
    if (v != l || value == limit) return v;
  }
  return fmt::format("{}", value);
}

bool constant(const diag::ParamSummary& row) { return row.sd == 0.0; }

void check_rhat(const GateOptions& o, const diag::ParamSummary& row, GateResult& out) {
  if (std::isnan(o.max_rhat) || constant(row)) return;
  if (!(row.rhat <= o.max_rhat)) {  // NaN fails
    std::string why = std::isnan(row.rhat) ? " (undefined: non-finite draws)" : "";
    out.failures.push_back({"max_rhat", "--max-rhat", row.name, row.rhat, o.max_rhat,
                            fmt::format("gate failed: R-hat of {} is {}{} > --max-rhat {:g}", row.name,
                                        show(row.rhat, o.max_rhat, false), why, o.max_rhat)});
  }
}

void check_ess(const GateOptions& o, const diag::ParamSummary& row, GateResult& out) {
  if (std::isnan(o.min_ess) || constant(row)) return;
  for (auto [label, gate, value] : {std::tuple{"ESS_bulk", "min_ess_bulk", row.ess_bulk},
                                    std::tuple{"ESS_tail", "min_ess_tail", row.ess_tail}}) {
    if (value >= o.min_ess) continue;  // NaN fails
    std::string why = std::isnan(value) ? " (undefined: non-finite draws)" : "";
    out.failures.push_back({gate, "--min-ess", row.name, value, o.min_ess,
                            fmt::format("gate failed: {} of {} is {}{} < --min-ess {:g}", label, row.name,
                                        show(value, o.min_ess, true), why, o.min_ess)});
  }
}

}  // namespace

std::string GateResult::message() const {
  std::string out;
  for (const GateFailure& f : failures) out += f.message + "\n";
  return out;
}

GateResult check_gates(const GateOptions& options, const std::vector<diag::ParamSummary>& rows, int divergences) {
  GateResult out;
  for (const diag::ParamSummary& row : rows) check_rhat(options, row, out);
  for (const diag::ParamSummary& row : rows) check_ess(options, row, out);
  if (options.max_divergences >= 0 && divergences > options.max_divergences) {
    out.failures.push_back({"max_divergences", "--max-divergences", "", static_cast<double>(divergences),
                            static_cast<double>(options.max_divergences),
                            fmt::format("gate failed: {} divergent transition{} > --max-divergences {}", divergences,
                                        divergences == 1 ? "" : "s", options.max_divergences)});
  }
  return out;
}

}  // namespace mcmc::run

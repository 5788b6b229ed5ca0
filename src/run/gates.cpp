// Checking a run's summary against the --max-rhat / --min-ess / --max-divergences gates.
#include "run/gates.hpp"

#include <cmath>
#include <tuple>

#include <fmt/format.h>

#include "util/error.hpp"

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

/// Whether an undefined value is gated: always when the draws are not all finite (the mean is
/// then not finite), otherwise only with --gate-na fail.
bool gate_na(const GateOptions& o, const diag::ParamSummary& row) { return o.na_fails || !std::isfinite(row.mean); }

std::string na_reason(const diag::ParamSummary& row) {
  return std::isfinite(row.mean) ? " (undefined: NA, as R's posterior gives for draws taking so few values)"
                                 : " (undefined: non-finite draws)";
}

void check_rhat(const GateOptions& o, const diag::ParamSummary& row, GateResult& out) {
  if (std::isnan(o.max_rhat)) return;
  if (std::isnan(row.rhat) && !gate_na(o, row)) return;
  if (!(row.rhat <= o.max_rhat)) {  // NaN fails
    std::string why = std::isnan(row.rhat) ? na_reason(row) : "";
    out.failures.push_back({"max_rhat", "--max-rhat", row.name, row.rhat, o.max_rhat,
                            fmt::format("gate failed: R-hat of {} is {}{} > --max-rhat {:g}", row.name,
                                        show(row.rhat, o.max_rhat, false), why, o.max_rhat)});
  }
}

void check_ess(const GateOptions& o, const diag::ParamSummary& row, GateResult& out) {
  if (std::isnan(o.min_ess)) return;
  for (auto [label, gate, value] : {std::tuple{"ESS_bulk", "min_ess_bulk", row.ess_bulk},
                                    std::tuple{"ESS_tail", "min_ess_tail", row.ess_tail}}) {
    if (value >= o.min_ess) continue;  // NaN fails
    if (std::isnan(value) && !gate_na(o, row)) continue;
    std::string why = std::isnan(value) ? na_reason(row) : "";
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

std::string GateResult::note() const {
  if (not_gated.empty()) return "";
  std::string names;
  for (std::size_t k = 0; k < not_gated.size() && k < 5; ++k) names += (k ? ", " : "") + not_gated[k];
  if (not_gated.size() > 5) names += fmt::format(" and {} more", not_gated.size() - 5);
  return fmt::format("note: not gated: {} (R-hat or ESS undefined, posterior's NA, for finite draws that are "
                     "constant or take two values; --gate-na fail gates them)\n", names);
}

/// "theta[1,2]" -> "theta.1.2" (the output's column names).
std::string column_name(std::string v) {
  for (char& ch : v)
    if (ch == '[' || ch == ',') ch = '.';
  std::string out;
  for (char ch : v)
    if (ch != ']' && ch != ' ') out += ch;
  return out;
}

bool selected(const std::vector<std::string>& vars, const std::string& name) {
  if (vars.empty()) return true;
  for (const std::string& v : vars)
    if (name == v || (name.size() > v.size() && name.compare(0, v.size(), v) == 0 && name[v.size()] == '.')) return true;
  return false;
}

GateResult check_gates(const GateOptions& options, const std::vector<diag::ParamSummary>& rows, int divergences) {
  GateResult out;
  GateOptions o = options;
  for (std::string& v : o.vars) v = column_name(v);
  for (const std::string& v : o.vars) {
    bool found = false;
    for (const diag::ParamSummary& row : rows) found = found || selected({v}, row.name);
    if (!found && !rows.empty()) {
      std::string names;
      for (std::size_t k = 0; k < rows.size() && k < 8; ++k) names += (k ? ", " : "") + rows[k].name;
      if (rows.size() > 8) names += ", ...";
      throw Error(ExitCode::Usage, fmt::format("--gate-vars: no quantity '{}' in the output (quantities: {})", v, names));
    }
  }
  std::vector<diag::ParamSummary> gated;
  for (const diag::ParamSummary& row : rows) {
    if (!selected(o.vars, row.name)) continue;
    gated.push_back(row);
    const bool na = std::isnan(row.rhat) || std::isnan(row.ess_bulk) || std::isnan(row.ess_tail);
    if (na && !gate_na(o, row) && (o.max_rhat == o.max_rhat || o.min_ess == o.min_ess)) out.not_gated.push_back(row.name);
  }
  for (const diag::ParamSummary& row : gated) check_rhat(o, row, out);
  for (const diag::ParamSummary& row : gated) check_ess(o, row, out);
  if (options.max_divergences >= 0 && divergences > options.max_divergences) {
    out.failures.push_back({"max_divergences", "--max-divergences", "", static_cast<double>(divergences),
                            static_cast<double>(options.max_divergences),
                            fmt::format("gate failed: {} divergent transition{} > --max-divergences {}", divergences,
                                        divergences == 1 ? "" : "s", options.max_divergences)});
  }
  return out;
}

}  // namespace mcmc::run

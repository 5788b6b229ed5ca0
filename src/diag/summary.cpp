// Builds ParamSummary values from draws and lays them out as a stansummary-like text table.
#include "diag/summary.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "diag/rstats.hpp"

namespace mcmc::diag {

namespace {
std::string format_special(double v) {
  if (std::isnan(v)) return "nan";
  return v > 0 ? "inf" : "-inf";
}
}  // namespace

std::string format_significant(double v, int sig_figs) {
  if (!std::isfinite(v)) return format_special(v);
  std::string s = fmt::format("{:.{}g}", v, std::max(sig_figs, 1));
  if (s == "-0") s = "0";
  return s;
}

// R-hat keeps its trailing zeros (1.00, not 1) so that the column reads like stansummary's.
std::string format_rhat(double v, int sig_figs) {
  if (!std::isfinite(v)) return format_special(v);
  return fmt::format("{:#.{}g}", v, std::max(sig_figs, 1));
}

std::string format_count(double v) {
  if (!std::isfinite(v)) return format_special(v);
  return fmt::format("{:.0f}", v);
}

ParamSummary summarize(const std::string& name, const Chains& x, const std::vector<double>& probs) {
  QuantityDiagnostics d = diagnose(x, probs);
  ParamSummary s;
  s.name = name;
  s.mean = d.mean;
  s.mcse = d.mcse_mean;
  s.sd = d.sd;
  s.mad = d.mad;
  s.quantiles = std::move(d.quantiles);
  s.ess_bulk = d.ess_bulk;
  s.ess_tail = d.ess_tail;
  s.rhat = d.rhat;
  return s;
}

std::string quantile_label(double prob) {
  return fmt::format("{:g}%", std::round(prob * 100.0 * 1e6) / 1e6);
}

std::vector<std::vector<std::string>> summary_table_cells(const std::vector<ParamSummary>& rows,
                                                         const std::vector<double>& probs, int sig_figs,
                                                         const TableColumns& extra, const std::string& corner) {
  const bool per_second = extra.ess_seconds > 0;
  const bool nested = !extra.nested_rhat.empty();
  std::vector<std::string> header = {corner, "Mean", "MCSE", "StdDev"};
  for (double p : probs) header.push_back(quantile_label(p));
  header.insert(header.end(), {"ESS_bulk", "ESS_tail"});
  if (per_second) header.push_back("ESS_bulk/s");
  header.push_back("R_hat");
  if (nested) header.push_back("nR_hat");

  std::vector<std::vector<std::string>> cells = {header};
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const ParamSummary& r = rows[k];
    std::vector<std::string> line = {r.name, format_significant(r.mean, sig_figs),
                                     format_significant(r.mcse, sig_figs), format_significant(r.sd, sig_figs)};
    for (std::size_t i = 0; i < probs.size(); ++i) {
      const double q = i < r.quantiles.size() ? r.quantiles[i] : std::nan("");
      line.push_back(format_significant(q, sig_figs));
    }
    line.push_back(format_count(r.ess_bulk));
    line.push_back(format_count(r.ess_tail));
    if (per_second) line.push_back(format_significant(r.ess_bulk / extra.ess_seconds, sig_figs));
    line.push_back(format_rhat(r.rhat, sig_figs));
    if (nested) line.push_back(format_rhat(k < extra.nested_rhat.size() ? extra.nested_rhat[k] : std::nan(""), sig_figs));
    cells.push_back(std::move(line));
  }
  return cells;
}

std::string format_summary_table(const std::vector<ParamSummary>& rows, const std::vector<double>& probs,
                                 int sig_figs, const TableColumns& extra) {
  return align_table(summary_table_cells(rows, probs, sig_figs, extra));
}

std::string align_table(const std::vector<std::vector<std::string>>& cells) {
  if (cells.empty()) return "";
  std::vector<std::size_t> width(cells.front().size(), 0);
  for (const auto& line : cells)
    for (std::size_t c = 0; c < line.size() && c < width.size(); ++c) width[c] = std::max(width[c], line[c].size());
  std::string out;
  for (const auto& line : cells) {
    out += fmt::format("{:<{}}", line[0], width[0]);
    for (std::size_t c = 1; c < line.size(); ++c) out += fmt::format("  {:>{}}", line[c], c < width.size() ? width[c] : 0);
    out += '\n';
  }
  return out;
}

}  // namespace mcmc::diag

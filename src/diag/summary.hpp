// Per-quantity posterior summary (mean, MCSE, sd, quantiles, ESS, R-hat) and its stansummary-like table.
#pragma once

#include <string>
#include <vector>

#include "diag/diagnostics.hpp"

namespace mcmc::diag {

struct ParamSummary {
  std::string name;
  double mean = 0.0;
  double mcse = 0.0;  // mcse_mean
  double sd = 0.0;
  double mad = 0.0;   // R's mad(): 1.4826 * median absolute deviation
  std::vector<double> quantiles;  // type-7 quantiles at the requested probs, in order
  double ess_bulk = 0.0;
  double ess_tail = 0.0;
  double rhat = 0.0;  // NaN (R's NA) for constant or non-finite draws
};

/// Summary of one quantity over all chains (draws pooled for mean / sd / mad / quantiles).
ParamSummary summarize(const std::string& name, const Chains& x, const std::vector<double>& probs);

/// Column header for a probability: 0.05 -> "5%", 0.025 -> "2.5%".
std::string quantile_label(double prob);

/// Aligned text table like CmdStan's stansummary: a left-aligned name column, then right-aligned
/// columns Mean MCSE StdDev <one per prob> ESS_bulk ESS_tail R_hat. Every number is printed with
/// `sig_figs` significant digits (%g style, so very large or small values switch to exponent form;
/// R_hat keeps trailing zeros: "1.00"), except ESS_bulk / ESS_tail, which are counts and are printed
/// rounded to integers. NaN prints "nan",
/// infinities "inf" / "-inf". Each row ends with '\n'.
/// Columns the table adds when asked: ESS_bulk/s (between ESS_tail and R_hat) and nR_hat (last).
struct TableColumns {
  double ess_seconds = 0;             // > 0: an ESS_bulk/s column, ESS_bulk divided by these seconds
  std::vector<double> nested_rhat;    // one per row: an nR_hat column (empty: none)
};
std::string format_summary_table(const std::vector<ParamSummary>& rows, const std::vector<double>& probs,
                                 int sig_figs, const TableColumns& extra = {});

/// The same table as cells, header row first (for CSV output); `corner` heads the name column.
std::vector<std::vector<std::string>> summary_table_cells(const std::vector<ParamSummary>& rows,
                                                         const std::vector<double>& probs, int sig_figs,
                                                         const TableColumns& extra = {},
                                                         const std::string& corner = "");

/// Number formats of the table: %g with `sig_figs` digits ("nan", "inf", "-inf"; never "-0");
/// R-hat with trailing zeros (1.00); counts rounded to integers.
std::string format_significant(double v, int sig_figs);
std::string format_rhat(double v, int sig_figs);
std::string format_count(double v);

/// Rows of cells as text: the first column left-aligned, the others right-aligned, two spaces apart.
std::string align_table(const std::vector<std::vector<std::string>>& cells);

}  // namespace mcmc::diag

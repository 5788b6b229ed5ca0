// The HTML report: one self-contained page (inline CSS and SVG) of a run's draws, summary and plots.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "diag/advice.hpp"
#include "diag/summary.hpp"
#include "io/stan_csv_reader.hpp"
#include "report/plots.hpp"

namespace mcmc::report {

/// What `mcmc summary` has read and computed (src/cli/summary_input.hpp): the report shows it.
struct ReportInput {
  const std::vector<io::ChainDraws>* chains = nullptr;  // every column of every chain
  std::size_t draws = 0;                                 // draws per chain used (the shortest chain's)
  const std::vector<diag::ParamSummary>* rows = nullptr; // lp__ and the quantities, in column order
  const diag::Diagnostics* diagnostics = nullptr;
  std::vector<double> probs;                             // the rows' quantile probabilities
  std::optional<double> sampling_seconds;                // for ESS_bulk/s
  bool wall_time = false;                                // sampling_seconds is the run's wall time
  std::optional<double> run_wall_seconds;
  std::vector<std::string> warnings;                     // from reading the files
};

struct ReportOptions {
  std::vector<std::string> vars;   // quantities to plot ("theta" = theta and its elements); empty: the worst
  std::size_t quantities = 20;     // how many of the worst quantities to plot without vars
  std::size_t pairs = 4;           // quantities in the pairs plot (the lowest bulk ESS, or the first vars)
  std::size_t table_rows = 1000;   // summary table rows at most (the worst first)
  PlotBudget budget;
};

/// How badly a row fails the checks of diag/advice.hpp: max((R-hat - 1) / 0.01, threshold / ESS);
/// at least 1 means flagged; infinite for non-finite draws, 0 for constant ones.
double problem_score(const diag::ParamSummary& row, double ess_threshold);

/// Row indices, worst first (problem_score descending, then column order).
std::vector<std::size_t> worst_first(const std::vector<diag::ParamSummary>& rows, double ess_threshold);

/// Row indices that `vars` selects ("theta" selects theta and theta.1, theta[2] or theta.2 one
/// element); throws mcmc::Error (Usage) naming a var that selects nothing.
std::vector<std::size_t> select_rows(const std::vector<diag::ParamSummary>& rows, const std::vector<std::string>& vars);

/// The page.
std::string html_report(const ReportInput& input, const ReportOptions& options);

}  // namespace mcmc::report

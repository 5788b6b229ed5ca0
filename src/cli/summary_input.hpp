// What `mcmc summary` reads and computes, shared with `mcmc report` (and `mcmc run --report`).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "diag/advice.hpp"
#include "diag/summary.hpp"
#include "io/stan_csv_reader.hpp"
#include "run/gates.hpp"

namespace mcmc::cli {

/// Everything read from the input files, trimmed to the same number of draws per chain.
struct SummaryInput {
  std::vector<io::ChainDraws> chains;
  std::size_t draws = 0;  // per chain
  std::vector<std::string> warnings;
};

struct SummaryResult {
  std::vector<double> percentiles;
  std::vector<diag::ParamSummary> rows;
  std::optional<double> sampling_seconds;  // the run's sampling wall time, or the chains' summed (docs/summary.md)
  bool wall_time = false;                  // sampling_seconds is the run's wall time (not a sum over chains)
  std::optional<double> run_wall_seconds;  // the whole run's wall time, when the files record it
  diag::Diagnostics diagnostics;
  run::GateResult gates;
  int superchains = 0;                     // --superchains K (0: no nested R-hat)
  std::vector<double> nested_rhat;         // per row, with --superchains
};

/// Reads the files (any format `mcmc summary` reads); chains without draws are left out with a
/// warning, the others trimmed to the shortest. Throws mcmc::Error naming the file.
SummaryInput read_summary_input(const std::vector<std::string>& files);

/// The summary rows (lp__ and every non-sampler column), sampler diagnostics and gates.
SummaryResult summarize_input(const SummaryInput& in, const SummaryOptions& options);

}  // namespace mcmc::cli

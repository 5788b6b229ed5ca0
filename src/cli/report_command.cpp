// `mcmc report`: an HTML page of plots and the summary of output files (also `mcmc run --report`).
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/summary_input.hpp"
#include "report/html.hpp"
#include "util/error.hpp"

namespace mcmc::cli {

void add_report_layout_options(CLI::App* cmd, ReportLayout& o) {
  cmd->add_option("--vars", o.vars,
                  "Quantities to plot (comma-separated; 'theta' selects theta and all its elements, 'theta[2]' or "
                  "theta.2 one element). Default: the worst by R-hat and ESS")
      ->delimiter(',');
  cmd->add_option("--report-quantities", o.quantities, "Without --vars: plot this many of the worst quantities")
      ->check(CLI::Range(1, 100000))->capture_default_str();
  cmd->add_option("--report-pairs", o.pairs, "Quantities in the pairs plot (0: none)")
      ->check(CLI::Range(0, 10))->capture_default_str();
  cmd->add_option("--report-chains", o.chains_shown,
                  "Chains drawn one by one in traces, rank and density plots (more chains: this many, evenly spaced; "
                  "beyond 7 the colours repeat)")
      ->check(CLI::Range(1, 64))->capture_default_str();
}

CLI::App* add_report_command(CLI::App& app, ReportCommandOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "report", "Write an HTML report (summary, checks, trace, rank, density, pairs and energy plots) of output files");
  cmd->add_option("files", o.files, "Stan CSV files (CmdStan, rstan, mcmc), mcmc JSON output files or netCDF files (mcmc, ArviZ)")
      ->required()->type_name("FILE");
  cmd->add_option("--output,-o", o.output, "The HTML file to write (one self-contained page: opens offline)")
      ->required()->type_name("FILE");
  cmd->add_option("--percentiles", o.percentiles, "Quantiles in the summary table, in percent")->capture_default_str();
  add_report_layout_options(cmd, o.layout);
  return cmd;
}

void write_report(const std::vector<std::string>& files, const std::string& output, const std::string& percentiles,
                  const ReportLayout& layout) {
  SummaryOptions so;
  so.files = files;
  so.percentiles = percentiles;
  const SummaryInput in = read_summary_input(files);
  const SummaryResult s = summarize_input(in, so);
  report::ReportInput ri;
  ri.chains = &in.chains;
  ri.draws = in.draws;
  ri.rows = &s.rows;
  ri.diagnostics = &s.diagnostics;
  for (double p : s.percentiles) ri.probs.push_back(p / 100);
  ri.sampling_seconds = s.sampling_seconds;
  ri.wall_time = s.wall_time;
  ri.run_wall_seconds = s.run_wall_seconds;
  ri.warnings = in.warnings;
  report::ReportOptions ro;
  ro.vars = layout.vars;
  ro.quantities = static_cast<std::size_t>(layout.quantities);
  ro.pairs = static_cast<std::size_t>(layout.pairs);
  ro.budget.chains_shown = static_cast<std::size_t>(layout.chains_shown);
  const std::string page = report::html_report(ri, ro);
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(ExitCode::Io, fmt::format("cannot write the report '{}'", output));
  out << page;
  out.close();
  if (!out) throw Error(ExitCode::Io, fmt::format("cannot write the report '{}' (disk full?)", output));
}

int report_command(const ReportCommandOptions& o) {
  write_report(o.files, o.output, o.percentiles, o.layout);
  std::cerr << "Report: " << o.output << "\n";
  return 0;
}

}  // namespace mcmc::cli

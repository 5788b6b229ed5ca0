// The subcommands of `mcmc`: their options (CLI11) and what each does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "optim/lbfgs_mode.hpp"
#include "optim/pathfinder.hpp"
#include "run/gates.hpp"
#include "run/settings.hpp"
#include "util/parse_number.hpp"

namespace mcmc::cli {

using mcmc::parse_number;  // util/parse_number.hpp

/// Whether the user set option `name` (e.g. "--seed") of `cmd`.
bool given(const CLI::App& cmd, const std::string& name);

/// The seed the user gave, or (not given) one drawn at random in [0, 2^32), to be echoed.
std::uint64_t seed_or_random(bool seed_given, std::uint64_t seed);
/// Option validators (run_command.cpp): a seed in [0, 2^64-1], a positive and a non-negative number.
extern const CLI::Validator kSeed, kPositive, kNonNegative;

struct RunOptions {
  run::RunSettings settings;
  std::string algorithm = "nuts";
  std::string mode = "parallel";
  std::vector<double> inv_mass;
  std::string percentiles = "5,50,95";
  run::GateOptions gates;  // --max-rhat / --min-ess / --max-divergences (add_gate_options)
  std::string report;      // --report FILE: an HTML report of the output (report_command.cpp), default layout
};

CLI::App* add_run_command(CLI::App& app, RunOptions& options);
/// `mcmc run --resume FILE` with no other argument becomes the command line the checkpoint
/// recorded plus `--resume FILE`; any other command line is returned as it is. Errors: the
/// checkpoint's (mcmc::Error), or a working directory other than the checkpoint's.
std::vector<std::string> expand_resume(const std::vector<std::string>& argv);
/// The arguments after `run` that a checkpoint records (without --resume and its file).
std::vector<std::string> recorded_run_args(const std::vector<std::string>& argv);
int run_command(const CLI::App& cmd, RunOptions& options);

struct ParseOptions {
  std::string model_file;
};
CLI::App* add_parse_command(CLI::App& app, ParseOptions& options);
int parse_command(const ParseOptions& options);

struct LogDensityOptions {
  std::string model_file;
  std::string data_file;
  std::vector<std::string> points;
};
CLI::App* add_log_density_command(CLI::App& app, LogDensityOptions& options);
int log_density_command(const LogDensityOptions& options);

/// Adds --max-rhat, --min-ess and --max-divergences to a subcommand (`run`, `summary`).
void add_gate_options(CLI::App* cmd, run::GateOptions& gates);

struct SummaryOptions {
  std::vector<std::string> files;    // Stan CSV files (one per chain) and/or our JSON output files
  std::string percentiles = "5,50,95";
  int sig_figs = 6;
  bool json = false;                 // machine-readable output (docs/summary.md)
  bool csv = false;                  // the table as CSV
  int superchains = 0;               // --superchains K: nested R-hat over K groups of chains (0: off)
  run::GateOptions gates;
};
CLI::App* add_summary_command(CLI::App& app, SummaryOptions& options);
/// Prints the summary; returns 0, or ExitCode::Gate (6) when a gate failed.
int summary_command(const SummaryOptions& options);

/// Adds CmdStan's L-BFGS settings (--iter, --tol-obj, --tol-rel-obj, --tol-grad, --tol-rel-grad,
/// --tol-param, --history-size) to a subcommand (`optimize`, `pathfinder`).
void add_lbfgs_options(CLI::App* cmd, optim::LbfgsOptions& o);

struct OptimizeOptions {
  std::string model_file;
  std::string data_file;
  std::string init = "2";  // a radius or a JSON file of constrained values (run/init.hpp)
  std::string output;      // "" = print only
  bool jacobian = false;   // the mode of the unconstrained density (with the transforms' Jacobians)
  std::uint64_t seed = 0;
  optim::LbfgsOptions lbfgs;
  int sig_figs = 6;
  bool quiet = false;
};
CLI::App* add_optimize_command(CLI::App& app, OptimizeOptions& options);
int optimize_command(const CLI::App& cmd, const OptimizeOptions& options);

struct PathfinderCommandOptions {
  std::string model_file;
  std::string data_file;
  std::string init = "2";
  std::string output;
  std::uint64_t seed = 0;
  optim::PathfinderOptions pathfinder;
  int sig_figs = 6;
  bool quiet = false;
};
CLI::App* add_pathfinder_command(CLI::App& app, PathfinderCommandOptions& options);
int pathfinder_command(const CLI::App& cmd, const PathfinderCommandOptions& options);
/// The stderr lines that report a Pathfinder run: paths, gradients and log densities spent, Pareto k.
std::string pathfinder_note(const optim::PathfinderResult& result);

struct ConvertOptions {
  std::vector<std::string> files;  // inputs, then the output unless `output` is set
  std::string output;
  std::string format;              // "" = from the output file's extension
  int sig_figs = 0;                // 0: CSV output with 17 digits (the same doubles), netCDF exact
};
CLI::App* add_convert_command(CLI::App& app, ConvertOptions& options);
int convert_command(const ConvertOptions& options);

struct GenerateQuantitiesOptions {
  std::string model_file;
  std::string data_file;
  std::vector<std::string> fitted;      // --fitted-params: the fit's files
  std::string output;
  std::string format = "csv";
  std::string seed;                    // "" : the fit's seed
  int sig_figs = 6;
};
CLI::App* add_generate_quantities_command(CLI::App& app, GenerateQuantitiesOptions& options);
int generate_quantities_command(const GenerateQuantitiesOptions& options);

/// What an HTML report shows (`mcmc report` and `mcmc run --report`): report/html.hpp.
struct ReportLayout {
  std::vector<std::string> vars;  // --vars: quantities to plot (empty: the worst)
  int quantities = 20;            // --report-quantities
  int pairs = 4;                  // --report-pairs
  int chains_shown = 7;           // --report-chains (7 Okabe-Ito colours)
};
/// Adds --vars, --report-quantities, --report-pairs and --report-chains.
void add_report_layout_options(CLI::App* cmd, ReportLayout& layout);

struct ReportCommandOptions {
  std::vector<std::string> files;
  std::string output;
  std::string percentiles = "5,50,95";
  ReportLayout layout;
};
CLI::App* add_report_command(CLI::App& app, ReportCommandOptions& options);
int report_command(const ReportCommandOptions& options);
/// Reads the output files as `mcmc summary` does and writes the HTML report to `output`.
void write_report(const std::vector<std::string>& files, const std::string& output, const std::string& percentiles,
                  const ReportLayout& layout);

}  // namespace mcmc::cli

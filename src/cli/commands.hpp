// The subcommands of `mcmc`: their options (CLI11) and what each does.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "run/settings.hpp"

namespace mcmc::cli {

struct RunOptions {
  run::RunSettings settings;
  std::string algorithm = "nuts";
  std::string mode = "parallel";
  std::vector<double> inv_mass;
  std::string percentiles = "5,50,95";
};

CLI::App* add_run_command(CLI::App& app, RunOptions& options);
int run_command(const CLI::App& cmd, RunOptions& options);

struct ParseOptions {
  std::string model_file;
};
CLI::App* add_parse_command(CLI::App& app, ParseOptions& options);
int parse_command(const ParseOptions& options);

}  // namespace mcmc::cli

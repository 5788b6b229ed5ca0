// The `mcmc` command: subcommands, exit codes, and the one place where errors are printed.
#include <cstdio>
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "util/error.hpp"

int main(int argc, char** argv) {
  using mcmc::ExitCode;
  CLI::App app{"mcmc: MCMC sampling for models written in a subset of the Stan language.\n"
               "Parses and starts sampling in milliseconds: no C++ compilation step."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "mcmc 0.1.0");
  mcmc::cli::RunOptions run_options;
  CLI::App* run = mcmc::cli::add_run_command(app, run_options);
  mcmc::cli::ParseOptions parse_options;
  CLI::App* parse = mcmc::cli::add_parse_command(app, parse_options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "error: " << e.what() << "\n";
    std::cerr << "Run 'mcmc --help' or 'mcmc run --help' for the options.\n";
    return static_cast<int>(ExitCode::Usage);
  }
  try {
    if (run->parsed()) return mcmc::cli::run_command(*run, run_options);
    if (parse->parsed()) return mcmc::cli::parse_command(parse_options);
  } catch (const mcmc::Error& e) {
    std::fflush(stdout);
    std::cerr << "error: " << e.what() << "\n";
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::cerr << "internal error: " << e.what() << "\n";
    return 70;
  }
  return 0;
}

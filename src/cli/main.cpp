// The `mcmc` command: subcommands, exit codes, and the one place where errors are printed.
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "io/sink.hpp"
#include "util/error.hpp"

int main(int argc, char** argv) {
  using mcmc::ExitCode;
  mcmc::io::raise_open_file_limit();  // --chains N with --format csv keeps N files open
  CLI::App app{"mcmc: MCMC sampling for models written in a subset of the Stan language.\n"
               "Parses and starts sampling in milliseconds: no C++ compilation step."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "mcmc " MCMC_VERSION);
  mcmc::cli::RunOptions run_options;
  CLI::App* run = mcmc::cli::add_run_command(app, run_options);
  mcmc::cli::ParseOptions parse_options;
  CLI::App* parse = mcmc::cli::add_parse_command(app, parse_options);
  mcmc::cli::LogDensityOptions ld_options;
  CLI::App* log_density = mcmc::cli::add_log_density_command(app, ld_options);
  mcmc::cli::SummaryOptions summary_options;
  CLI::App* summary = mcmc::cli::add_summary_command(app, summary_options);
  mcmc::cli::ConvertOptions convert_options;
  CLI::App* convert = mcmc::cli::add_convert_command(app, convert_options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ConfigError& e) {  // CLI11 does not say which file ("INI was not able to parse run.x")
    const CLI::Option* config = app.get_config_ptr();
    std::string file = config && config->count() > 0 ? config->as<std::string>() : std::string();
    std::cerr << "error: " << (file.empty() ? "" : "config file '" + file + "': ") << e.what() << "\n";
    std::cerr << "Run 'mcmc --help' or 'mcmc run --help' for the options.\n";
    return static_cast<int>(ExitCode::Usage);
  } catch (const CLI::ParseError& e) {
    bool known = false;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
      known = known || (argc > 1 && sub->get_name() == argv[1]);
    if (argc > 1 && argv[1][0] != '-' && !known) {  // CLI11 says only "A subcommand is required"
      std::cerr << "error: unknown command '" << argv[1] << "' (expected run, parse, log-density, summary or convert)\n";
      std::cerr << "Run 'mcmc --help' for the commands.\n";
      return static_cast<int>(ExitCode::Usage);
    }
    std::cerr << "error: " << e.what() << "\n";
    std::cerr << "Run 'mcmc --help' or 'mcmc run --help' for the options.\n";
    return static_cast<int>(ExitCode::Usage);
  }
  try {
    if (run->parsed()) return mcmc::cli::run_command(*run, run_options);
    if (parse->parsed()) return mcmc::cli::parse_command(parse_options);
    if (log_density->parsed()) return mcmc::cli::log_density_command(ld_options);
    if (summary->parsed()) return mcmc::cli::summary_command(summary_options);
    if (convert->parsed()) return mcmc::cli::convert_command(convert_options);
  } catch (const mcmc::Error& e) {
    std::fflush(stdout);
    // Model diagnostics already read "file:line:col: error: ..."; others get the prefix here.
    std::string msg = e.what();
    // ("chain 1: ...; last: file:2:9: error: ..." starts with its own words: it gets the prefix).
    const std::string first = msg.substr(0, msg.find('\n'));
    const std::size_t at = first.find(": error: ");
    bool positioned = at != std::string::npos && first.substr(0, at).find(": ") == std::string::npos;
    std::cerr << (positioned ? "" : "error: ") << msg << "\n";
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::cerr << "internal error: " << e.what() << "\n";
    return 70;
  }
  return 0;
}

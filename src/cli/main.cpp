// The `mcmc` command: subcommands, exit codes, and the one place where errors are printed.
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/config_file.hpp"
#include "cli/generated_docs.hpp"
#include "cli/suggest.hpp"
#include "io/sink.hpp"
#include "util/build_info.hpp"
#include "util/error.hpp"

int main(int argc, char** argv) {
  using mcmc::ExitCode;
  mcmc::io::raise_open_file_limit();  // --chains N with --format csv keeps N files open
  CLI::App app{"mcmc: MCMC sampling for models written in a subset of the Stan language.\n"
               "Parses and starts sampling in milliseconds: no C++ compilation step.",
               "mcmc"};  // not argv[0]: "Usage: mcmc", the man page and the completions
  app.require_subcommand(1);
  app.set_version_flag("--version", mcmc::build_description());
  mcmc::cli::RunOptions run_options;
  CLI::App* run = mcmc::cli::add_run_command(app, run_options);
  mcmc::cli::ParseOptions parse_options;
  CLI::App* parse = mcmc::cli::add_parse_command(app, parse_options);
  mcmc::cli::LogDensityOptions ld_options;
  CLI::App* log_density = mcmc::cli::add_log_density_command(app, ld_options);
  mcmc::cli::SummaryOptions summary_options;
  CLI::App* summary = mcmc::cli::add_summary_command(app, summary_options);
  mcmc::cli::ReportCommandOptions report_options;
  CLI::App* report = mcmc::cli::add_report_command(app, report_options);
  mcmc::cli::GenerateQuantitiesOptions gq_options;
  CLI::App* generate_quantities = mcmc::cli::add_generate_quantities_command(app, gq_options);
  mcmc::cli::GenerateOptions generate_options;
  CLI::App* generate = mcmc::cli::add_generate_command(app, generate_options);
  mcmc::cli::ConvertOptions convert_options;
  CLI::App* convert = mcmc::cli::add_convert_command(app, convert_options);
  mcmc::cli::OptimizeOptions optimize_options;
  CLI::App* optimize = mcmc::cli::add_optimize_command(app, optimize_options);
  mcmc::cli::PathfinderCommandOptions pathfinder_options;
  CLI::App* pathfinder = mcmc::cli::add_pathfinder_command(app, pathfinder_options);
  // `mcmc run --resume FILE` alone: the command line the checkpoint recorded (cli/resume_args.cpp).
  std::vector<std::string> args(argv, argv + argc);
  try {
    args = mcmc::cli::expand_resume(args);
  } catch (const mcmc::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return static_cast<int>(e.code());
  }
  if (args.size() > 1 && args[1] == "run") run_options.settings.command_args = mcmc::cli::recorded_run_args(args);
  std::vector<char*> new_argv;
  for (std::string& a : args) new_argv.push_back(a.data());
  new_argv.push_back(nullptr);
  argc = static_cast<int>(args.size());
  argv = new_argv.data();
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ConfigError& e) {  // CLI11 says only "INI was not able to parse run.x"
    auto reader = std::dynamic_pointer_cast<mcmc::cli::ConfigFile>(app.get_config_formatter());
    const std::string file = reader ? reader->file() : std::string();
    const std::string what = e.what();
    const std::string prefix = "INI was not able to parse ";
    if (reader && what.rfind(prefix, 0) == 0) {  // an unknown key: file:line, and what to write instead
      const std::string key = what.substr(prefix.size());
      const int line = reader->line_of(key);
      const std::string name = key.substr(key.rfind('.') + 1);
      const std::string hint = mcmc::cli::suggest_option(*run, name);
      std::cerr << "error: " << file << (line > 0 ? ":" + std::to_string(line) : std::string()) << ": unknown key '"
                << name << "' in [" << key.substr(0, key.rfind('.')) << "]" << (hint.empty() ? "" : " (" + hint + ")")
                << "\n";
    } else {
      std::cerr << "error: " << (file.empty() ? "" : "config file '" + file + "': ") << what << "\n";
    }
    std::cerr << "Run 'mcmc run --help' for the options (a [run] section takes their long names).\n";
    return static_cast<int>(ExitCode::Usage);
  } catch (const CLI::ParseError& e) {
    bool known = false;
    std::vector<std::string> names;  // the commands --help lists
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
      known = known || (argc > 1 && sub->get_name() == argv[1]);
      if (!sub->get_group().empty()) names.push_back(sub->get_name());
    }
    if (argc > 1 && argv[1][0] != '-' && !known) {  // CLI11 says only "A subcommand is required"
      std::string expected;
      for (std::size_t i = 0; i < names.size(); ++i)
        expected += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
      std::cerr << "error: unknown command '" << argv[1] << "' (expected " << expected << ")\n";
      std::cerr << "Run 'mcmc --help' for the commands.\n";
      return static_cast<int>(ExitCode::Usage);
    }
    // An unknown option: name it, with our name for CmdStan's or the nearest option.
    for (const CLI::App* sub : {run, parse, log_density, summary, report, generate_quantities, optimize, pathfinder}) {
      if (!sub->parsed() && !(argc > 1 && sub->get_name() == argv[1])) continue;
      const std::string unknown = mcmc::cli::first_unknown_option(*sub, argc, argv);
      if (unknown.empty()) break;
      const std::string hint = mcmc::cli::suggest_option(*sub, unknown);
      std::cerr << "error: unknown option '" << unknown << "' for mcmc " << sub->get_name()
                << (hint.empty() ? "" : ": " + hint) << "\n";
      std::cerr << "Run 'mcmc " << sub->get_name() << " --help' for the options.\n";
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
    if (report->parsed()) return mcmc::cli::report_command(report_options);
    if (generate_quantities->parsed()) return mcmc::cli::generate_quantities_command(gq_options);
    if (generate->parsed()) return mcmc::cli::generate_command(app, generate_options);
    if (convert->parsed()) return mcmc::cli::convert_command(convert_options);
    if (optimize->parsed()) return mcmc::cli::optimize_command(*optimize, optimize_options);
    if (pathfinder->parsed()) return mcmc::cli::pathfinder_command(*pathfinder, pathfinder_options);
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

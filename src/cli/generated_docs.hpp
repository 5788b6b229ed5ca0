// The man page and the shell completions, generated from the CLI11 option definitions that --help prints.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace mcmc::cli {

/// One option or positional argument as --help describes it.
struct OptionDoc {
  std::vector<std::string> long_names;   // "--chains"
  std::vector<std::string> short_names;  // "-c"
  std::string positional;                // the name of a positional argument ("model"), else ""
  std::string description;
  std::string default_value;             // "" when none is shown
  std::string value_type;                // "INT", "FLOAT", "TEXT", ...; "" for a flag
  std::vector<std::string> choices;      // the allowed values (CLI::IsMember, CLI::CheckedTransformer)
  bool required = false;
  bool repeatable = false;               // may be given (or take values) more than once
  bool inherited = false;                // the parent's option, accepted here too (CLI11 fallthrough)

  bool is_flag() const { return value_type.empty(); }
  /// A value that names a file: the option's type name (->type_name) is FILE, or ends in |FILE.
  bool takes_file() const {
    return value_type == "FILE" || (value_type.size() > 5 && value_type.compare(value_type.size() - 5, 5, "|FILE") == 0);
  }
};

/// A command and its subcommands (hidden ones left out).
struct CommandDoc {
  std::string name;         // "mcmc", "run", ...
  std::string description;
  std::string footer;
  std::vector<OptionDoc> options;  // options first, then the positionals in order
  std::vector<CommandDoc> subcommands;
};

/// Walks a configured CLI11 App: options, descriptions, defaults and allowed values.
CommandDoc describe(const CLI::App& app);

/// mcmc(1) in roff (man(7) macros).
std::string man_page(const CommandDoc& app, const std::string& version);
/// The bash completion script: defines _mcmc and registers it with `complete`.
std::string bash_completion(const CommandDoc& app);
/// The zsh completion script (#compdef), for a directory on $fpath as `_mcmc`.
std::string zsh_completion(const CommandDoc& app);

struct GenerateOptions {
  std::string man;   // output paths; "" = not wanted
  std::string bash;
  std::string zsh;
};
/// The hidden `mcmc generate-docs` subcommand that the build runs to write these files.
CLI::App* add_generate_command(CLI::App& app, GenerateOptions& options);
int generate_command(const CLI::App& app, const GenerateOptions& options);

}  // namespace mcmc::cli

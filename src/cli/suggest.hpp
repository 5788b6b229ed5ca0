// Suggestions for an unknown option or TOML key: our name for CmdStan's and rstan's, or the nearest option.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace mcmc::cli {

/// For an unknown option of `cmd` ("--iter", "adapt_delta", "--num_samples=10"): a hint such as
/// "use --warmup N --samples N (rstan's iter is their sum)" or "did you mean --samples?";
/// "" when nothing is close.
std::string suggest_option(const CLI::App& cmd, const std::string& unknown);

/// The first command-line word after the subcommand that names no option of `cmd` (the option
/// itself, without "=value"), or "" when every option is known.
std::string first_unknown_option(const CLI::App& cmd, int argc, const char* const* argv);

}  // namespace mcmc::cli

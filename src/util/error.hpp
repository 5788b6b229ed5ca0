// The one error type that crosses module boundaries: a category (which picks the exit code) and a message.
#pragma once

#include <stdexcept>
#include <string>

namespace mcmc {

/// Documented process exit codes (README "Errors and exit codes"; their meanings below).
enum class ExitCode : int {
  Ok = 0,
  Usage = 2,
  ModelOrData = 3,
  Io = 4,
  Sampling = 5,
  Gate = 6,
  Interrupted = 130
};

/// What each exit code means (the man page's EXIT STATUS section is generated from this).
struct ExitCodeMeaning {
  ExitCode code;
  const char* meaning;
};
inline constexpr ExitCodeMeaning kExitCodeMeanings[] = {
    {ExitCode::Ok, "success"},
    {ExitCode::Usage, "usage error: bad command line or configuration file"},
    {ExitCode::ModelOrData, "model or data error: the model does not parse or check, or the data do not fit it"},
    {ExitCode::Io, "I/O error: a file could not be read or written"},
    {ExitCode::Sampling, "sampling or optimization could not start or failed (e.g. no valid initial point, a failed line search)"},
    {ExitCode::Gate, "a --max-rhat / --min-ess / --max-divergences gate failed (everything was still written)"},
    {ExitCode::Interrupted, "interrupted (SIGINT / SIGTERM); the output holds the draws completed so far"},
};

/// A user-facing error. `what()` is the complete message, already formatted with its place
/// (file:line:col + source line + caret, or the data variable).
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

}  // namespace mcmc

// The one error type that crosses module boundaries: a category (which picks the exit code) and a message.
#pragma once

#include <stdexcept>
#include <string>

namespace mcmc {

/// Documented process exit codes (README "Errors and exit codes").
enum class ExitCode : int {
  Ok = 0,
  Usage = 2,        // bad command line or configuration file
  ModelOrData = 3,  // the model does not parse / check, or the data do not fit it
  Io = 4,           // a file could not be read or written
  Sampling = 5,     // sampling could not start or failed (e.g. no valid initial point)
  Gate = 6,         // a --max-rhat / --min-ess / --max-divergences gate failed
  Interrupted = 130 // SIGINT / SIGTERM
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

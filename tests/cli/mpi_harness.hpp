// Helpers for the tests of runs spread over shards and MPI ranks: files compared with their timing lines aside, mpirun.
#pragma once

#include <regex>
#include <string>
#include <vector>

#include "cli_harness.hpp"

namespace mpi_test {

/// The text without what may differ between equivalent runs: timing (lines or JSON values with
/// "seconds"), the lockstep accounting of vmap (how chains shared batched calls: a property of the
/// execution), and with `shard` also the run footer's count of started chains (a shard's own).
inline std::string without_timing(const std::string& text, bool shard = false) {
  static const std::regex json_values("\"(\\w*seconds|lockstep_\\w+|chains_started)\": ?[^,}\\n]+");
  std::string out;
  for (const std::string& line : cli_test::lines_of(text)) {
    if (line.find("seconds") != std::string::npos && line.rfind("#", 0) == 0) continue;
    if (line.find("lockstep_") != std::string::npos && line.rfind("#", 0) == 0) continue;
    if (shard && line.rfind("# run_chains_started", 0) == 0) continue;
    out += std::regex_replace(line, json_values, "\"$1\": _") + "\n";
  }
  return out;
}

/// The text with every occurrence of `dir` (a temporary directory the output file was in, as the
/// configuration echo records it) replaced by "DIR".
inline std::string in_dir(std::string text, const std::string& dir) {
  for (std::size_t at = 0; (at = text.find(dir, at)) != std::string::npos;) {
    text.replace(at, dir.size(), "DIR");
    at += 3;
  }
  return text;
}

/// mpirun with R ranks on this machine (more ranks than cores; allowed as root: in tests only).
/// LeakSanitizer is off for the ranks: OpenMPI's own start-up allocations are never freed and
/// would be reported as leaks in the sanitizer build (AddressSanitizer itself stays on).
inline std::string mpirun(int ranks) {
  return "env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none "
         "ASAN_OPTIONS=detect_leaks=0 "
         "mpirun --oversubscribe --bind-to none -np " + std::to_string(ranks) + " ";
}

/// Runs `mcmc` under mpirun with these arguments.
inline cli_test::Result run_mpi(int ranks, const std::vector<std::string>& args) {
  std::string command = mpirun(ranks) + cli_test::shell_quote(cli_test::kBinary);
  for (const std::string& a : args) command += " " + cli_test::shell_quote(a);
  return cli_test::run_shell(command);
}

}  // namespace mpi_test

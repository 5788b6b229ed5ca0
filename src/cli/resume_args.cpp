// `mcmc run --resume FILE` alone: the command line comes from the checkpoint (run/checkpoint.hpp).
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "run/checkpoint.hpp"
#include "util/error.hpp"

namespace mcmc::cli {

namespace {

// Removes `--resume FILE` / `--resume=FILE` from `args`; returns FILE ("" if absent).
std::string take_resume(std::vector<std::string>& args) {
  std::string file;
  for (std::size_t i = 0; i < args.size();) {
    if (args[i] == "--resume" && i + 1 < args.size()) {
      file = args[i + 1];
      args.erase(args.begin() + static_cast<std::ptrdiff_t>(i), args.begin() + static_cast<std::ptrdiff_t>(i + 2));
    } else if (args[i].rfind("--resume=", 0) == 0) {
      file = args[i].substr(9);
      args.erase(args.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
  return file;
}

}  // namespace

std::vector<std::string> recorded_run_args(const std::vector<std::string>& argv) {
  std::vector<std::string> rest(argv.begin() + 2, argv.end());
  take_resume(rest);
  return rest;
}

std::vector<std::string> expand_resume(const std::vector<std::string>& argv) {
  if (argv.size() < 2 || argv[1] != "run") return argv;
  std::vector<std::string> rest(argv.begin() + 2, argv.end());
  const std::string file = take_resume(rest);
  if (file.empty() || !rest.empty()) return argv;  // a whole command: run_command checks it against the checkpoint
  const run::CheckpointData saved = run::read_checkpoint(file);
  std::error_code ec;
  const std::string here = std::filesystem::current_path(ec).string();
  if (here != saved.identity.directory)
    throw Error(ExitCode::Usage, fmt::format("checkpoint '{}' was made in '{}' and its command's paths are relative to "
                                             "it: run `mcmc run --resume` there", file, saved.identity.directory));
  std::vector<std::string> out = {argv[0], "run"};
  for (const std::string& a : saved.identity.args) out.push_back(a);
  std::vector<std::string> tail(out.begin() + 2, out.end());
  take_resume(tail);  // the recorded command never resumes an older file
  out.resize(2);
  out.insert(out.end(), tail.begin(), tail.end());
  out.push_back("--resume");
  out.push_back(file);
  return out;
}

}  // namespace mcmc::cli

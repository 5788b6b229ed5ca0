// Hints for unknown options: CmdStan's and rstan's names mapped to ours, otherwise the option within two edits.
#include "cli/suggest.hpp"

#include <algorithm>
#include <map>
#include <vector>

namespace mcmc::cli {
namespace {

/// CmdStan's (and rstan's) argument names, lower case with '_', and what we call them.
const std::map<std::string, std::string>& foreign_names() {
  static const std::map<std::string, std::string> names = {
      {"iter", "use --warmup N --samples N (rstan's iter is their sum)"},
      {"num_samples", "use --samples (CmdStan's num_samples)"},
      {"num_warmup", "use --warmup (CmdStan's num_warmup)"},
      {"warmup_iter", "use --warmup"},
      {"adapt_delta", "use --target-accept (CmdStan's adapt delta)"},
      {"delta", "use --target-accept (CmdStan's adapt delta)"},
      {"max_treedepth", "use --max-depth (CmdStan's max_depth)"},
      {"max_tree_depth", "use --max-depth (CmdStan's max_depth)"},
      {"treedepth", "use --max-depth (CmdStan's max_depth)"},
      {"stepsize", "use --step-size (CmdStan's stepsize)"},
      {"num_chains", "use --chains (CmdStan's num_chains)"},
      {"parallel_chains", "use --chains and --threads (cmdstanpy's parallel_chains)"},
      {"num_threads", "use --threads (CmdStan's num_threads)"},
      {"cores", "use --threads (rstan's cores)"},
      {"random_seed", "use --seed"},
      {"output_file", "use --output (CmdStan's output file)"},
      {"file", "use --output (CmdStan's output file) or --data (its data file)"},
      {"data_file", "use --data"},
      {"inits", "use --init"},
      {"metric_file", "use --metric-file (CmdStan's metric JSON or one of our outputs)"},
      {"refresh", "progress is shown while stderr is a terminal; -q turns it off"},
      {"save_warmup", "use --save-warmup"},
      {"sig_figs", "use --sig-figs"},
      {"method", "mcmc run samples (CmdStan's method=sample)"},
  };
  return names;
}

std::string normalized(std::string s) {
  s.erase(0, s.find_first_not_of('-'));
  if (auto eq = s.find('='); eq != std::string::npos) s.erase(eq);
  for (char& c : s) c = c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

/// The long names of `cmd`'s options and of its parent's (--config, --help).
std::vector<std::string> long_names(const CLI::App& cmd) {
  std::vector<std::string> out;
  for (const CLI::App* app = &cmd; app; app = app->get_parent())
    for (const CLI::Option* o : app->get_options())
      for (const std::string& n : o->get_lnames()) out.push_back(n);
  return out;
}

}  // namespace

std::string suggest_option(const CLI::App& cmd, const std::string& unknown) {
  const std::string key = normalized(unknown);
  if (key.empty()) return "";
  const std::vector<std::string> names = long_names(cmd);
  for (const std::string& n : names)  // our option, spelt with '_' (CmdStan's habit)
    if (normalized(n) == key) return "did you mean --" + n + "?";
  if (auto it = foreign_names().find(key); it != foreign_names().end()) return it->second;
  std::string best;
  std::size_t best_distance = 3;
  for (const std::string& n : names) {
    const std::size_t d = edit_distance(key, normalized(n));
    if (d < best_distance) {
      best_distance = d;
      best = n;
    }
  }
  return best.empty() ? "" : "did you mean --" + best + "?";
}

std::string first_unknown_option(const CLI::App& cmd, int argc, const char* const* argv) {
  bool after_subcommand = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == cmd.get_name()) {
      after_subcommand = true;
      continue;
    }
    if (!after_subcommand || arg.size() < 2 || arg[0] != '-' || arg == "--") continue;
    if (arg[1] != '-' && std::isdigit(static_cast<unsigned char>(arg[1]))) continue;  // a negative number
    const std::string name = arg.substr(0, arg.find('='));
    bool known = false;
    for (const CLI::App* app = &cmd; app && !known; app = app->get_parent())
      known = app->get_option_no_throw(name) != nullptr;
    if (!known) return name;
  }
  return "";
}

}  // namespace mcmc::cli

// Tests of `mcmc run`'s progress: --progress-file's JSON lines, and the live table in a real terminal (a pty).
#include <doctest/doctest.h>

#include <unistd.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

using namespace cli_test;
using json = nlohmann::json;

namespace {

const std::vector<std::string> kModel = {"run", "models/normal_logscale.stan", "--data",
                                         "models/normal_logscale.data.json"};

}  // namespace

TEST_CASE("--progress-file: JSON lines, the last one with every iteration and the output's divergences") {
  TempDir dir;
  std::vector<std::string> args = kModel;
  for (const char* a : {"--seed", "4", "--warmup", "200", "--samples", "300", "--chains", "3", "--progress-interval",
                        "0.05", "--quiet"})
    args.push_back(a);
  args.insert(args.end(), {"--output", dir / "fit.csv", "--progress-file", dir / "progress.jsonl"});
  const Result r = run_mcmc(args);
  INFO(r.err);
  REQUIRE(r.code == 0);
  std::vector<json> lines;
  for (const std::string& line : lines_of(read_text(dir / "progress.jsonl"))) lines.push_back(json::parse(line));
  REQUIRE(!lines.empty());
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    CHECK(lines[i]["done"] == false);
    CHECK(lines[i]["iterations_done"].get<long long>() <= lines[i + 1]["iterations_done"].get<long long>());
  }
  const json& last = lines.back();
  CHECK(last["format"] == "mcmc-progress");
  CHECK(last["done"] == true);
  CHECK(last["chains"] == 3);
  CHECK(last["iterations_total"] == 1500);
  CHECK(last["iterations_done"] == 1500);
  CHECK(last["remaining_seconds"] == 0);
  int divergences = 0;
  for (int c = 1; c <= 3; ++c)
    for (double d : parse_stan_csv(read_text(dir / ("fit_" + std::to_string(c) + ".csv"))).values("divergent__"))
      divergences += static_cast<int>(d);
  CHECK(last["divergences"] == divergences);
  REQUIRE(last["rows"].size() == 3);
  for (int c = 0; c < 3; ++c) {
    const json& row = last["rows"][c];
    CHECK(row["chains"] == json::array({c + 1, c + 1}));
    CHECK(row["iteration"] == 500);
    CHECK(row["total"] == 500);
    CHECK(row["phase"] == "done");
    CHECK(row["step_size"].get<double>() > 0);
    CHECK(row["gradients_per_draw"].get<double>() >= 1);
  }
  // Appended, not overwritten: a second run adds its lines.
  const std::size_t before = lines.size();
  REQUIRE(run_mcmc(args).code == 0);
  CHECK(lines_of(read_text(dir / "progress.jsonl")).size() > before);
}

TEST_CASE("--progress-file: a file that cannot be opened is named") {
  TempDir dir;
  std::vector<std::string> args = kModel;
  args.insert(args.end(), {"--progress-file", (dir / "no_such_dir") + "/p.jsonl", "--quiet"});
  const Result r = run_mcmc(args);
  CHECK(r.code == 4);
  CHECK(contains(r.err, "--progress-file: cannot open"));
  CHECK(contains(r.err, "no_such_dir/p.jsonl"));
}

TEST_CASE("the progress table in a terminal: drawn on stderr when it is a tty, and erased at the end") {
  // script(1) runs the command on a pseudo-terminal and copies what it writes.
  if (run_shell("command -v script").code != 0) {
    MESSAGE("SKIPPED: no script(1) (util-linux) to make a terminal");
    return;
  }
  TempDir dir;
  std::string command = shell_quote(kBinary);
  for (const std::string& a : kModel) command += " " + shell_quote(a);
  command += " --seed 2 --warmup 1000 --samples 2000 --chains 2 --threads 1";
  const Result r = run_shell("script -qec " + shell_quote(command) + " " + shell_quote(dir / "typescript"));
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK(contains(r.out, "iteration"));
  CHECK(contains(r.out, "of 3000"));
  CHECK(contains(r.out, "grad/draw"));
  CHECK(contains(r.out, "\033[J"));  // erased before the summary
  CHECK(contains(r.out, "2 chains, 2000 draws each"));
  // Not on a terminal (the harness redirects stderr to a file): no table.
  std::vector<std::string> args = kModel;
  args.insert(args.end(), {"--seed", "2"});
  const Result plain = run_mcmc(args);
  CHECK_FALSE(contains(plain.err, "grad/draw"));
}

TEST_CASE("the live progress table in tmux: captured from the pane while the chains run") {
  if (run_shell("command -v tmux").code != 0) {
    MESSAGE("SKIPPED: no tmux (apt-get install tmux)");
    return;
  }
  TempDir dir;
  const std::string socket = "mcmc_progress_" + std::to_string(::getpid());
  std::string command = shell_quote(kBinary);
  for (const std::string& a : kModel) command += " " + shell_quote(a);
  // Long enough to be caught running (the pane is captured as soon as the table shows a draw).
  command += " --seed 2 --chains 3 --threads 1 --warmup 1000 --samples 2000000 --output " + shell_quote(dir / "fit.csv");
  REQUIRE(run_shell("tmux -L " + socket + " new-session -d -x 120 -y 40 " + shell_quote(command + "; sleep 60")).code == 0);
  std::string pane;
  for (int attempt = 0; attempt < 600; ++attempt) {  // up to a minute on a loaded machine
    pane = run_shell("tmux -L " + socket + " capture-pane -p").out;
    if (contains(pane, "sampling") && contains(pane, "remaining")) break;
    run_shell("sleep 0.1");
  }
  run_shell("tmux -L " + socket + " kill-server");
  INFO(pane);
  CHECK(contains(pane, "chain"));
  CHECK(contains(pane, "iteration"));
  CHECK(contains(pane, "grad/draw"));
  CHECK(contains(pane, "of 2001000"));
  CHECK(contains(pane, "sampling"));
  CHECK(contains(pane, "3 chains: "));
  // One row per chain, each drawn once (redrawn in place, not scrolled).
  std::size_t rows = 0;
  for (const std::string& line : lines_of(pane))
    if ((starts_with(line, "1 ") || starts_with(line, "2 ") || starts_with(line, "3 ")) && contains(line, " of 2001000"))
      ++rows;
  CHECK(rows == 3);
}

// End-to-end: --checkpoint / --resume: a run killed (SIGKILL) anywhere and resumed writes the uninterrupted run's files; wrong checkpoints are refused.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "cli_harness.hpp"

using namespace cli_test;

namespace {

const std::string kModel = "models/normal_logscale.stan";
const std::string kData = "models/normal_logscale.data.json";
const std::string kSchools = "models/eight_schools_noncentered.stan";
const std::string kSchoolsData = "models/eight_schools_noncentered.data.json";

std::vector<std::string> plus(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

/// A file without the lines that hold elapsed times (the only bytes two identical runs may differ in).
std::string without_timing(const std::string& text) {
  std::string out;
  for (const std::string& line : lines_of(text))
    if (!contains(line, "seconds")) out += line + "\n";
  return out;
}

/// Every chain's output file, timing lines removed; a missing file reads as "(missing)".
std::vector<std::string> outputs(const TempDir& dir, const std::string& stem, int chains) {
  std::vector<std::string> out;
  for (int c = 1; c <= chains; ++c) {
    const std::string path = dir / (stem + "_" + std::to_string(c) + ".csv");
    out.push_back(fs::exists(path) ? without_timing(read_text(path)) : "(missing)");
  }
  return out;
}

/// The closing summary of `mcmc run` without what depends on time: the line with the wall time,
/// the ESS_bulk/s column, the output paths; cells joined by one space (the widths follow the cells).
std::string summary_without_timing(const std::string& text) {
  std::string out;
  std::size_t drop = std::string::npos, columns = 0;
  for (const std::string& line : lines_of(text)) {
    if (contains(line, " s wall ") || starts_with(line, "Output: ")) continue;
    std::vector<std::string> cells;
    std::istringstream ss(line);
    for (std::string cell; ss >> cell;) cells.push_back(cell);
    const auto at = std::find(cells.begin(), cells.end(), "ESS_bulk/s");
    if (at != cells.end()) {
      drop = static_cast<std::size_t>(at - cells.begin());
      columns = cells.size();
    }
    // (the header's corner cell is empty: a row has one cell more)
    if (drop != std::string::npos && cells.size() == columns + 1)
      cells.erase(cells.begin() + static_cast<std::ptrdiff_t>(drop + 1));
    else if (drop != std::string::npos && cells.size() == columns && at != cells.end())
      cells.erase(at);
    for (const std::string& c : cells) out += c + " ";
    out += "\n";
  }
  return out;
}

/// Runs `mcmc` with MCMC_CHECKPOINT_TEST_KILL=n: it kills itself (SIGKILL) while writing its n-th checkpoint.
Result run_killed_at(const std::vector<std::string>& args, int n) {
  std::string command = "MCMC_CHECKPOINT_TEST_KILL=" + std::to_string(n) + " " + shell_quote(kBinary);
  for (const std::string& a : args) command += " " + shell_quote(a);
  return run_shell(command);
}

/// The same run three ways: uninterrupted; killed while writing checkpoint `kill_at` then resumed
/// (`mcmc run --resume FILE`, the command read from the checkpoint); the files must be identical.
void check_kill_and_resume(const std::vector<std::string>& run_args, int chains, int kill_at) {
  TempDir dir;
  // The reference run writes the same file names (the header echoes them), then they are moved aside.
  const Result ref = run_mcmc(plus(run_args, {"--output", dir / "out.csv"}));
  REQUIRE(ref.code == 0);
  const std::vector<std::string> reference = outputs(dir, "out", chains);
  for (int c = 1; c <= chains; ++c) fs::remove(dir / ("out_" + std::to_string(c) + ".csv"));
  const std::string ck = dir / "run.ckpt";
  const std::vector<std::string> args =
      plus(run_args, {"--output", dir / "out.csv", "--checkpoint", ck, "--checkpoint-every", "30"});
  const Result killed = run_killed_at(args, kill_at);
  INFO("killed run stderr: " << killed.err);
  REQUIRE(killed.code == 128 + SIGKILL);
  CHECK(fs::exists(ck + ".tmp"));  // the checkpoint being written when the process died
  CHECK(outputs(dir, "out", chains) != reference);  // the files are incomplete
  const Result resumed = run_mcmc({"run", "--resume", ck});
  INFO("resume stderr: " << resumed.err);
  REQUIRE(resumed.code == 0);
  const std::vector<std::string> got = outputs(dir, "out", chains);
  for (int c = 0; c < chains; ++c) {
    INFO("chain " << c + 1);
    CHECK(got[static_cast<std::size_t>(c)] == reference[static_cast<std::size_t>(c)]);
  }
  CHECK(!fs::exists(ck));  // a complete run leaves no checkpoint
  // The summary (from the draws kept before the kill, read back exact, and those after).
  CHECK(summary_without_timing(resumed.out) == summary_without_timing(ref.out));
  CHECK(contains(resumed.out, "R_hat"));
}

const std::vector<std::string> kNormalBase = {"run", kModel, "--data", kData, "--seed", "31", "--warmup", "200",
                                              "--samples", "200"};
const std::vector<std::string> kNormalRun = plus(kNormalBase, {"--chains", "4"});

}  // namespace

TEST_CASE("a run killed while writing a checkpoint and resumed writes the uninterrupted run's files") {
  // 4 chains x 400 iterations, a checkpoint every 30 iterations: 13 per chain. In parallel mode
  // (2 threads) each chain writes its own; in vmap mode and for ChEES one is written for all chains.
  SUBCASE("NUTS, parallel, killed during warm-up") { check_kill_and_resume(plus(kNormalRun, {"--threads", "2"}), 4, 6); }
  SUBCASE("NUTS, parallel, killed during sampling") { check_kill_and_resume(plus(kNormalRun, {"--threads", "2"}), 4, 40); }
  SUBCASE("NUTS, parallel, 1 thread: chain 1 done, chain 2 killed, chains 3 and 4 not begun (they start afresh)") {
    check_kill_and_resume(plus(kNormalRun, {"--threads", "1"}), 4, 16);
  }
  SUBCASE("NUTS, vmap, killed during warm-up") { check_kill_and_resume(plus(kNormalRun, {"--mode", "vmap"}), 4, 3); }
  SUBCASE("NUTS, vmap (2 groups), killed during sampling") {
    check_kill_and_resume(plus(kNormalRun, {"--mode", "vmap", "--threads", "2"}), 4, 15);
  }
  SUBCASE("NUTS with a dense metric, parallel, killed during warm-up") {
    check_kill_and_resume(plus(kNormalRun, {"--metric", "dense", "--threads", "2"}), 4, 12);
  }
  SUBCASE("static HMC with jitter, parallel, killed during sampling") {
    check_kill_and_resume(plus(kNormalRun, {"--algorithm", "hmc", "--steps", "5", "--jitter"}), 4, 30);
  }
  SUBCASE("ChEES, parallel, killed during warm-up") {
    check_kill_and_resume(plus(kNormalBase, {"--algorithm", "chees", "--chains", "8"}), 8, 4);
  }
  SUBCASE("MEADS, vmap, killed during warm-up") {
    check_kill_and_resume(plus(kNormalBase, {"--algorithm", "meads", "--chains", "8", "--folds", "2", "--mode", "vmap"}),
                          8, 5);
  }
  SUBCASE("ChEES, vmap, killed during sampling") {
    check_kill_and_resume(plus(kNormalBase, {"--algorithm", "chees", "--chains", "8", "--mode", "vmap"}), 8, 10);
  }
}

namespace {

/// A child `mcmc` process from the repository root, stdout and stderr to files; killed at scope exit.
class Child {
 public:
  explicit Child(const std::vector<std::string>& args) {
    std::vector<std::string> argv_s = {kBinary};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (std::string& a : argv_s) argv.push_back(a.data());
      argv.push_back(nullptr);
      const int null = ::open("/dev/null", O_RDWR);
      if (null < 0 || ::chdir(kRoot.c_str()) != 0) ::_exit(127);
      ::dup2(null, 0);
      ::dup2(null, 1);
      ::dup2(null, 2);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  ~Child() {
    if (!reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  /// Sends `sig` and waits for the exit; returns the exit code (128 + signal when killed).
  int stop(int sig) {
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  bool running() {
    int status = 0;
    return !reaped_ && ::waitpid(pid_, &status, WNOHANG) == 0;
  }

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
};

/// Waits (up to 60 s) until `path` exists; false if the child ended first.
bool wait_for_file(Child& child, const std::string& path) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < end) {
    if (fs::exists(path)) return true;
    if (!child.running()) return fs::exists(path);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return false;
}

const std::vector<std::string> kLongRun = {"run", kSchools, "--data", kSchoolsData, "--chains", "4", "--seed", "5",
                                           "--warmup", "500", "--samples", "1500", "--threads", "2"};

}  // namespace

TEST_CASE("a run killed (SIGKILL) at whatever point it reached, or stopped by SIGTERM, resumes exactly") {
  TempDir dir;
  const Result ref = run_mcmc(plus(kLongRun, {"--output", dir / "out.csv", "-q"}));
  REQUIRE(ref.code == 0);
  const std::vector<std::string> reference = outputs(dir, "out", 4);
  for (int c = 1; c <= 4; ++c) fs::remove(dir / ("out_" + std::to_string(c) + ".csv"));
  const std::string ck = dir / "run.ckpt";
  const std::vector<std::string> args =
      plus(kLongRun, {"--output", dir / "out.csv", "-q", "--checkpoint", ck, "--checkpoint-every", "25"});
  SUBCASE("SIGKILL soon after the first checkpoint, then SIGKILL of the resumed run, then resume") {
    {
      Child child(args);
      REQUIRE(wait_for_file(child, ck));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      const int code = child.stop(SIGKILL);
      CHECK(code == 128 + SIGKILL);
    }
    REQUIRE(fs::exists(ck));
    {
      // The resumed run killed in turn: its own checkpoints go to the same file.
      fs::remove(ck + ".tmp");
      const auto before = fs::last_write_time(ck);
      Child child({"run", "--resume", ck});
      const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      while (child.running() && fs::last_write_time(ck) == before && std::chrono::steady_clock::now() < end)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      child.stop(SIGKILL);
    }
    if (fs::exists(ck)) {
      const Result resumed = run_mcmc({"run", "--resume", ck});
      INFO("resume stderr: " << resumed.err);
      REQUIRE(resumed.code == 0);
    }
    CHECK(outputs(dir, "out", 4) == reference);
  }
  SUBCASE("SIGTERM: exit 130 with a checkpoint of the point reached, then resume") {
    {
      Child child(args);
      REQUIRE(wait_for_file(child, ck));
      const int code = child.stop(SIGTERM);
      CHECK(code == 130);
    }
    REQUIRE(fs::exists(ck));
    const std::string partial = read_text(dir / "out_1.csv");
    CHECK(contains(partial, "# interrupted = 1"));
    const Result resumed = run_mcmc({"run", "--resume", ck});
    INFO("resume stderr: " << resumed.err);
    REQUIRE(resumed.code == 0);
    CHECK(outputs(dir, "out", 4) == reference);
  }
}

namespace {

/// A checkpoint of a short run killed at its second checkpoint, in `dir`, of a copy of the model
/// and data (so that the tests can change them).
std::vector<std::string> make_checkpoint(const TempDir& dir) {
  fs::copy_file(kRoot + "/" + kModel, dir / "m.stan");
  fs::copy_file(kRoot + "/" + kData, dir / "d.json");
  const std::vector<std::string> args = {"run",     dir / "m.stan", "--data", dir / "d.json", "--chains", "2",
                                         "--seed",  "3",            "--warmup", "100",       "--samples", "100",
                                         "--output", dir / "o.csv", "-q",       "--checkpoint", dir / "ck",
                                         "--checkpoint-every", "20"};
  const Result killed = run_killed_at(args, 3);
  REQUIRE(killed.code == 128 + SIGKILL);
  REQUIRE(fs::exists(dir / "ck"));
  return args;
}

}  // namespace

TEST_CASE("a checkpoint of another model, data or settings, or a damaged one, is refused saying why") {
  TempDir dir;
  const std::vector<std::string> args = make_checkpoint(dir);
  const std::string ck = dir / "ck";
  SUBCASE("another seed") {
    std::vector<std::string> other = args;
    *(std::find(other.begin(), other.end(), "--seed") + 1) = "4";
    const Result r = run_mcmc(plus(other, {"--resume", ck}));
    CHECK(r.code == 2);
    CHECK(contains(r.err, "cannot resume from '" + ck + "'"));
    CHECK(contains(r.err, "the seed differs: checkpoint 3, this command 4"));
  }
  SUBCASE("other settings") {
    const Result r = run_mcmc(plus(args, {"--resume", ck, "--max-depth", "5"}));
    CHECK(r.code == 2);
    CHECK(contains(r.err, "setting 'method.sample.algorithm.hmc.engine.nuts.max_depth' differs: checkpoint 10, this command 5"));
  }
  SUBCASE("another model") {
    write_text(dir / "m2.stan", read_text(dir / "m.stan") + "\n// changed\n");
    std::vector<std::string> other = args;
    other[1] = dir / "m2.stan";
    const Result r = run_mcmc(plus(other, {"--resume", ck}));
    CHECK(r.code == 2);
    CHECK(contains(r.err, "the model differs: the checkpoint belongs to '" + dir / "m.stan" + "'"));
  }
  SUBCASE("the model file changed since") {
    write_text(dir / "m.stan", read_text(dir / "m.stan") + "\n// changed\n");
    const Result r = run_mcmc({"run", "--resume", ck});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "the model file '" + dir / "m.stan" + "' has changed since the checkpoint"));
  }
  SUBCASE("the data file changed since") {
    write_text(dir / "d.json", read_text(dir / "d.json") + "\n");
    const Result r = run_mcmc({"run", "--resume", ck});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "the data file '" + dir / "d.json" + "' has changed since the checkpoint"));
  }
  SUBCASE("an output file edited since") {
    std::string text = read_text(dir / "o_1.csv");
    text[2] = 'M';  // "# mcmc_version": in the part the checkpoint recorded, whatever the run wrote after
    write_text(dir / "o_1.csv", text);
    const Result r = run_mcmc({"run", "--resume", ck});
    CHECK(r.code == 4);
    CHECK(contains(r.err, "cannot resume output file '" + dir / "o_1.csv" + "'"));
  }
  SUBCASE("a truncated checkpoint") {
    const std::string bytes = read_text(ck);
    write_text(ck, bytes.substr(0, bytes.size() / 2));
    const Result r = run_mcmc({"run", "--resume", ck});
    CHECK(r.code == 4);
    CHECK(contains(r.err, "checkpoint '" + ck + "' is truncated"));
  }
  SUBCASE("a corrupt checkpoint (one byte changed)") {
    std::string bytes = read_text(ck);
    bytes[bytes.size() / 2] ^= 0x10;
    write_text(ck, bytes);
    const Result r = run_mcmc({"run", "--resume", ck});
    CHECK(r.code == 4);
    CHECK(contains(r.err, "checkpoint '" + ck + "' is corrupt"));
  }
  SUBCASE("the checkpoint itself resumes") {
    const Result r = run_mcmc({"run", "--resume", ck});
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(!fs::exists(ck));
  }
}

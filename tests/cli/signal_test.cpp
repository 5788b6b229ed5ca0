// End-to-end: SIGINT / SIGTERM stop a long run promptly with exit 130 and output files of complete lines.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <iterator>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

using namespace cli_test;

namespace {

using Clock = std::chrono::steady_clock;

#if defined(__SANITIZE_ADDRESS__)  // GCC
#define MCMC_TEST_ASAN 1
#elif defined(__has_feature)  // clang
#if __has_feature(address_sanitizer)
#define MCMC_TEST_ASAN 1
#endif
#endif

#if defined(MCMC_TEST_ASAN)
constexpr double kStopSeconds = 10;  // instrumented builds are several times slower
#else
constexpr double kStopSeconds = 2;
#endif

/// A child process running the `mcmc` binary from the repository root; killed if still running at scope exit.
class Child {
 public:
  Child(const std::vector<std::string>& args, const std::string& out, const std::string& err) {
    std::vector<std::string> argv_s = {kBinary};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (std::string& a : argv_s) argv.push_back(a.data());
      argv.push_back(nullptr);
      int in = ::open("/dev/null", O_RDONLY);
      int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (in < 0 || o < 0 || e < 0 || ::chdir(kRoot.c_str()) != 0) ::_exit(127);
      ::dup2(in, 0);
      ::dup2(o, 1);
      ::dup2(e, 2);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  ~Child() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  bool running() {
    if (exited_) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) record(status);
    return !exited_;
  }
  /// Waits up to `seconds` for the exit; false if the process is still running.
  bool wait_for(double seconds) {
    const auto end = Clock::now() + std::chrono::duration<double>(seconds);
    while (running()) {
      if (Clock::now() > end) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
  }
  int code() const { return code_; }

 private:
  void record(int status) {
    exited_ = true;
    code_ = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
  }
  pid_t pid_ = -1;
  bool exited_ = false;
  int code_ = -1;
};

/// Complete draw rows in a Stan CSV file being written: lines ending in '\n' that are not comments, minus the header.
int complete_draws(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return 0;
  const std::string text = read_text(path);
  int lines = 0;
  std::size_t begin = 0;
  for (std::size_t nl = text.find('\n'); nl != std::string::npos; begin = nl + 1, nl = text.find('\n', begin))
    if (nl > begin && text[begin] != '#') ++lines;
  return lines > 0 ? lines - 1 : 0;
}

/// Bytes in the child's open files under `dir` (the JSON output's anonymous temporary draw file included).
std::vector<long long> open_file_sizes(pid_t pid, const fs::path& dir) {
  std::vector<long long> sizes;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    std::error_code ec2;
    const fs::path target = fs::read_symlink(entry.path(), ec2);
    if (ec2 || !starts_with(target.string(), dir.string())) continue;
    struct stat st {};
    if (::stat(entry.path().c_str(), &st) == 0 && S_ISREG(st.st_mode)) sizes.push_back(st.st_size);
  }
  return sizes;
}

/// Polls `ready` (every 20 ms, at most two minutes) while the child runs; false if it never held.
template <class Ready>
bool wait_until(Child& child, Ready ready) {
  const auto end = Clock::now() + std::chrono::minutes(2);
  while (Clock::now() < end) {
    if (!child.running()) return false;
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

// The seed model at a tiny fixed step size: each NUTS transition runs to the maximum depth, so
// 100,000 draws would take minutes.
std::vector<std::string> slow_run(const std::string& output, const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"run", "models/normal_logscale.stan", "--data", "models/normal_logscale.data.json",
                                   "--warmup", "0", "--step-size", "1e-4", "--samples", "100000", "--chains", "2",
                                   "--seed", "7", "--output", output};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

/// Sends `sig` once both chains' CSV files hold draws; checks the prompt exit and the files.
void interrupt_csv_run(int sig, const std::vector<std::string>& extra) {
  TempDir dir;
  Child child(slow_run(dir / "out.csv", extra), dir / "stdout", dir / "stderr");
  const std::string f1 = dir / "out_1.csv", f2 = dir / "out_2.csv";
  REQUIRE_MESSAGE(wait_until(child, [&] { return complete_draws(f1) > 0 && complete_draws(f2) > 0; }),
                  "no draws appeared; stderr: " << read_text(dir / "stderr"));
  REQUIRE(::kill(child.pid(), sig) == 0);
  const auto sent = Clock::now();
  const bool stopped = child.wait_for(60);
  const double seconds = std::chrono::duration<double>(Clock::now() - sent).count();
  REQUIRE_MESSAGE(stopped, "still running 60 s after the signal");
  INFO("stderr: " << read_text(dir / "stderr"));
  CHECK(seconds < kStopSeconds);
  CHECK(child.code() == 130);
  CHECK(contains(read_text(dir / "stderr"), "interrupted"));
  for (const std::string& path : {f1, f2}) {
    const std::string text = read_text(path);
    REQUIRE(!text.empty());
    CHECK(text.back() == '\n');  // no partial last line
    const StanCsv csv = parse_stan_csv(text);  // throws on a row narrower or wider than the header
    REQUIRE(!csv.header.empty());
    CHECK(csv.header.front() == "lp__");
    CHECK(csv.rows.size() >= 1);
    CHECK(static_cast<int>(csv.rows.size()) == complete_draws(path));
    CHECK(csv.rows.size() < 100000);
    bool elapsed = false;
    for (const std::string& line : csv.footer) elapsed = elapsed || contains(line, "Elapsed Time");
    CHECK_MESSAGE(elapsed, "no closing comment block in " << path);
  }
}

}  // namespace

TEST_CASE("SIGINT stops a long CSV run within seconds: exit 130, complete lines, header, draws and footer") {
  interrupt_csv_run(SIGINT, {});
}

TEST_CASE("SIGTERM stops a long lockstep (vmap) CSV run the same way") {
  interrupt_csv_run(SIGTERM, {"--mode", "vmap", "-q"});
}

TEST_CASE("SIGINT during a JSON run leaves one valid JSON file with the completed draws") {
  TempDir dir, capture;  // stdout / stderr outside the output directory, whose open files are watched
  const std::string out = dir / "out.json";
  Child child(slow_run(out, {"--format", "json", "-q"}), capture / "stdout", capture / "stderr");
  // The draws go, in blocks, to one anonymous temporary file in the output directory that the
  // chains share, until the end: wait until one of the child's open files there holds data.
  REQUIRE_MESSAGE(wait_until(child,
                             [&] {
                               for (long long size : open_file_sizes(child.pid(), dir.path()))
                                 if (size > 0) return true;
                               return false;
                             }),
                  "no draws appeared; stderr: " << read_text(capture / "stderr"));
  REQUIRE(::kill(child.pid(), SIGINT) == 0);
  const auto sent = Clock::now();
  REQUIRE(child.wait_for(60));
  const double seconds = std::chrono::duration<double>(Clock::now() - sent).count();
  INFO("stderr: " << read_text(capture / "stderr"));
  CHECK(seconds < kStopSeconds);
  CHECK(child.code() == 130);
  const std::string text = read_text(out);
  nlohmann::json j;
  REQUIRE_NOTHROW(j = nlohmann::json::parse(text));
  CHECK(j.at("format") == "mcmc-draws");
  const auto& chains = j.at("chains");
  REQUIRE(chains.size() == 2);
  const std::size_t width = j.at("columns").size();
  for (const auto& chain : chains) {
    const auto& draws = chain.at("draws");
    CHECK(draws.size() >= 1);
    CHECK(draws.size() < 100000);
    CHECK(chain.at("num_draws").get<std::size_t>() == draws.size());
    for (const auto& row : draws) CHECK(row.size() == width);
    CHECK(chain.at("footer").at("complete") == false);
  }
}

TEST_CASE("an interrupt before chain 2 starts (one thread): no file for it, and both summaries cover chain 1") {
  SUBCASE("csv") {
    TempDir dir;
    const std::string f1 = dir / "out_1.csv", f2 = dir / "out_2.csv";
    Child child(slow_run(dir / "out.csv", {"--threads", "1"}), dir / "stdout", dir / "stderr");
    REQUIRE_MESSAGE(wait_until(child, [&] { return complete_draws(f1) > 10; }),
                    "no draws appeared; stderr: " << read_text(dir / "stderr"));
    REQUIRE(::kill(child.pid(), SIGINT) == 0);
    REQUIRE(child.wait_for(60));
    CHECK(child.code() == 130);
    const std::string out = read_text(dir / "stdout"), err = read_text(dir / "stderr");
    INFO("stdout: " << out << "\nstderr: " << err);
    CHECK_FALSE(fs::exists(f2));  // chain 2 never started: no empty file
    // The run's own summary: chain 1's draws, not an empty table.
    CHECK(contains(out, "draws each in the 1 chain with draws"));
    CHECK(contains(out, "\nloc "));
    CHECK(contains(err, "1 of 2 chains have no post-warm-up draws (with 1 thread, chains beyond the first 1 wait"));
    const Result s = run_shell(shell_quote(kBinary) + " summary " + shell_quote(dir.path().string()) + "/out_*.csv");
    CHECK(s.code == 0);
    CHECK(contains(s.out, "1 chain, "));
  }
  SUBCASE("json") {
    TempDir dir, capture;
    const std::string out = dir / "out.json";
    Child child(slow_run(out, {"--threads", "1", "--format", "json", "-q"}), capture / "stdout", capture / "stderr");
    REQUIRE(wait_until(child, [&] {
      for (long long size : open_file_sizes(child.pid(), dir.path()))
        if (size > 0) return true;
      return false;
    }));
    REQUIRE(::kill(child.pid(), SIGINT) == 0);
    REQUIRE(child.wait_for(60));
    CHECK(child.code() == 130);
    const Result s = run_mcmc({"summary", out});
    INFO("stderr: " << s.err);
    CHECK(s.code == 0);
    CHECK(contains(s.out, "1 chain, "));
    CHECK(contains(s.err, "no post-warm-up draws; left out"));
  }
}

namespace {

/// Seconds of CPU time the process has used (utime + stime of /proc/PID/stat); 0 if unreadable.
double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t close = text.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int k = 3; fields >> field && k <= 15; ++k)
    if (k == 14 || k == 15) ticks += std::stod(field);
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

}  // namespace

TEST_CASE("SIGINT during a netCDF run leaves a file xarray opens, with the draws made so far") {
  TempDir dir, capture;
  const std::string out = dir / "fit.nc";
  Child child(slow_run(out, {"--format", "netcdf", "-q"}), capture / "stdout", capture / "stderr");
  // The draws wait in per-chain blocks until a block is full or the run ends: wait until the
  // chains have been sampling for a while (half a second of CPU), then interrupt.
  REQUIRE_MESSAGE(wait_until(child, [&] { return cpu_seconds(child.pid()) > 0.5; }),
                  "the run did not start; stderr: " << read_text(capture / "stderr"));
  REQUIRE(::kill(child.pid(), SIGINT) == 0);
  REQUIRE(child.wait_for(60));
  INFO("stderr: " << read_text(capture / "stderr"));
  CHECK(child.code() == 130);
  // mcmc reads it back: both chains, fewer draws than asked for, marked interrupted.
  const Result summary = run_mcmc({"summary", out});
  INFO("summary: " << summary.out << summary.err);
  CHECK(summary.code == 0);
  CHECK(contains(summary.out, "2 chains"));
  CHECK(contains(summary.err, "interrupted"));
  const std::string python = python_with_xarray();
  if (python.empty()) {
    MESSAGE("SKIPPED the xarray check: no python3 with xarray and netCDF4 (apt-get install python3-xarray python3-netcdf4)");
    return;
  }
  const Result r = run_shell(shell_quote(python) + " tests/cli/netcdf_check.py interrupted " + shell_quote(out));
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  CHECK(contains(r.out, "OK"));
}

// End-to-end: `mpirun -np R mcmc run` writes the bytes of the one-process run (timing aside); faults stop the job.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <iterator>
#include <sstream>
#include <thread>

#include "cli_harness.hpp"
#include "mpi_harness.hpp"

using namespace cli_test;
using mpi_test::run_mpi;
using mpi_test::without_timing;

namespace {

std::vector<std::string> plus(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

const std::string kEightSchools = "eight_schools-eight_schools_noncentered";

std::vector<std::string> eight_schools(int chains) {
  return {"run",      kTestData + "/conformance/" + kEightSchools + ".stan",
          "--data",   kTestData + "/posteriordb/" + kEightSchools + ".data.json",
          "--chains", std::to_string(chains), "--quiet"};
}

/// The output of a run: the csv files of every chain, or the one file, concatenated.
std::string output_of(const TempDir& dir, const std::string& format, int chains) {
  if (format == "csv") {
    std::string all;
    for (int c = 1; c <= chains; ++c) all += read_text(dir / ("out_" + std::to_string(c) + ".csv"));
    return mpi_test::in_dir(all, dir.path().string());
  }
  return mpi_test::in_dir(read_text(dir / (format == "json" ? "out.json" : "out.csv")), dir.path().string());
}

/// The same run in one process and on 2 and 3 ranks: the same files, timing aside.
void check_ranks(const std::vector<std::string>& args, int chains) {
  for (const std::string format : {"csv", "csv-long", "json"}) {
    INFO("format " << format);
    const std::string file = format == "json" ? "out.json" : "out.csv";
    TempDir one;
    const Result r1 = run_mcmc(plus(args, {"--format", format, "--output", one / file}));
    INFO("one process: " << r1.err);
    REQUIRE(r1.code == 0);
    const std::string want = without_timing(output_of(one, format, chains));
    for (int ranks : {2, 3}) {
      INFO(ranks << " ranks");
      TempDir many;
      const Result r = run_mpi(ranks, plus(args, {"--format", format, "--output", many / file}));
      INFO("stderr: " << r.err);
      REQUIRE(r.code == 0);
      CHECK(without_timing(output_of(many, format, chains)) == want);
      if (format != "csv") CHECK_FALSE(fs::exists(many / "out_1.csv"));
    }
  }
}

}  // namespace

TEST_CASE("mpirun -np 2 and 3: the files of the one-process run, every algorithm and format") {
  SUBCASE("NUTS, parallel") {
    check_ranks(plus(eight_schools(5), {"--seed", "31", "--warmup", "60", "--samples", "20", "--threads", "2"}), 5);
  }
  SUBCASE("NUTS, vmap") {
    check_ranks(plus(eight_schools(5), {"--seed", "32", "--warmup", "60", "--samples", "20", "--mode", "vmap"}), 5);
  }
  SUBCASE("static HMC") {
    check_ranks(plus(eight_schools(5), {"--seed", "33", "--algorithm", "hmc", "--steps", "8", "--jitter", "--warmup",
                                        "60", "--samples", "20"}),
                5);
  }
  SUBCASE("ChEES (ensemble statistics over the ranks' chains), vmap") {
    check_ranks(plus(eight_schools(7), {"--seed", "34", "--algorithm", "chees", "--warmup", "60", "--samples", "20",
                                        "--mode", "vmap"}),
                7);
  }
  SUBCASE("MEADS (folds across ranks), parallel") {
    check_ranks(plus(eight_schools(8), {"--seed", "35", "--algorithm", "meads", "--folds", "4", "--warmup", "60",
                                        "--samples", "20", "--threads", "2"}),
                8);
  }
  SUBCASE("ChEES with 150 chains: three 64-chain statistics blocks split over ranks; stragglers restarted") {
    auto args = plus(eight_schools(150), {"--seed", "36", "--algorithm", "chees", "--warmup", "80", "--samples", "5",
                                          "--init", "10"});
    TempDir one, many;
    REQUIRE(run_mcmc(plus(args, {"--format", "csv-long", "--output", one / "out.csv"})).code == 0);
    const Result r = run_mpi(3, plus(args, {"--format", "csv-long", "--output", many / "out.csv"}));
    INFO("stderr: " << r.err);
    REQUIRE(r.code == 0);
    CHECK(without_timing(output_of(many, "csv-long", 150)) == without_timing(output_of(one, "csv-long", 150)));
  }
}

TEST_CASE("mpirun: the summary and gates once, on rank 0; every rank the same exit code") {
  const auto args = plus(eight_schools(4), {"--seed", "37", "--warmup", "100", "--samples", "50"});
  std::vector<std::string> loud = args;
  loud.erase(std::find(loud.begin(), loud.end(), "--quiet"));
  const Result one = run_mcmc(loud), many = run_mpi(2, loud);
  REQUIRE(one.code == 0);
  REQUIRE(many.code == 0);
  // The summary table (its lines with numbers) is the one-process table.
  auto table = [](const std::string& out) {  // ESS per second (timing) aside
    std::string t;
    for (const std::string& line : lines_of(out)) {
      if (!starts_with(line, "mu ") && !starts_with(line, "tau ") && !starts_with(line, "theta")) continue;
      std::istringstream in(line);
      std::vector<std::string> w{std::istream_iterator<std::string>(in), std::istream_iterator<std::string>()};
      for (std::size_t i = 0; i + 2 < w.size(); ++i) t += w[i] + " ";
      t += w.back() + "\n";
    }
    return t;
  };
  CHECK_FALSE(table(one.out).empty());
  CHECK(table(many.out) == table(one.out));
  // A gate that fails: exit code 6 from mpirun (every rank exits with it).
  const Result gate = run_mpi(2, plus(args, {"--min-ess", "1e9"}));
  CHECK(gate.code == 6);
}

TEST_CASE("mpirun: more ranks than chains is refused, once") {
  const Result r = run_mpi(3, plus(eight_schools(2), {"--seed", "1"}));
  CHECK(r.code == 2);
  CHECK(contains(r.err, "3 MPI ranks for 2 chains"));
  CHECK(r.err.find("3 MPI ranks") == r.err.rfind("3 MPI ranks"));  // one message for the job
}

TEST_CASE("mpirun: a rank that cannot write its output stops the job with one message naming it") {
  TempDir dir;
  fs::create_directory(dir / "out_4.csv");  // chain 4's file (rank 1 of 2) cannot be created
  const auto t0 = std::chrono::steady_clock::now();
  const Result r = run_mpi(2, plus(eight_schools(4), {"--seed", "38", "--output", dir / "out.csv"}));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  INFO("stderr: " << r.err);
  CHECK(r.code == 4);
  CHECK(contains(r.err, "rank 1 of 2: "));
  CHECK(contains(r.err, "out_4.csv"));
  CHECK(r.err.find("error:") == r.err.rfind("error:"));
  CHECK(seconds < 30);
}

TEST_CASE("mpirun: SIGINT stops every rank within seconds; files complete and marked interrupted") {
  for (const std::string format : {"csv", "csv-long"}) {
    INFO(format);
    TempDir dir;
    const std::string command = mpi_test::mpirun(2) + shell_quote(kBinary) + " run " +
                                shell_quote(kTestData + "/conformance/" + kEightSchools + ".stan") + " --data " +
                                shell_quote(kTestData + "/posteriordb/" + kEightSchools + ".data.json") +
                                " --chains 4 --seed 39 --warmup 1000 --samples 1000000 --thin 50 --quiet --format " + format +
                                " --output " + shell_quote(dir / "out.csv");
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::setpgid(0, 0);
      const int devnull = ::open("/dev/null", O_RDWR);
      ::dup2(devnull, 0);
      ::dup2(devnull, 1);
      const int err = ::open((dir / "stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(err, 2);
      ::execl("/bin/sh", "sh", "-c", ("exec " + command).c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    std::this_thread::sleep_for(std::chrono::seconds(3));  // start-up and warm-up under way
    const auto t0 = std::chrono::steady_clock::now();
    // Ctrl-C: SIGINT to mpirun and the ranks (the terminal's process group). mpirun then sends the
    // ranks SIGTERM and, a second later (odls_base_sigkill_timeout), SIGKILL; they stop and complete
    // their files before that (--thin: rank 0 assembles the other rank's draws in that second).
    ::kill(-pid, SIGINT);
    int status = 0;
    pid_t done = 0;
    while ((done = ::waitpid(pid, &status, WNOHANG)) == 0 &&
           std::chrono::steady_clock::now() - t0 < std::chrono::seconds(30))
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (done == 0) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    INFO("stderr: " << read_text(dir / "stderr"));
    REQUIRE(done == pid);
    CHECK(seconds < 10);
    // Each rank exits with 130; mpirun, which ended the job on the signal, reports 1 (OpenMPI's choice).
    CHECK((WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)) != 0);
    const std::vector<std::string> files =
        format == "csv" ? std::vector<std::string>{"out_1.csv", "out_2.csv", "out_3.csv", "out_4.csv"}
                        : std::vector<std::string>{"out.csv"};
    for (const std::string& f : files) {
      INFO(f);
      const std::string text = read_text(dir / f);
      CHECK(contains(text, "interrupted = 1"));
      CHECK(contains(text, "run_interrupted = 1"));
      if (format == "csv") {
        CHECK_NOTHROW(parse_stan_csv(text));
      } else {  // csv-long (each chain's notes after its rows): read as mcmc summary reads it
        const Result sum = run_mcmc({"summary", dir / f});
        INFO("summary: " << sum.err);
        CHECK(sum.code == 0);
      }
      CHECK(text.back() == '\n');
    }
  }
}

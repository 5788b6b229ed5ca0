// End-to-end: an output file on a full disk (a link to /dev/full) fails with exit 4 and ENOSPC, promptly.
#include <doctest/doctest.h>

#include "cli_harness.hpp"

using namespace cli_test;

namespace {

/// Runs the seed model with `args` after linking `dir/name` to /dev/full; `timeout` turns a hang into exit 124.
Result run_into_dev_full(const TempDir& dir, const std::string& name, const std::vector<std::string>& args) {
  fs::create_symlink("/dev/full", dir.path() / name);
  std::string command = "timeout 120 " + shell_quote(kBinary);
  for (const std::string& a :
       std::vector<std::string>{"run", "models/normal_logscale.stan", "--data", "models/normal_logscale.data.json",
                                "--seed", "3", "--output", dir / name})
    command += " " + shell_quote(a);
  for (const std::string& a : args) command += " " + shell_quote(a);
  return run_shell(command);
}

void check_disk_full(const Result& r, const std::string& name) {
  INFO("stderr: " << r.err);
  CHECK(r.code == 4);
  CHECK(contains(r.err, "No space left on device"));
  CHECK(contains(r.err, "cannot write '"));
  CHECK(contains(r.err, name));
  CHECK(!contains(r.err, "internal error"));
  CHECK(!contains(r.err, "std::"));
}

}  // namespace

TEST_CASE("a single-chain CSV output on a full disk exits 4 naming the file and ENOSPC") {
  TempDir dir;
  check_disk_full(run_into_dev_full(dir, "out.csv", {"--chains", "1", "--warmup", "100", "--samples", "100", "-q"}),
                  "out.csv");
}

TEST_CASE("a long run writing to a full disk stops at the first failed write instead of sampling on") {
  TempDir dir;
  // 100,000 maximum-depth transitions would take minutes: the failed write must end the run.
  check_disk_full(run_into_dev_full(dir, "out.csv",
                                    {"--chains", "1", "--warmup", "0", "--step-size", "1e-4", "--samples", "100000"}),
                  "out.csv");
}

TEST_CASE("a JSON output on a full disk exits 4 naming the file and ENOSPC") {
  TempDir dir;
  check_disk_full(run_into_dev_full(dir, "out.json",
                                    {"--format", "json", "--chains", "2", "--warmup", "100", "--samples", "100", "-q"}),
                  "out.json");
}

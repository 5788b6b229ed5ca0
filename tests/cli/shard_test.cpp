// End-to-end: --shard i/N runs a block of the chains with the whole run's files; mcmc merge joins csv-long and JSON shards.
#include <doctest/doctest.h>

#include <iterator>
#include <regex>
#include <sstream>

#include "cli_harness.hpp"
#include "mpi_harness.hpp"

using namespace cli_test;

namespace {

const std::vector<std::string> kRun = {"run", "models/normal_logscale.stan", "--data", "models/normal_logscale.data.json",
                                       "--chains", "5", "--warmup", "40", "--samples", "30", "--seed", "5",
                                       "--quiet", "--threads", "2"};

std::vector<std::string> plus(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

void run_ok(const std::vector<std::string>& args) {
  const Result r = run_mcmc(args);
  INFO("stderr: " << r.err);
  REQUIRE(r.code == 0);
}

}  // namespace

TEST_CASE("--shard i/N: each shard writes exactly its chains' csv files of the whole run") {
  TempDir full, shards;
  run_ok(plus(kRun, {"--output", full / "out.csv"}));
  run_ok(plus(kRun, {"--output", shards / "out.csv", "--shard", "1/2"}));
  CHECK(fs::exists(shards / "out_1.csv"));
  CHECK(fs::exists(shards / "out_2.csv"));
  CHECK_FALSE(fs::exists(shards / "out_3.csv"));
  run_ok(plus(kRun, {"--output", shards / "out.csv", "--shard", "2/2"}));
  for (int c = 1; c <= 5; ++c) {
    const std::string name = "out_" + std::to_string(c) + ".csv";
    INFO(name);
    // A shard's run footer counts its own chains (run_chains_started); the rest is the whole run's file.
    CHECK(mpi_test::without_timing(mpi_test::in_dir(read_text(shards / name), shards.path().string()), true) ==
          mpi_test::without_timing(mpi_test::in_dir(read_text(full / name), full.path().string()), true));
  }
  // mcmc summary over every shard's files is the summary of the whole run.
  std::vector<std::string> sum_full = {"summary"}, sum_shards = {"summary"};
  for (int c = 1; c <= 5; ++c) {
    sum_full.push_back(full / ("out_" + std::to_string(c) + ".csv"));
    sum_shards.push_back(shards / ("out_" + std::to_string(c) + ".csv"));
  }
  const Result a = run_mcmc(sum_full), b = run_mcmc(sum_shards);
  REQUIRE(a.code == 0);
  REQUIRE(b.code == 0);
  // Every number but the timing-derived ones (wall time, ESS per second: the shards' files have no
  // common run footer): Mean ... ESS_tail and R_hat.
  auto table = [](const std::string& out) {
    std::string t;
    for (const std::string& line : lines_of(out)) {
      std::istringstream in(line);
      std::vector<std::string> w{std::istream_iterator<std::string>(in), std::istream_iterator<std::string>()};
      if (w.size() < 10 || (w[0] != "lp__" && w[0] != "loc" && w[0] != "log_scale")) continue;
      for (std::size_t i = 0; i < 9; ++i) t += w[i] + " ";
      t += w.back() + "\n";
    }
    return t;
  };
  CHECK(table(a.out).size() > 50);
  CHECK(table(a.out) == table(b.out));
}

TEST_CASE("--shard with csv-long and json: mcmc merge gives the whole run's file") {
  for (const std::string format : {"csv-long", "json"}) {
    INFO(format);
    const std::string ext = format == "json" ? ".json" : ".csv";
    TempDir full, shards;
    run_ok(plus(kRun, {"--format", format, "--output", full / ("fit" + ext)}));
    for (const char* shard : {"1/3", "2/3", "3/3"}) run_ok(plus(kRun, {"--format", format, "--output", shards / ("fit" + ext), "--shard", shard}));
    const std::string s1 = shards / ("fit.shard-1-of-3" + ext), s2 = shards / ("fit.shard-2-of-3" + ext),
                      s3 = shards / ("fit.shard-3-of-3" + ext);
    REQUIRE(fs::exists(s3));
    const Result m = run_mcmc({"merge", s3, s1, s2, "--output", shards / ("merged" + ext)});
    INFO("merge stderr: " << m.err);
    REQUIRE(m.code == 0);
    CHECK(mpi_test::without_timing(mpi_test::in_dir(read_text(shards / ("merged" + ext)), shards.path().string())) ==
          mpi_test::without_timing(mpi_test::in_dir(read_text(full / ("fit" + ext)), full.path().string())));

    // Refusals: a shard missing, a shard twice, a shard of another run (another seed).
    Result r = run_mcmc({"merge", s1, s3, "--output", shards / ("x" + ext)});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "shard 2 of 3 is missing"));
    r = run_mcmc({"merge", s1, s2, s2, s3, "--output", shards / ("x" + ext)});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "are both shard 2 of 3"));
    TempDir other;
    auto seed6 = kRun;
    seed6[11] = "6";
    run_ok(plus(seed6, {"--format", format, "--output", other / ("fit" + ext), "--shard", "2/3"}));
    r = run_mcmc({"merge", s1, other / ("fit.shard-2-of-3" + ext), s3, "--output", shards / ("x" + ext)});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "not shards of one run"));
    CHECK(contains(r.err, "seed"));
    CHECK_FALSE(fs::exists(shards / ("x" + ext)));
  }
}

TEST_CASE("--shard: bad values and the ensemble samplers are refused") {
  Result r = run_mcmc(plus(kRun, {"--shard", "3/2"}));
  CHECK(r.code == 2);
  CHECK(contains(r.err, "shards are numbered 1 to 2"));
  r = run_mcmc(plus(kRun, {"--shard", "1/6"}));
  CHECK(r.code == 2);
  CHECK(contains(r.err, "6 shards of 5 chains"));
  r = run_mcmc(plus(kRun, {"--shard", "two"}));
  CHECK(r.code == 2);
  r = run_mcmc(plus(kRun, {"--shard", "1/2", "--algorithm", "chees"}));
  CHECK(r.code == 2);
  CHECK(contains(r.err, "mpirun"));
}

TEST_CASE("csv-long: the file does not depend on the thread count (chains in order, each chain's rows together)") {
  TempDir d1, d2;
  auto base = kRun;
  base.erase(base.end() - 2, base.end());  // no --threads
  run_ok(plus(base, {"--threads", "1", "--format", "csv-long", "--output", d1 / "fit.csv"}));
  run_ok(plus(base, {"--threads", "2", "--format", "csv-long", "--output", d2 / "fit.csv"}));
  const auto strip = [](const std::string& text) {  // the thread count echoed aside
    std::string out;
    for (const std::string& line : lines_of(mpi_test::without_timing(text)))
      if (!contains(line, "num_threads") && !contains(line, "run_threads")) out += line + "\n";
    return out;
  };
  const std::string one = strip(mpi_test::in_dir(read_text(d1 / "fit.csv"), d1.path().string()));
  CHECK(one == strip(mpi_test::in_dir(read_text(d2 / "fit.csv"), d2.path().string())));
  // Chain 1's rows come first, then chain 2's, ...
  std::string order;
  for (const std::string& line : lines_of(one))
    if (!line.empty() && line[0] >= '1' && line[0] <= '9' && (order.empty() || order.back() != line[0])) order += line[0];
  CHECK(order == "12345");
}

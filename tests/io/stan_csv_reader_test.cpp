// Tests of the Stan CSV reader and the JSON output reader: our own files read back, the rstan-written
// fixture, number spellings, saved warm-up, truncated files and malformed lines.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "io/json_reader.hpp"
#include "io/sink.hpp"
#include "io/stan_csv_reader.hpp"
#include "util/error.hpp"
#include "io_test_util.hpp"

using mcmc::Error;
using mcmc::ExitCode;
using namespace mcmc::io;

namespace {

namespace fs = std::filesystem;

// TempDir("name") makes a directory named after the test.
struct TempDir : mcmc::io::test::TempDir {
  explicit TempDir(const std::string& name) : mcmc::io::test::TempDir("mcmc_reader_", name) {}
};

std::string fixture(const std::string& name) {
  return std::string(MCMC_SOURCE_DIR) + "/tests/diag/fixtures/stan/" + name;
}

RunHeader header() {
  RunHeader h;
  h.model_name = "normal_model";
  h.algorithm = "nuts";
  h.config = {{0, "method", "sample", true, false},  {1, "sample", "", true, true},
              {2, "num_samples", "3", false, false}, {2, "num_warmup", "1000", true, false},
              {2, "max_depth", "7", false, false},   {1, "id", "1", true, false}};
  h.sampler_columns = {"lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__"};
  h.param_columns = {"mu", "theta.1"};
  return h;
}

/// Draw k of chain c: awkward values (17 significant digits, a NaN, infinities) that must survive.
std::vector<double> row(int c, int k) {
  double mu = 0.1 * k + 1.0 / 3.0 + c;
  double theta = k == 1 ? NAN : k == 2 ? -INFINITY : 1e-300 * (k + 1);
  return {-7.123456789012345 - k, 0.95, 0.8935421, 2.0 + k, 3, static_cast<double>(k % 2), 7.5 + k, mu, theta};
}

std::unique_ptr<Output> write_run(const std::string& path, const std::string& format) {
  OutputOptions oo;
  oo.path = path;
  oo.format = format;
  oo.num_chains = 2;
  oo.sig_figs = 17;
  auto out = open_output(oo);
  for (int c = 0; c < 2; ++c) {
    ChainSink& sink = out->chain(c);
    sink.begin(header(), c + 1, 42);
    sink.adaptation(Adaptation{0.8935421, {0.4835031, 1.25}});
    for (int k = 0; k < 3; ++k) sink.draw(row(c, k));
    ChainFooter f;
    f.warmup_seconds = 0.0051;
    f.sampling_seconds = 0.0129 + c;
    sink.end(f);
  }
  out->finalize();
  return out;
}

void check_same_double(double got, double want) {
  if (std::isnan(want)) {
    CHECK(std::isnan(got));
  } else {
    CHECK(got == want);
  }
}

void check_our_chains(const std::vector<ChainDraws>& chains) {
  REQUIRE(chains.size() == 2);
  for (int c = 0; c < 2; ++c) {
    const ChainDraws& d = chains[static_cast<std::size_t>(c)];
    REQUIRE(d.columns.size() == 9);
    CHECK(d.columns[0] == "lp__");
    CHECK(d.columns[8] == "theta.1");
    REQUIRE(d.num_draws() == 3);
    for (int k = 0; k < 3; ++k)
      for (std::size_t j = 0; j < 9; ++j) check_same_double(d.values[j][static_cast<std::size_t>(k)], row(c, k)[j]);
    REQUIRE(d.step_size.has_value());
    CHECK(*d.step_size == doctest::Approx(0.893542).epsilon(1e-6));
    REQUIRE(d.inv_metric.size() == 2);
    CHECK(d.inv_metric[1] == doctest::Approx(1.25));
    REQUIRE(d.sampling_seconds.has_value());
    CHECK(*d.sampling_seconds == doctest::Approx(0.013 + c).epsilon(1e-3));
    CHECK(d.config_value("max_depth") == std::optional<std::string>("7"));
    CHECK_FALSE(d.truncated);
    CHECK_FALSE(d.interrupted);
  }
}

}  // namespace

TEST_CASE("read_stan_csv reads our CSV output back exactly (17 significant digits)") {
  TempDir dir("ours");
  write_run(dir.file("out.csv"), "csv");
  std::vector<ChainDraws> chains = {read_stan_csv(dir.file("out_1.csv")), read_stan_csv(dir.file("out_2.csv"))};
  check_our_chains(chains);
  CHECK(chains[0].config_value("num_warmup") == std::optional<std::string>("1000"));
  CHECK(chains[1].config_value("id") == std::optional<std::string>("2"));
  CHECK(chains[0].warmup_seconds == doctest::Approx(0.005));
}

TEST_CASE("read_json_output reads our JSON output back exactly") {
  TempDir dir("json");
  write_run(dir.file("out.json"), "json");
  check_our_chains(read_json_output(dir.file("out.json")));
}

TEST_CASE("read_stan_csv reads an rstan sample_file") {
  ChainDraws d = read_stan_csv(fixture("eight_schools_1.csv"));
  REQUIRE(d.columns.size() == 17);
  CHECK(d.columns[0] == "lp__");
  CHECK(d.columns[7] == "mu");
  CHECK(d.columns[16] == "theta.8");
  REQUIRE(d.num_draws() == 200);
  // The first and last draws as written in the file.
  CHECK(d.values[0][0] == -26.2378);
  CHECK(d.values[16][0] == 3.11118);
  CHECK(d.values[7][199] == 6.70391);
  CHECK(d.values[3][199] == 2);  // treedepth__
  CHECK(d.step_size == std::optional<double>(0.251826));
  REQUIRE(d.inv_metric.size() == 10);
  CHECK(d.inv_metric[9] == 10.031);
  CHECK(d.warmup_seconds == std::optional<double>(0.010344));
  CHECK(d.sampling_seconds == std::optional<double>(0.006779));
  CHECK(d.config_value("max_treedepth") == std::optional<std::string>("10"));
  CHECK(d.config_value("seed") == std::optional<std::string>("20261127"));
  CHECK_FALSE(d.truncated);
  CHECK(d.notes.empty());
}

TEST_CASE("read_stan_csv accepts the spellings of non-finite numbers and CRLF line ends") {
  TempDir dir("spell");
  std::string path = dir.write("s.csv",
                               "# model = m\r\n"
                               "lp__,a,b,c,d\r\n"
                               "1,nan,-inf,inf,+2.5\r\n"
                               "2,NaN,-Inf,Inf,NA\r\n"
                               "3,-nan,-infinity,INF,\"4\"\r\n");
  ChainDraws d = read_stan_csv(path);
  REQUIRE(d.num_draws() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(d.values[0][i] == static_cast<double>(i + 1));
    CHECK(std::isnan(d.values[1][i]));
    CHECK(d.values[2][i] == -INFINITY);
    CHECK(d.values[3][i] == INFINITY);
  }
  CHECK(d.values[4][0] == 2.5);
  CHECK(std::isnan(d.values[4][1]));
  CHECK(d.values[4][2] == 4);
  CHECK(d.config_value("model") == std::optional<std::string>("m"));
}

TEST_CASE("read_stan_csv drops saved warm-up draws (before 'Adaptation terminated')") {
  TempDir dir("warm");
  std::string path = dir.write("w.csv",
                               "#   save_warmup = 1\n"
                               "#   max_depth = 12 (Default)\n"
                               "lp__,x\n"
                               "-1,10\n-2,20\n"
                               "# Adaptation terminated\n"
                               "# Step size = 0.5\n"
                               "# Diagonal elements of inverse mass matrix:\n"
                               "# 2\n"
                               "-3,30\n-4,40\n-5,50\n"
                               "# \n"
                               "#  Elapsed Time: 0.1 seconds (Warm-up)\n"
                               "#                0.25 seconds (Sampling)\n"
                               "#                0.35 seconds (Total)\n");
  ChainDraws d = read_stan_csv(path);
  CHECK(d.warmup_draws_dropped == 2);
  REQUIRE(d.num_draws() == 3);
  CHECK(d.values[1] == std::vector<double>{30, 40, 50});
  CHECK(d.config_value("max_depth") == std::optional<std::string>("12"));
  CHECK(d.step_size == std::optional<double>(0.5));
  CHECK(d.inv_metric == std::vector<double>{2});
  CHECK(d.sampling_seconds == std::optional<double>(0.25));
}

TEST_CASE("read_stan_csv stops cleanly at a truncated last line and reports it") {
  TempDir dir("trunc");
  SUBCASE("cut in the middle of a number, no line end") {
    ChainDraws d = read_stan_csv(dir.write("t.csv", "lp__,x,y\n1,2,3\n4,5,6\n7,8.12"));
    CHECK(d.num_draws() == 2);
    CHECK(d.values[2] == std::vector<double>{3, 6});
    CHECK(d.truncated);
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0].find("t.csv:4") != std::string::npos);
  }
  SUBCASE("a short last line with its line end") {
    ChainDraws d = read_stan_csv(dir.write("t.csv", "lp__,x,y\n1,2,3\n4,5\n"));
    CHECK(d.num_draws() == 1);
    CHECK(d.truncated);
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0].find("2 values, but the header has 3 columns") != std::string::npos);
  }
  SUBCASE("a complete file has no note") {
    ChainDraws d = read_stan_csv(dir.write("t.csv", "lp__,x,y\n1,2,3\n"));
    CHECK(d.num_draws() == 1);
    CHECK_FALSE(d.truncated);
    CHECK(d.notes.empty());
  }
}

TEST_CASE("read_stan_csv errors name the file and line") {
  TempDir dir("err");
  auto code_and_message = [](const std::string& path) -> std::pair<ExitCode, std::string> {
    try {
      read_stan_csv(path);
    } catch (const Error& e) {
      return {e.code(), e.what()};
    }
    return {ExitCode::Ok, ""};
  };
  auto [c1, m1] = code_and_message(dir.file("missing.csv"));
  CHECK(c1 == ExitCode::Io);
  CHECK(m1.find("missing.csv: cannot open") != std::string::npos);

  auto [c2, m2] = code_and_message(dir.write("bad.csv", "lp__,x\n1,2\n3,abc\n4,5\n"));
  CHECK(c2 == ExitCode::Io);
  CHECK(m2.find("bad.csv:3: 'abc' in column 2 (x) is not a number") != std::string::npos);

  auto [c3, m3] = code_and_message(dir.write("long.csv", "lp__,x\n1,2,3\n4,5\n"));
  CHECK(c3 == ExitCode::Io);
  CHECK(m3.find("long.csv:2: 3 values, but the header has 2 columns") != std::string::npos);

  auto [c4, m4] = code_and_message(dir.write("empty.csv", "# only comments\n"));
  CHECK(c4 == ExitCode::Io);
  CHECK(m4.find("no header line") != std::string::npos);
}

TEST_CASE("read_json_output rejects foreign and truncated JSON") {
  TempDir dir("badjson");
  auto code_of = [](const std::string& path) {
    try {
      read_json_output(path);
    } catch (const Error& e) {
      return e.code();
    }
    return ExitCode::Ok;
  };
  CHECK(code_of(dir.write("other.json", "{\"format\": \"something\", \"chains\": []}")) == ExitCode::Io);
  CHECK(code_of(dir.write("cut.json", "{\"format\": \"mcmc-draws\", \"columns\": [\"lp__\"], \"chains\": [{\"draws\": [[1],")) ==
        ExitCode::Io);
  CHECK(code_of(dir.write("empty.json", "")) == ExitCode::Io);
}

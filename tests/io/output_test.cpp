// Tests of open_output and the two output formats: the Stan CSV layout (golden text), write errors, and the JSON file.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "io/line_file.hpp"
#include "io/sink.hpp"
#include "io/stan_csv_sink.hpp"
#include "util/error.hpp"
#include "io_test_util.hpp"

using mcmc::Error;
using mcmc::ExitCode;
using namespace mcmc::io;

namespace {

namespace fs = std::filesystem;

// TempDir("name") makes a directory named after the test.
struct TempDir : mcmc::io::test::TempDir {
  explicit TempDir(const std::string& name) : mcmc::io::test::TempDir("mcmc_io_", name) {}
};

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  for (std::string line; std::getline(ss, line);) out.push_back(line);
  return out;
}

RunHeader test_header() {
  RunHeader h;
  h.mcmc_version = "0.1.0";
  h.mcmc_commit = "0123456789abcdef0123456789abcdef01234567";
  h.model_name = "normal_model";
  h.algorithm = "nuts";
  h.config = {
      {0, "method", "sample", true, false},  {1, "sample", "", true, true},
      {2, "num_samples", "2", false, false}, {2, "num_warmup", "1000", true, false},
      {2, "adapt", "", true, true},          {3, "delta", "0.9", false, false},
      {1, "id", "1", true, false},           {1, "random", "", true, true},
      {2, "seed", "42", false, false},
  };
  h.sampler_columns = {"lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__"};
  h.param_columns = {"mu", "theta.1"};
  return h;
}

/// Runs two chains of two draws through `out`.
void write_small_run(Output& out) {
  RunHeader h = test_header();
  for (int c = 0; c < 2; ++c) {
    ChainSink& sink = out.chain(c);
    sink.begin(h, c + 1, 42);
    sink.adaptation(Adaptation{0.8935421, {0.4835031, 1.2}});
    sink.draw(std::vector<double>{-7.123454, 0.95, 0.8935421, 2, 3, 0, 7.5, 0.2436784 + c, NAN});
    sink.draw(std::vector<double>{-6.748271, 1, 0.8935421, 10, 1023, 1, 8.25, 1e-5, -INFINITY});
    ChainFooter f;
    f.warmup_seconds = 0.0051;
    f.sampling_seconds = 0.0129;
    f.gradient_evals = 123;
    f.lockstep_paid = c == 0 ? 200 : -1;
    f.lockstep_useful = 123;
    f.lockstep_group = 0;
    f.divergences = 1;
    f.max_depth_hits = 1;
    sink.end(f);
  }
  out.finalize();
}

}  // namespace

TEST_CASE("config echo lines follow CmdStan's argument tree") {
  CHECK(config_echo_line({0, "method", "sample", true, false}) == "# method = sample (Default)");
  CHECK(config_echo_line({1, "adapt", "", true, true}) == "#   adapt");
  CHECK(config_echo_line({3, "delta", "0.9", false, false}) == "#       delta = 0.9");
}

TEST_CASE("chain file names") {
  CHECK(csv_chain_path("out.csv", 0, 1) == "out.csv");
  CHECK(csv_chain_path("out.csv", 0, 4) == "out_1.csv");
  CHECK(csv_chain_path("dir/out.csv", 3, 4) == "dir/out_4.csv");
  CHECK(csv_chain_path("a.b/out", 1, 2) == "a.b/out_2");
}

TEST_CASE("Stan CSV layout, golden text") {
  TempDir dir("csv");
  auto out = open_output({dir.file("out.csv"), "csv", 2, 6});
  std::vector<std::string> expected_paths = {dir.file("out_1.csv"), dir.file("out_2.csv")};
  CHECK(out->paths() == expected_paths);
  write_small_run(*out);

  const std::string expected =
      "# mcmc_version = 0.1.0\n"
      "# mcmc_commit = 0123456789abcdef0123456789abcdef01234567\n"
      "# model = normal_model\n"
      "# method = sample (Default)\n"
      "#   sample\n"
      "#     num_samples = 2\n"
      "#     num_warmup = 1000 (Default)\n"
      "#     adapt\n"
      "#       delta = 0.9\n"
      "#   id = 1 (Default)\n"
      "#   random\n"
      "#     seed = 42\n"
      "lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,mu,theta.1\n"
      "# Adaptation terminated\n"
      "# Step size = 0.893542\n"
      "# Diagonal elements of inverse mass matrix:\n"
      "# 0.483503, 1.2\n"
      "-7.12345,0.95,0.893542,2,3,0,7.5,0.243678,nan\n"
      "-6.74827,1,0.893542,10,1023,1,8.25,1e-05,-inf\n"
      "# \n"
      "#  Elapsed Time: 0.005 seconds (Warm-up)\n"
      "#                0.013 seconds (Sampling)\n"
      "#                0.018 seconds (Total)\n"
      "# \n"
      "# gradient_evaluations = 123\n"
      "# lockstep_group = 0\n"
      "# lockstep_paid = 200\n"
      "# lockstep_useful = 123\n"
      "# lockstep_efficiency = 0.615\n";
  auto got = lines_of(slurp(expected_paths[0]));
  auto want = lines_of(expected);
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    INFO("line " << i + 1);
    CHECK(got[i] == want[i]);
  }
  CHECK(slurp(expected_paths[0]).back() == '\n');

  // the second chain names itself and has no lockstep lines
  std::string second = slurp(expected_paths[1]);
  CHECK(second.find("#   id = 2\n") != std::string::npos);
  CHECK(second.find("1.24368,nan\n") != std::string::npos);
  CHECK(second.find("lockstep") == std::string::npos);
  CHECK(second.find("# gradient_evaluations = 123\n") != std::string::npos);
}

TEST_CASE("one chain writes the path as given; missing id and seed are added") {
  TempDir dir("csv1");
  auto out = open_output({dir.file("fit.csv"), "csv", 1, 3});
  CHECK(out->paths() == std::vector<std::string>{dir.file("fit.csv")});
  RunHeader h;
  h.mcmc_version = "1.2.3";
  h.mcmc_commit = "unknown";
  h.model_name = "m";
  h.sampler_columns = {"lp__"};
  h.param_columns = {"x"};
  ChainSink& s = out->chain(0);
  s.begin(h, 1, 7);
  s.draw(std::vector<double>{-1.23456, 3.14159});
  ChainFooter f;
  f.complete = false;
  s.end(f);
  out->finalize();
  auto lines = lines_of(slurp(dir.file("fit.csv")));
  REQUIRE(lines.size() == 14);
  CHECK(lines[0] == "# mcmc_version = 1.2.3");
  CHECK(lines[1] == "# mcmc_commit = unknown");
  CHECK(lines[2] == "# model = m");
  CHECK(lines[3] == "# id = 1");
  CHECK(lines[4] == "# seed = 7");
  CHECK(lines[5] == "lp__,x");
  CHECK(lines[6] == "-1.23,3.14");  // sig_figs = 3
  CHECK(lines[8] == "#  Elapsed Time: 0 seconds (Warm-up)");
  CHECK(lines[13] == "# interrupted = 1");
}

TEST_CASE("writing to a full disk is an I/O error naming the file") {
  REQUIRE(fs::exists("/dev/full"));
  StanCsvSink sink(LineFile::create("/dev/full"), 6);
  try {
    sink.begin(test_header(), 1, 1);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::Io);
    CHECK(std::string(e.what()) == "cannot write '/dev/full': No space left on device");
  }
}

TEST_CASE("open_output checks the directory before sampling") {
  auto io_message = [](const OutputOptions& o) -> std::string {
    try {
      open_output(o);
    } catch (const Error& e) {
      CHECK(e.code() == ExitCode::Io);
      return e.what();
    }
    FAIL("no error");
    return "";
  };
  CHECK(io_message({"/nonexistent_dir_xyz/out.csv", "csv", 1, 6}) ==
        "output directory '/nonexistent_dir_xyz' does not exist");
  CHECK(io_message({"/dev/null/out.csv", "csv", 1, 6}) == "output directory '/dev/null' is not a directory");
  if (::geteuid() != 0) {  // root may write anywhere
    TempDir dir("ro");
    fs::permissions(dir.path, fs::perms::owner_read | fs::perms::owner_exec);
    CHECK(io_message({dir.file("out.csv"), "csv", 1, 6}) == "output directory '" + dir.path.string() +
                                                             "' is not writable");
    fs::permissions(dir.path, fs::perms::owner_all);
  }
  TempDir dir("isdir");
  fs::create_directories(dir.path / "out.csv");
  CHECK(io_message({dir.file("out.csv"), "csv", 1, 6}) ==
        "cannot open output file '" + dir.file("out.csv") + "': Is a directory");
  try {
    open_output({dir.file("o.txt"), "xml", 1, 6});
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::Usage);
  }
}

TEST_CASE("JSON output holds every chain and parses back") {
  TempDir dir("json");
  auto out = open_output({dir.file("out.json"), "json", 2, 6});
  CHECK(out->paths() == std::vector<std::string>{dir.file("out.json")});
  write_small_run(*out);
  // no temporary files are left next to the output
  CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);

  auto j = nlohmann::json::parse(slurp(dir.file("out.json")));
  CHECK(j["format"] == "mcmc-draws");
  CHECK(j["format_version"] == 1);
  CHECK(j["mcmc_version"] == "0.1.0");
  CHECK(j["mcmc_commit"] == "0123456789abcdef0123456789abcdef01234567");
  CHECK(j["model"] == "normal_model");
  CHECK(j["algorithm"] == "nuts");
  CHECK(j["config"]["method"] == "sample");
  CHECK(j["config"]["method.sample.num_samples"] == "2");
  CHECK(j["config"]["method.sample.adapt.delta"] == "0.9");
  CHECK(j["config"]["method.random.seed"] == "42");
  CHECK(j["config_user_set"] == nlohmann::json::array({"method.sample.num_samples", "method.sample.adapt.delta",
                                                       "method.random.seed"}));
  REQUIRE(j["columns"].size() == 9);
  CHECK(j["columns"][0] == "lp__");
  CHECK(j["columns"][8] == "theta.1");
  CHECK(j["num_sampler_columns"] == 7);
  REQUIRE(j["chains"].size() == 2);
  for (int c = 0; c < 2; ++c) {
    const auto& ch = j["chains"][c];
    CHECK(ch["chain_id"] == c + 1);
    CHECK(ch["seed"] == 42);
    CHECK(ch["num_draws"] == 2);
    CHECK(ch["adaptation"]["step_size"].get<double>() == 0.8935421);
    CHECK(ch["adaptation"]["inv_metric"][0].get<double>() == 0.4835031);
    REQUIRE(ch["draws"].size() == 2);
    CHECK(ch["draws"][0][0].get<double>() == -7.123454);  // full precision, not sig_figs
    CHECK(ch["draws"][0][7].get<double>() == 0.2436784 + c);
    CHECK(ch["draws"][0][8] == "NaN");
    CHECK(ch["draws"][1][4] == 1023);
    CHECK(ch["draws"][1][7].get<double>() == 1e-5);
    CHECK(ch["draws"][1][8] == "-Inf");
    CHECK(ch["footer"]["gradient_evaluations"] == 123);
    CHECK(ch["footer"]["warmup_seconds"].get<double>() == 0.0051);
    CHECK(ch["footer"]["divergences"] == 1);
    CHECK(ch["footer"]["complete"] == true);
  }
  CHECK(j["chains"][0]["footer"]["lockstep_paid"] == 200);
  CHECK(j["chains"][0]["footer"]["lockstep_efficiency"].get<double>() == doctest::Approx(0.615));
  CHECK(j["chains"][1]["footer"]["lockstep_paid"].is_null());
}

TEST_CASE("JSON output with a chain that never started") {
  TempDir dir("json0");
  auto out = open_output({dir.file("out.json"), "json", 2, 6});
  RunHeader h = test_header();
  out->chain(1).begin(h, 2, 9);
  out->finalize();
  auto j = nlohmann::json::parse(slurp(dir.file("out.json")));
  CHECK(j["model"] == "normal_model");
  CHECK(j["chains"][0]["chain_id"] == 1);
  CHECK(j["chains"][0]["seed"].is_null());
  CHECK(j["chains"][0]["draws"].empty());
  CHECK(j["chains"][0]["footer"].is_null());
  CHECK(j["chains"][1]["seed"] == 9);
  CHECK(j["chains"][1]["adaptation"].is_null());
}

TEST_CASE("JSON output destroyed without finalize still holds valid JSON") {
  TempDir dir("json_nofinal");
  {
    auto out = open_output({dir.file("out.json"), "json", 1, 6});
    RunHeader h = test_header();
    out->chain(0).begin(h, 1, 5);
    out->chain(0).draw(std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9});
  }
  auto j = nlohmann::json::parse(slurp(dir.file("out.json")));
  CHECK(j["chains"][0]["num_draws"] == 1);
  CHECK(j["chains"][0]["draws"][0][8] == 9);
  CHECK(j["chains"][0]["footer"].is_null());
}

// End-to-end: the help texts list every option, and the TOML run configurations in configs/ run (command-line values win).
#include <doctest/doctest.h>

#include "cli_harness.hpp"

using namespace cli_test;

namespace {

std::vector<std::string> plus(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

TEST_CASE("mcmc --help and mcmc run --help exit 0 and name every option") {
  const Result top = run_mcmc({"--help"});
  CHECK(top.code == 0);
  for (const char* word : {"--help", "--version", "--config", "run", "parse", "Subcommands"}) {
    CAPTURE(word);
    CHECK(contains(top.out, word));
  }

  const Result run = run_mcmc({"run", "--help"});
  CHECK(run.code == 0);
  for (const char* option :
       {"model",          "--data",          "-d,",           "--chains",          "-c,",          "--warmup",
        "--samples",      "--thin",          "--save-warmup", "--algorithm",       "--steps",      "--jitter",
        "--max-depth",    "--step-size",     "--inv-mass",    "--target-accept",   "--adapt-gamma", "--adapt-kappa",
        "--adapt-t0",     "--adapt-init-buffer", "--adapt-term-buffer", "--adapt-window", "--init",   "--seed",
        "--mode",         "--threads",       "-j,",           "--output",          "-o,",          "--format",
        "--sig-figs",     "--percentiles",   "--quiet",       "-q,",               "--config",
        "--max-rhat",     "--min-ess",       "--max-divergences"}) {
    CAPTURE(option);
    CHECK(contains(run.out, option));
  }
}

TEST_CASE("every configuration in configs/ runs, echoing its settings, with command-line overrides") {
  struct Config {
    const char* file;
    const char* mode;
    const char* engine;
  };
  for (const Config& cfg : {Config{"configs/seed.toml", "parallel", "nuts"},
                            Config{"configs/seed-parallel.toml", "parallel", "nuts"},
                            Config{"configs/seed-vmap.toml", "vmap", "nuts"},
                            Config{"configs/seed-hmc-parallel.toml", "parallel", "static"},
                            Config{"configs/seed-hmc-vmap.toml", "vmap", "static"}}) {
    CAPTURE(cfg.file);
    TempDir dir;
    // --samples 20 overrides the file's 2000.
    const Result r = run_mcmc({"run", "--config", cfg.file, "--samples", "20", "--seed", "3", "--quiet", "--output",
                               dir / "out.csv"});
    INFO("stderr: " << r.err);
    REQUIRE(r.code == 0);
    const std::vector<StanCsv> chains = read_chains(dir.path(), "out", 4);
    CHECK_FALSE(fs::exists(dir / "out_5.csv"));
    for (const StanCsv& c : chains) {
      CHECK(c.rows.size() == 20);
      CHECK(c.config_value("num_samples") == "20");
      CHECK(c.config_value("num_warmup") == "0");
      CHECK(c.config_value("engine") == cfg.engine);
      CHECK(c.config_value("stepsize") == "0.001");
      CHECK(c.config_value("inv_metric") == "0.5,0.01");
      CHECK(c.config_value("init") == "configs/../models/normal_logscale.init.json");  // relative to the file
      CHECK(c.config_value("mode") == cfg.mode);
      CHECK(c.config_value("file") == "configs/../models/normal_logscale.data.json");
      CHECK(c.config_value("num_chains") == "4");
      if (std::string(cfg.engine) == "static") CHECK(c.config_value("steps") == "64");
      for (double s : c.values("stepsize__")) CHECK(s == 0.001);
    }
  }
}

TEST_CASE("a configuration file sets exactly what the same options on the command line set") {
  const std::vector<std::string> seed_run = {"run",        "models/normal_logscale.stan",
                                             "--data",     "models/normal_logscale.data.json",
                                             "--chains",   "4",
                                             "--warmup",   "0",
                                             "--step-size", "1e-3",
                                             "--inv-mass", "0.5,0.01",
                                             "--init",     "models/normal_logscale.init.json",
                                             "--samples",  "20",
                                             "--seed",     "8",
                                             "--quiet"};
  auto draws = [](const std::vector<std::string>& args) {
    TempDir dir;
    const Result r = run_mcmc(plus(args, {"--output", dir / "out.csv"}));
    INFO("stderr: " << r.err);
    REQUIRE(r.code == 0);
    return all_draw_lines(read_chains(dir.path(), "out", 4));
  };
  const std::vector<std::string> overrides = {"--samples", "20", "--seed", "8", "--quiet"};
  CHECK(draws(plus({"run", "--config", "configs/seed.toml"}, overrides)) == draws(seed_run));
  // From another folder: the file's paths are relative to the file, not to the working directory.
  {
    TempDir dir;
    std::string command = "cd " + shell_quote(dir.path().string()) + " && " + shell_quote(kBinary) + " run --config " +
                          shell_quote(kRoot + "/configs/seed.toml") + " --output out.csv";
    for (const std::string& o : overrides) command += " " + o;
    const Result r = run_shell(command);
    INFO("stderr: " << r.err);
    REQUIRE(r.code == 0);
    CHECK(all_draw_lines(read_chains(dir.path(), "out", 4)) == draws(seed_run));
  }
  CHECK(draws(plus({"run", "--config", "configs/seed-hmc-vmap.toml"}, overrides)) ==
        draws(plus(seed_run, {"--algorithm", "hmc", "--steps", "64", "--mode", "vmap"})));
}

TEST_CASE("configuration file errors are usage errors") {
  TempDir dir;
  write_text(dir / "typo.toml", "[run]\nmodel = \"models/normal_logscale.stan\"\nchians = 4\n");
  const Result typo = run_mcmc({"run", "--config", dir / "typo.toml"});
  CHECK(typo.code == 2);
  CHECK(contains(typo.err, "chians"));

  const Result missing = run_mcmc({"run", "--config", dir / "missing.toml"});
  CHECK(missing.code == 2);
  CHECK(contains(missing.err, "missing.toml"));
}

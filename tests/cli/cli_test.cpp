// End-to-end: `mcmc run` on the seed model writes CmdStan-layout CSV files whose draws match the exact posterior (and rstan reads them).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>

#include "cli_harness.hpp"
#include "diag/diagnostics.hpp"

using namespace cli_test;

namespace {

/// Pools one column of all chains for the diagnostics.
mcmc::diag::Chains column_chains(const std::vector<std::vector<double>>& columns) {
  mcmc::diag::Chains out;
  for (const auto& c : columns) out.emplace_back(c);
  return out;
}

double pooled_mean(const std::vector<std::vector<double>>& columns) {
  double sum = 0;
  std::size_t n = 0;
  for (const auto& c : columns) {
    sum = std::accumulate(c.begin(), c.end(), sum);
    n += c.size();
  }
  return sum / static_cast<double>(n);
}

/// The seed data set, y of models/normal_logscale.data.json (read without the project's reader).
std::vector<double> seed_data_y() {
  const std::string text = read_text(kRoot + "/models/normal_logscale.data.json");
  const std::size_t open = text.find('[', text.find("\"y\""));
  const std::size_t close = text.find(']', open);
  std::vector<double> y;
  for (const std::string& cell : split(text.substr(open + 1, close - open - 1), ',')) y.push_back(std::stod(cell));
  return y;
}

/// The posterior mean of sigma = exp(log_scale) under models/normal_logscale.stan. The model is
/// y ~ normal(loc, sigma) with a flat prior on (loc, sigma) (`target += log_scale` is the Jacobian
/// of sigma = exp(log_scale)). Integrating loc out leaves p(sigma | y) ∝ sigma^-(N-1) exp(-SS / (2 sigma^2)),
/// SS = sum (y - mean y)^2, i.e. sigma^2 ~ inverse-gamma((N-2)/2, SS/2), so
/// E[sigma | y] = sqrt(SS/2) Gamma((N-3)/2) / Gamma((N-2)/2): slightly above the sample sd sqrt(SS/(N-1)).
double exact_posterior_mean_sigma(const std::vector<double>& y) {
  const double n = static_cast<double>(y.size());
  const double ybar = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double ss = 0;
  for (double v : y) ss += (v - ybar) * (v - ybar);
  return std::sqrt(ss / 2) * std::exp(std::lgamma((n - 3) / 2) - std::lgamma((n - 2) / 2));
}

}  // namespace

TEST_CASE("mcmc run writes one CmdStan-layout CSV file per chain with draws from the right posterior") {
  TempDir dir;
  const Result r = run_mcmc({"run", "models/normal_logscale.stan", "--data", "models/normal_logscale.data.json",
                             "--seed", "1", "--output", dir / "out.csv"});
  INFO("stderr: " << r.err);
  REQUIRE(r.code == 0);
  CHECK(contains(r.out, "4 chains, 1000 draws each"));
  for (int c = 1; c <= 4; ++c) REQUIRE(fs::exists(dir / ("out_" + std::to_string(c) + ".csv")));
  CHECK_FALSE(fs::exists(dir / "out_5.csv"));
  CHECK_FALSE(fs::exists(dir / "out.csv"));

  const std::vector<StanCsv> chains = read_chains(dir.path(), "out", 4);
  const std::vector<std::string> expected_header = {"lp__",        "accept_stat__", "stepsize__",
                                                    "treedepth__", "n_leapfrog__",  "divergent__",
                                                    "energy__",    "loc",           "log_scale"};
  std::vector<std::vector<double>> loc, sigma;
  for (std::size_t c = 0; c < chains.size(); ++c) {
    const StanCsv& csv = chains[c];
    CAPTURE(c);
    CHECK(csv.header == expected_header);
    REQUIRE(csv.rows.size() == 1000);

    // The configuration echo: the program's version and commit (version_test.cpp), the model
    // name, the seed and chain id, defaults marked.
    REQUIRE(csv.config.size() > 3);
    CHECK(starts_with(csv.config[0], "# mcmc_version = "));
    CHECK(starts_with(csv.config[1], "# mcmc_commit = "));
    CHECK(csv.config[2] == "# model = normal_logscale_model");
    CHECK(csv.config_value("seed") == "1");
    CHECK(csv.config_value("id") == std::to_string(c + 1));
    CHECK(csv.config_value("num_samples") == "1000");
    CHECK(csv.config_value("num_warmup") == "1000");
    CHECK(csv.config_value("engine") == "nuts");
    CHECK(csv.config_value("file") == "models/normal_logscale.data.json");
    CHECK(std::find(csv.config.begin(), csv.config.end(), "#     num_samples = 1000 (Default)") != csv.config.end());
    CHECK(std::find(csv.config.begin(), csv.config.end(), "#   seed = 1") != csv.config.end());

    // The adaptation block between the header and the draws, as CmdStan writes it.
    REQUIRE(csv.adaptation.size() == 4);
    CHECK(csv.adaptation[0] == "# Adaptation terminated");
    REQUIRE(starts_with(csv.adaptation[1], "# Step size = "));
    const double step_size = std::stod(csv.adaptation[1].substr(14));
    CHECK(step_size > 0);
    for (double s : csv.values("stepsize__")) CHECK(s == doctest::Approx(step_size).epsilon(1e-5));
    CHECK(csv.adaptation[2] == "# Diagonal elements of inverse mass matrix:");
    const std::vector<std::string> metric = split(csv.adaptation[3].substr(2), ',');
    REQUIRE(metric.size() == 2);
    for (const std::string& m : metric) CHECK(std::stod(m) > 0);

    // The timing block at the end.
    REQUIRE(csv.footer.size() >= 5);
    CHECK(csv.footer[0] == "# ");
    CHECK(starts_with(csv.footer[1], "#  Elapsed Time: "));
    CHECK(contains(csv.footer[1], " seconds (Warm-up)"));
    CHECK(contains(csv.footer[2], " seconds (Sampling)"));
    CHECK(contains(csv.footer[3], " seconds (Total)"));
    const double warm = std::stod(csv.footer[1].substr(csv.footer[1].find(':') + 1));
    const double samp = std::stod(csv.footer[2].substr(1));
    const double total = std::stod(csv.footer[3].substr(1));
    CHECK(total == doctest::Approx(warm + samp).epsilon(1e-6));

    // Sampler columns hold what they must.
    for (const auto& row : csv.rows) {
      CHECK(row[1] >= 0.0);
      CHECK(row[1] <= 1.0);
      CHECK(row[3] == std::floor(row[3]));
      CHECK(row[3] <= 10);
      CHECK(row[4] >= 1);
      // Stan counts the doublings kept: the last, rejected subtree (a U-turn inside it) adds at
      // most 2^depth steps to the 2^depth - 1 of the kept tree.
      CHECK(row[4] <= std::pow(2.0, row[3] + 1) - 1);
      CHECK((row[5] == 0 || row[5] == 1));
      CHECK(row[6] >= -row[0] - 1e-3);  // energy = -lp + kinetic energy, kinetic >= 0 (values at 6 digits)
    }
    loc.push_back(csv.values("loc"));
    std::vector<double> s;
    for (double v : csv.values("log_scale")) s.push_back(std::exp(v));
    sigma.push_back(std::move(s));
  }

  // Posterior means against the exact posterior, within 3 Monte Carlo standard errors
  // (MCSE = sd / sqrt(ESS), ESS estimated from the draws as R's posterior does).
  const std::vector<double> y = seed_data_y();
  REQUIRE(y.size() == 1000);
  const double ybar = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(y.size());
  const double loc_mean = pooled_mean(loc);
  const double loc_mcse = mcmc::diag::mcse_mean(column_chains(loc));
  CAPTURE(loc_mean);
  CAPTURE(loc_mcse);
  CHECK(loc_mcse > 0);
  CHECK(loc_mcse < 0.05);  // 4000 draws of a posterior with sd ~0.65
  CHECK(std::abs(loc_mean - ybar) < 3 * loc_mcse);  // E[loc | y] = mean(y) exactly (flat prior)

  double ss = 0;
  for (double v : y) ss += (v - ybar) * (v - ybar);
  const double sd_y = std::sqrt(ss / static_cast<double>(y.size() - 1));
  const double sigma_exact = exact_posterior_mean_sigma(y);
  CHECK(sigma_exact > sd_y);  // the posterior of sigma sits slightly above the sample sd ...
  CHECK(sigma_exact < sd_y * 1.01);  // ... by well under 1% with N = 1000
  const double sigma_mean = pooled_mean(sigma);
  const double sigma_mcse = mcmc::diag::mcse_mean(column_chains(sigma));
  CAPTURE(sigma_mean);
  CAPTURE(sigma_mcse);
  CHECK(sigma_mcse > 0);
  CHECK(std::abs(sigma_mean - sigma_exact) < 3 * sigma_mcse);

  // rstan reads the four files and agrees on the draws.
  const Result rs = run_shell("Rscript " + shell_quote(kRoot + "/tests/cli/read_stan_csv.R") + " " +
                              shell_quote(dir / "out_1.csv") + " " + shell_quote(dir / "out_2.csv") + " " +
                              shell_quote(dir / "out_3.csv") + " " + shell_quote(dir / "out_4.csv"));
  if (rs.code == 127 || contains(rs.out, "NO_RSTAN")) {
    MESSAGE("skipped the rstan check: Rscript or the rstan package is not available");
  } else {
    INFO("Rscript stderr: " << rs.err);
    REQUIRE(rs.code == 0);
    std::istringstream in(rs.out);
    double r_mean = 0;
    long r_draws = 0, r_chains = 0;
    in >> r_mean >> r_draws >> r_chains;
    REQUIRE_FALSE(in.fail());
    CHECK(r_draws == 4000);
    CHECK(r_chains == 4);
    CHECK(r_mean == doctest::Approx(loc_mean).epsilon(1e-12));
  }
}

TEST_CASE("messages and defaults a new user meets") {
  SUBCASE("no --output: a note says nothing is written") {
    const Result r = run_mcmc({"run", "models/normal_logscale.stan", "--data", "models/normal_logscale.data.json",
                               "--seed", "1", "--samples", "100", "--warmup", "100"});
    REQUIRE(r.code == 0);
    CHECK(contains(r.err, "note: no --output given: the draws are summarized, not written"));
  }
  SUBCASE("Usage names the command, not the path it was started by") {
    const Result r = run_mcmc({"run", "--help"});
    CHECK(contains(r.out, "Usage: mcmc run [OPTIONS] model"));
  }
  SUBCASE("one chain is 'chain', the echo of an unset metric is 'unit'") {
    TempDir dir;
    const Result r = run_mcmc({"run", "models/normal_logscale.stan", "--data", "models/normal_logscale.data.json",
                               "--seed", "1", "--chains", "1", "--samples", "100", "--warmup", "100", "-o", dir / "o.csv"});
    REQUIRE(r.code == 0);
    CHECK(contains(r.out, "1 chain, 100 draws each"));
    CHECK(read_stan_csv(dir / "o.csv").config_value("inv_metric") == "unit");
  }
  SUBCASE("R-hat above 1.01: a warning on stderr, exit 0 without a gate") {
    // Two chains of 20 draws without warm-up from spread-out starting points: not mixed.
    const Result r = run_mcmc({"run", "models/normal_logscale.stan", "--data", "models/normal_logscale.data.json",
                               "--seed", "2", "--samples", "20", "--warmup", "0", "--step-size", "0.01", "--init", "2"});
    CHECK(r.code == 0);
    CHECK(contains(r.err, "warning: R-hat: "));
    CHECK(contains(r.err, "have R-hat above 1.01"));
  }
}

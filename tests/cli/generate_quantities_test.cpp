// Tests of `mcmc generate-quantities`: regenerating a run's generated quantities, new quantities' distribution,
// CmdStan/rstan fits, and fits that do not match the model.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "cli_harness.hpp"

using namespace cli_test;

namespace {

const std::string kData = R"({"N": 8, "y": [1.2, 0.4, 2.3, 1.9, 0.8, 1.5, 2.8, 1.1]})";
const std::string kModel = R"(data { int N; vector[N] y; }
parameters { real mu; real<lower=0> sigma; }
model { mu ~ normal(0, 10); sigma ~ exponential(1); y ~ normal(mu, sigma); }
generated quantities {
  real z = (y[1] - mu) / sigma;
  real y_rep = normal_rng(mu, sigma);
}
)";

std::vector<double> column(const StanCsv& csv, const std::string& name) { return csv.values(name); }

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

}  // namespace

TEST_CASE("generate-quantities with the run's model and seed reproduces the run's generated quantities") {
  TempDir dir;
  write_text(dir / "m.stan", kModel);
  write_text(dir / "d.json", kData);
  // 18 significant digits: the draws exactly as doubles, so the parameters go back unchanged.
  const Result run = run_mcmc({"run", dir / "m.stan", "--data", dir / "d.json", "--seed", "11", "--chains", "2",
                               "--thin", "2", "--sig-figs", "18", "--output", dir / "fit.csv", "--quiet"});
  REQUIRE(run.code == 0);
  const Result gq = run_mcmc({"generate-quantities", dir / "m.stan", "--data", dir / "d.json", "--fitted-params",
                              dir / "fit_1.csv", dir / "fit_2.csv", "--sig-figs", "18", "--output", dir / "gq.csv"});
  INFO(gq.err);
  REQUIRE(gq.code == 0);
  for (int c = 1; c <= 2; ++c) {
    const StanCsv fit = parse_stan_csv(read_text(dir / ("fit_" + std::to_string(c) + ".csv")));
    const StanCsv out = parse_stan_csv(read_text(dir / ("gq_" + std::to_string(c) + ".csv")));
    CHECK(out.header == fit.header);  // the same columns as the run: sampler columns, parameters, quantities
    REQUIRE(out.rows.size() == fit.rows.size());
    for (const char* name : {"lp__", "mu", "sigma", "z", "y_rep"}) {
      const std::vector<double> a = column(fit, name), b = column(out, name);
      for (std::size_t i = 0; i < a.size(); ++i)
        REQUIRE_MESSAGE(b[i] == doctest::Approx(a[i]).epsilon(1e-12), name << " draw " << i + 1 << " chain " << c);
    }
    CHECK(out.config_value("method") == "generate_quantities");
  }
  // Reproducible: the same files again.
  const Result again = run_mcmc({"generate-quantities", dir / "m.stan", "--data", dir / "d.json", "--fitted",
                                 dir / "fit_1.csv", dir / "fit_2.csv", "--sig-figs", "18", "-o", dir / "again.csv"});
  REQUIRE(again.code == 0);
  CHECK(parse_stan_csv(read_text(dir / "again_2.csv")).draw_lines ==
        parse_stan_csv(read_text(dir / "gq_2.csv")).draw_lines);
  // Another seed: other predictive draws, the same deterministic quantities.
  REQUIRE(run_mcmc({"generate-quantities", dir / "m.stan", "--data", dir / "d.json", "--fitted", dir / "fit_1.csv",
                    dir / "fit_2.csv", "--seed", "12", "--sig-figs", "18", "-o", dir / "other.csv"}).code == 0);
  const StanCsv other = parse_stan_csv(read_text(dir / "other_1.csv")), first = parse_stan_csv(read_text(dir / "gq_1.csv"));
  CHECK(column(other, "z") == column(first, "z"));
  CHECK(column(other, "y_rep") != column(first, "y_rep"));
}

TEST_CASE("generate-quantities: new quantities of a JSON fit have the posterior predictive distribution") {
  TempDir dir;
  const std::string fit_model = R"(data { int N; vector[N] y; }
parameters { real mu; real<lower=0> sigma; }
model { mu ~ normal(0, 10); sigma ~ exponential(1); y ~ normal(mu, sigma); }
)";
  write_text(dir / "fit.stan", fit_model);
  write_text(dir / "gq.stan", fit_model + "generated quantities { real y_rep = normal_rng(mu, sigma); }\n");
  write_text(dir / "d.json", kData);
  REQUIRE(run_mcmc({"run", dir / "fit.stan", "--data", dir / "d.json", "--seed", "3", "--samples", "2000",
                    "--format", "json", "--output", dir / "fit.json", "--quiet"}).code == 0);
  const Result gq = run_mcmc({"generate-quantities", dir / "gq.stan", "--data", dir / "d.json", "--fitted-params",
                              dir / "fit.json", "--output", dir / "gq.csv"});
  INFO(gq.err);
  REQUIRE(gq.code == 0);
  std::vector<double> rep, mu, sigma;
  for (int c = 1; c <= 4; ++c) {
    const StanCsv out = parse_stan_csv(read_text(dir / ("gq_" + std::to_string(c) + ".csv")));
    for (double v : column(out, "y_rep")) rep.push_back(v);
    for (double v : column(out, "mu")) mu.push_back(v);
    for (double v : column(out, "sigma")) sigma.push_back(v);
  }
  REQUIRE(rep.size() == 8000);
  // y_rep = mu + sigma z: mean E[mu], variance Var(mu) + E[sigma^2]. Its draws are independent given
  // the parameters; the Monte Carlo error of the mean is below 4 sd / sqrt(2000) even with correlated mu.
  const double m = mean(mu);
  double var_mu = 0, e_sigma2 = 0, var_rep = 0;
  for (double v : mu) var_mu += (v - m) * (v - m);
  var_mu /= static_cast<double>(mu.size() - 1);
  for (double s : sigma) e_sigma2 += s * s / static_cast<double>(sigma.size());
  const double rep_mean = mean(rep);
  for (double v : rep) var_rep += (v - rep_mean) * (v - rep_mean);
  var_rep /= static_cast<double>(rep.size() - 1);
  const double sd = std::sqrt(var_mu + e_sigma2);
  CHECK(std::abs(rep_mean - m) < 4 * sd / std::sqrt(2000.0));
  CHECK(std::sqrt(var_rep) == doctest::Approx(sd).epsilon(0.06));
}

TEST_CASE("generate-quantities of rstan's eight schools fit, and a fit that does not match the model") {
  TempDir dir;
  const std::string fixtures = kRoot + "/tests/diag/fixtures/stan/";
  write_text(dir / "es.stan", R"(data { int<lower=0> J; array[J] real y; array[J] real<lower=0> sigma; }
parameters { real mu; real<lower=0> tau; vector[J] theta; }
model { mu ~ normal(0, 5); tau ~ cauchy(0, 5); theta ~ normal(mu, tau); y ~ normal(theta, sigma); }
generated quantities { real theta_bar = mean(theta); array[J] real y_rep = normal_rng(theta, sigma); }
)");
  write_text(dir / "es.json", R"({"J": 8, "y": [28, 8, -3, 7, -1, 1, 18, 12], "sigma": [15, 10, 16, 11, 9, 11, 10, 18]})");
  const Result r = run_mcmc({"generate-quantities", dir / "es.stan", "--data", dir / "es.json", "--fitted-params",
                             fixtures + "eight_schools_1.csv", fixtures + "eight_schools_2.csv", "-o", dir / "gq.csv"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  const StanCsv out = parse_stan_csv(read_text(dir / "gq_1.csv"));
  const StanCsv fit = parse_stan_csv(read_text(fixtures + "eight_schools_1.csv"));
  REQUIRE(out.rows.size() == 200);
  CHECK(out.config_value("seed") == "20261127");  // rstan's seed, recorded
  const std::vector<double> bar = column(out, "theta_bar");
  for (std::size_t i = 0; i < bar.size(); ++i) {
    double s = 0;
    for (int j = 1; j <= 8; ++j) s += fit.values("theta." + std::to_string(j))[i];
    REQUIRE(bar[i] == doctest::Approx(s / 8).epsilon(1e-5));
  }
  CHECK(contains(read_text(dir / "gq_1.csv"), "y_rep.8"));
  // A model whose parameters the fit does not have: refused, naming the column.
  write_text(dir / "other.stan", "parameters { real mu; real<lower=0> omega; } model { omega ~ exponential(1); }\n");
  const Result bad = run_mcmc({"generate-quantities", dir / "other.stan", "--fitted-params", fixtures + "eight_schools_1.csv",
                               "-o", dir / "bad.csv"});
  CHECK(bad.code == 3);
  CHECK(contains(bad.err, "no column 'omega'"));
  CHECK(contains(bad.err, "eight_schools_1.csv"));
  // No seed recorded and none given.
  write_text(dir / "noseed.csv", "lp__,mu\n0,1\n0,2\n");
  const Result noseed = run_mcmc({"generate-quantities", dir / "other.stan", "--fitted-params", dir / "noseed.csv",
                                  "-o", dir / "x.csv"});
  CHECK(noseed.code == 2);
  CHECK(contains(noseed.err, "give --seed"));
}

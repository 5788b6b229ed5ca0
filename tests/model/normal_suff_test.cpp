// The sufficient-statistics rewrite of normal(y | mu, sigma) for data y gives the elementwise value and gradient to 1e-12.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "tests/model/model_test_util.hpp"

using mcmc::test::compile;
using mcmc::test::Data;
using mcmc::test::logp_grad;

namespace {

struct Pair {
  std::shared_ptr<const mcmc::model::Model> suff, direct;
};

// The same density twice: scalar mu (rewritten) and mu repeated into a vector (elementwise).
Pair compile_pair(const std::string& statement, const Data& d) {
  auto make = [&](const std::string& mu) {
    std::string s = statement;
    s.replace(s.find("MU"), 2, mu);
    return compile("data { int N; vector[N] y; real<lower=0> sd_data; }\n"
                   "parameters { real mu; real<lower=0> sigma; }\nmodel { " + s + " }\n",
                   d.set);
  };
  return {make("mu"), make("rep_vector(mu, N)")};
}

}  // namespace

TEST_CASE("normal by sufficient statistics equals the elementwise evaluation in a compiled model") {
  struct DataCase {
    std::size_t n;
    double mean, sd;
  };
  const DataCase cases[] = {{10, 0.5, 2}, {1000, -3, 0.5}, {100000, 1, 1}, {1000, 1e6, 1e-2}, {100000, 1e6, 0.5}};
  const char* statements[] = {
      "y ~ normal(MU, sigma);",
      "target += normal_lpdf(y | MU, sigma);",
      "y ~ normal(MU, sd_data);",
      "target += normal_lpdf(y | MU, sd_data);",
  };
  std::mt19937_64 rng(2024);
  for (const DataCase& dc : cases) {
    std::normal_distribution<double> nd(dc.mean, dc.sd);
    std::vector<double> y(dc.n);
    for (double& v : y) v = nd(rng);
    Data d;
    d.scalar("N", static_cast<double>(dc.n)).vec("y", y).scalar("sd_data", dc.sd * 1.3);
    for (const char* st : statements) {
      Pair p = compile_pair(st, d);
      // The rewrite leaves a tape whose size does not grow with N.
      CHECK(p.suff->tape().num_slots() < 20);
      CHECK(p.direct->tape().num_slots() >= dc.n);
      for (double dmu : {0.05, -2.0})
        for (double ds : {0.0, 1.5}) {
          double mu = dc.mean + dmu * dc.sd, sigma = dc.sd * std::exp(ds);
          std::vector<double> q = {mu, std::log(sigma)}, gs, gd;
          double ls = logp_grad(*p.suff, q, gs), ld = logp_grad(*p.direct, q, gd);
          INFO(st << " n " << dc.n << " mean " << dc.mean << " sd " << dc.sd << " mu " << mu << " sigma "
                  << sigma << ": suff " << ls << " direct " << ld);
          CHECK(ls == doctest::Approx(ld).epsilon(1e-12));
          // Gradients cancel terms of both signs: compare on the scale of the terms.
          double s_used = std::string(st).find("sd_data") != std::string::npos ? dc.sd * 1.3 : sigma;
          double abs_mu = 0, ss = 0;
          for (double v : y) {
            abs_mu += std::fabs(v - mu) / (s_used * s_used);
            ss += (v - mu) * (v - mu) / (s_used * s_used);
          }
          CHECK(std::fabs(gs[0] - gd[0]) <= 1e-12 * abs_mu);
          CHECK(std::fabs(gs[1] - gd[1]) <= 1e-12 * (static_cast<double>(dc.n) + ss + 1));
        }
    }
  }
}

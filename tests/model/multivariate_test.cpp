// Multivariate distributions and GLMs (issue 15): values against R, gradients against central differences, batched against one-chain evaluation.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sampler/rng.hpp"
#include "tests/model/model_test_util.hpp"
#include "util/error.hpp"

using mcmc::test::compile;
using mcmc::test::Data;

namespace {

// The log density of a model whose only parameter z ~ std_normal() is evaluated at z = 0 (its
// term is then 0 without constants) plus `expr`.
double value_of(const std::string& expr) {
  auto m = compile("parameters { real z; }\nmodel { target += " + expr + "; z ~ std_normal(); }\n");
  return mcmc::test::logp(*m, {0.0});
}

}  // namespace

TEST_CASE("multivariate densities and GLMs: values against R") {
  // R: see the comment of each value; S <- matrix(c(2, 0.3, 0.3, 1), 2, 2), mu <- c(0.1, -0.3)
  // -0.5 * t(r) %*% solve(S) %*% r - 0.5 * log(det(S)) - log(2 * pi), r = c(0.2, 0.3) - mu
  const double mvn1 = -2.3431040801087715;
  CHECK(value_of("multi_normal_lpdf(to_vector({0.2, 0.3}) | to_vector({0.1, -0.3}), [[2, 0.3], [0.3, 1]])") ==
        doctest::Approx(mvn1).epsilon(1e-13));
  CHECK(value_of("multi_normal_cholesky_lpdf(to_vector({0.2, 0.3}) | to_vector({0.1, -0.3}), "
                 "cholesky_decompose([[2, 0.3], [0.3, 1]]))") == doctest::Approx(mvn1).epsilon(1e-13));
  // Two observations (an array of vectors) with one location: the sum of both.
  CHECK(value_of("multi_normal_lpdf({to_vector({0.2, 0.3}), to_vector({-1, 0.5})} | to_vector({0.1, -0.3}), "
                 "[[2, 0.3], [0.3, 1]])") == doctest::Approx(-5.2945851235683286).epsilon(1e-13));
  // lgamma(sum(al)) - sum(lgamma(al)) + sum((al - 1) * log(th))
  CHECK(value_of("dirichlet_lpdf(to_vector({0.2, 0.3, 0.5}) | to_vector({1.5, 2, 0.7}))") ==
        doctest::Approx(0.10772302168916603).epsilon(1e-13));
  // X <- matrix(c(0.2, -1, 0.3, 0.5), 2, 2); eta <- 0.4 + X %*% c(0.1, -0.3)
  const std::string glm_args = "[[0.2, 0.3], [-1, 0.5]], 0.4, to_vector({0.1, -0.3})";
  // sum(dbinom(c(1, 0), 1, plogis(eta), log = TRUE))
  CHECK(value_of("bernoulli_logit_glm_lpmf({1, 0} | " + glm_args + ")") ==
        doctest::Approx(-1.3126554063833935).epsilon(1e-13));
  // sum(dpois(c(1, 4), exp(eta), log = TRUE))
  CHECK(value_of("poisson_log_glm_lpmf({1, 4} | " + glm_args + ")") ==
        doctest::Approx(-4.8008562015400091).epsilon(1e-13));
  // sum(dnorm(c(1.5, -0.2), eta, 1.3, log = TRUE))
  CHECK(value_of("normal_id_glm_lpdf(to_vector({1.5, -0.2}) | " + glm_args + ", 1.3)") ==
        doctest::Approx(-2.8038481988946233).epsilon(1e-13));
}

TEST_CASE("multivariate densities and GLMs with parameter arguments: gradient, batched evaluation, ~ drops constants") {
  Data d;
  d.scalar("N", 4)
      .array("X", {4, 2}, {0.2, 0.3, -1, 0.5, 1.2, -0.7, 0.1, 0.9})
      .ints("b", {1, 0, 0, 1})
      .ints("k", {2, 0, 5, 1})
      .vec("y", {0.3, -1.2, 0.8, 2.1})
      .array("Y", {3, 2}, {0.2, 0.3, -1, 0.5, 0.7, 0.1});
  auto m = compile(R"(
data { int N; matrix[N, 2] X; array[N] int b; array[N] int k; vector[N] y; array[3] vector[2] Y; }
parameters {
  real a; vector[2] beta; real<lower=0> sigma; simplex[3] theta; vector<lower=0>[3] alpha;
  vector[2] mu; matrix[2, 2] B;
}
model {
  matrix[2, 2] S = B * B' + diag_matrix(rep_vector(0.5, 2));
  b ~ bernoulli_logit_glm(X, a, beta);
  k ~ poisson_log_glm(X, a, beta);
  y ~ normal_id_glm(X, a, beta, sigma);
  target += bernoulli_logit_glm_lpmf(b | X, rep_vector(a, N), beta);
  theta ~ dirichlet(alpha);
  target += dirichlet_lpdf(theta | alpha + 1);
  Y ~ multi_normal(mu, S);
  Y[1] ~ multi_normal_cholesky(mu, cholesky_decompose(S));
  target += multi_normal_lpdf(Y | Y[2], S) + multi_normal_cholesky_lpdf(Y[3] | mu, cholesky_decompose(S));
  alpha ~ gamma(2, 1);
  to_vector(B) ~ normal(0, 1);
}
)",
                   d.set);
  mcmc::test::check_gradient(*m, "multivariate model", 3, 0.7);
  CHECK(mcmc::test::check_batches(*m, 0.7, 5) == 0);

  // With a constant covariance, `~` drops the normalizing terms that `target +=` keeps.
  auto dropped = compile("parameters { vector[2] v; }\nmodel { v ~ multi_normal(rep_vector(0, 2), [[2, 0.3], [0.3, 1]]); }\n");
  auto kept = compile("parameters { vector[2] v; }\nmodel { target += multi_normal_lpdf(v | rep_vector(0, 2), [[2, 0.3], [0.3, 1]]); }\n");
  double diff = mcmc::test::logp(*kept, {0.3, -0.2}) - mcmc::test::logp(*dropped, {0.3, -0.2});
  CHECK(diff == doctest::Approx(-0.5 * std::log(2 - 0.09) - std::log(2 * M_PI)).epsilon(1e-13));
}

TEST_CASE("cholesky_factor_corr and lkj_corr_cholesky: gradient, batched evaluation, inverse transform, rstan's model") {
  const std::string dir = std::string(MCMC_SOURCE_DIR) + "/tests/stan/issue15/";
  std::ifstream in(dir + "multivariate.stan");
  std::stringstream ss;
  ss << in.rdbuf();
  auto m = compile(ss.str(), mcmc::io::read_data_json(dir + "multivariate.data.json"));
  REQUIRE(m->dim() == 19);  // cholesky_factor_corr[3]: 3 free coordinates
  mcmc::test::check_gradient(*m, "tests/stan/issue15/multivariate.stan", 3, 0.7);
  CHECK(mcmc::test::check_batches(*m, 0.7, 9) == 0);

  auto c = compile("parameters { cholesky_factor_corr[3] L; }\nmodel { L ~ lkj_corr_cholesky(2); }\n");
  REQUIRE(c->dim() == 3);
  // A valid factor: rows of unit length, lower triangular, positive diagonal.
  const double r = std::sqrt(1 - 0.09 - 0.09);
  mcmc::io::DataSet inits;
  inits.vars["L"] = {{3, 3}, {1, 0, 0, 0.6, 0.8, 0, 0.3, 0.3, r}, false};
  std::vector<double> u = c->init_point(&inits, std::vector<double>(3, 0.0));
  CHECK(u[0] == doctest::Approx(std::atanh(0.6)).epsilon(1e-13));
  CHECK(u[1] == doctest::Approx(std::atanh(0.3)).epsilon(1e-13));
  CHECK(u[2] == doctest::Approx(std::atanh(0.3 / std::sqrt(1 - 0.09))).epsilon(1e-13));
  mcmc::sampler::Rng rng(1, 0);
  std::vector<double> out;
  c->write_row(u, rng, out);
  const std::vector<double> want = {1, 0.6, 0.3, 0, 0.8, 0.3, 0, 0, r};  // column-major
  for (std::size_t i = 0; i < want.size(); ++i) CHECK(out[i] == doctest::Approx(want[i]).epsilon(1e-13).scale(1));
  inits.vars["L"] = {{3, 3}, {1, 0, 0, 0.6, 0.7, 0, 0.3, 0.3, r}, false};
  CHECK_THROWS_WITH_AS(c->init_point(&inits, std::vector<double>(3, 0.0)),
                       doctest::Contains("L is not a valid Cholesky factor of a correlation matrix: row 2"), mcmc::Error);
}

TEST_CASE("multivariate argument errors name the place") {
  CHECK_THROWS_WITH_AS(compile("parameters { vector[3] v; }\nmodel { v ~ multi_normal(rep_vector(0, 2), [[2, 0.3], [0.3, 1]]); }\n"),
                       doctest::Contains("test.stan:2:"), mcmc::Error);
  CHECK_THROWS_WITH_AS(compile("parameters { vector[2] v; }\nmodel { v ~ multi_normal(rep_vector(0, 2), [[1, 2], [2, 1]]); }\n"),
                       doctest::Contains("not symmetric positive definite"), mcmc::Error);
  CHECK_THROWS_WITH_AS(compile("parameters { simplex[3] t; }\nmodel { t ~ dirichlet(rep_vector(1, 2)); }\n"),
                       doctest::Contains("dirichlet_lpdf: theta has size 3 and alpha size 2"), mcmc::Error);
}

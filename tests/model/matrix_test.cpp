// Matrices, linear algebra and constrained types (issue 15): values against R, gradients against central differences, batched against one-chain evaluation, Stan's output and unconstrained order.
#include <doctest/doctest.h>

#include <algorithm>
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

std::shared_ptr<const mcmc::model::Model> stan_test_model(const std::string& name) {
  const std::string dir = std::string(MCMC_SOURCE_DIR) + "/tests/stan/issue15/";
  std::ifstream in(dir + name + ".stan");
  std::stringstream ss;
  ss << in.rdbuf();
  return compile(ss.str(), mcmc::io::read_data_json(dir + name + ".data.json"));
}

/// The values of the columns whose names start with `prefix` (in column order).
std::vector<double> columns(const mcmc::model::Model& m, const std::vector<double>& row, const std::string& prefix) {
  std::vector<double> out;
  for (std::size_t i = 0; i < row.size(); ++i)
    if (m.column_names()[i].rfind(prefix, 0) == 0) out.push_back(row[i]);
  return out;
}

void check_close(const std::vector<double>& got, const std::vector<double>& want, const std::string& what) {
  INFO(what);
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("element " << i);
    CHECK(got[i] == doctest::Approx(want[i]).epsilon(1e-13).scale(1));
  }
}

// The values below are R's (base R, column-major like the output columns):
//   S <- matrix(c(4, 1.2, 0.5, 1.2, 3, 0.7, 0.5, 0.7, 2), 3, 3); b <- c(0.3, -1.1, 2); x <- c(0.1, 0.9, 2.3)
//   L <- t(chol(S)); log(det(S)); forwardsolve(L, b); 1.3^2 * exp(-outer(x, x, "-")^2 / (2 * 0.7^2))
//   X <- matrix(1:6, 2, 3); X %*% t(X); diag(b) %*% S %*% diag(b)
const std::vector<double> kL = {2, 0.59999999999999998, 0.25, 0, 1.6248076809271921, 0.338501600193165, 0, 0, 1.3501543121683042};
const double kLogDet = 2.9575110607337933;
const std::vector<double> kSolve = {0.14999999999999999, -0.73239437132702989, 1.6371585430977953};
const std::vector<double> kK = {1.6900000000000002, 0.87956070452498647, 0.012106085955853479, 0.87956070452498647,
                                1.6900000000000002, 0.22871662866987549, 0.012106085955853479, 0.22871662866987549,
                                1.6900000000000002};
const std::vector<double> kXXt = {35, 44, 44, 56};
const std::vector<double> kQuad = {0.36, -0.396, 0.3, -0.396, 3.63, -1.54, 0.3, -1.54, 8};

const char* kValuesModel = R"(
data { vector[3] b; array[3] real x; }
transformed data {
  matrix[3, 3] S0 = [[4, 1.2, 0.5], [1.2, 3, 0.7], [0.5, 0.7, 2]];
  matrix[2, 3] X0 = to_matrix({1, 2, 3, 4, 5, 6}, 2, 3);
}
parameters { real p; }
transformed parameters {
  matrix[3, 3] L = cholesky_decompose(S0 * p);
  real ld = log_determinant(S0 * p);
  vector[3] s = mdivide_left_tri_low(L, b);
  matrix[3, 3] K = gp_exp_quad_cov(x, 1.3 * p, 0.7 * p);
  matrix[2, 2] XXt = tcrossprod(X0 * p);
  matrix[3, 3] Q = quad_form_diag(S0 * p, b);
}
model { p ~ normal(1, 1); }
generated quantities {
  matrix[3, 3] cL = cholesky_decompose(S0);
  real cld = log_determinant(S0);
  vector[3] cs = mdivide_left_tri_low(cL, b);
  matrix[3, 3] cK = cov_exp_quad(x, 1.3, 0.7);
  matrix[2, 2] cXXt = X0 * X0';
  matrix[3, 3] cQ = diag_matrix(b) * S0 * diag_matrix(b);
}
)";

}  // namespace

TEST_CASE("matrix functions: values against R, on parameters (graph kernels) and on constants (folding)") {
  Data d;
  d.vec("b", {0.3, -1.1, 2.0}).array("x", {3}, {0.1, 0.9, 2.3});
  auto m = compile(kValuesModel, d.set);
  mcmc::sampler::Rng rng(1, 0);
  std::vector<double> out;
  auto ev = m->make_output_evaluator();
  const std::vector<double> q = {1.0};  // p = 1
  m->write_row(q, rng, out, *ev);
  for (const char* prefix : {"L.", "cL."}) check_close(columns(*m, out, prefix), kL, prefix);
  check_close(columns(*m, out, "ld"), {kLogDet}, "ld");
  check_close(columns(*m, out, "cld"), {kLogDet}, "cld");
  for (const char* prefix : {"s.", "cs."}) check_close(columns(*m, out, prefix), kSolve, prefix);
  for (const char* prefix : {"K.", "cK."}) check_close(columns(*m, out, prefix), kK, prefix);
  for (const char* prefix : {"XXt.", "cXXt."}) check_close(columns(*m, out, prefix), kXXt, prefix);
  for (const char* prefix : {"Q.", "cQ."}) check_close(columns(*m, out, prefix), kQuad, prefix);
  // Column names follow Stan: column-major, 1-based.
  CHECK(columns(*m, out, "L.").size() == 9);
  auto names = m->column_names();
  CHECK(std::find(names.begin(), names.end(), "L.2.1") - std::find(names.begin(), names.end(), "L.1.1") == 1);
  CHECK(std::find(names.begin(), names.end(), "L.1.2") - std::find(names.begin(), names.end(), "L.1.1") == 3);
  mcmc::test::check_gradient(*m, "matrix function values model", 3, 0.3);
}

TEST_CASE("matrix operations with parameter arguments: gradient and batched evaluation") {
  auto m = stan_test_model("matrix");
  mcmc::test::check_gradient(*m, "tests/stan/issue15/matrix.stan", 3, 0.8);
  CHECK(mcmc::test::check_batches(*m, 0.8, 7) == 0);
}

TEST_CASE("constrained types: gradient, batched evaluation, unconstrained order and inverse transforms") {
  auto m = stan_test_model("transforms");
  // simplex[4]: 3, array[2] simplex[3]: 4, ordered[3], positive_ordered[3], matrix[2,3], matrix[2,2], row_vector[2]
  REQUIRE(m->dim() == 3 + 4 + 3 + 3 + 6 + 4 + 2);
  // A matrix's unconstrained coordinates are column-major, as Stan's.
  CHECK(m->unconstrained_names()[13] == "M[1,1]");
  CHECK(m->unconstrained_names()[14] == "M[2,1]");
  CHECK(m->unconstrained_names()[15] == "M[1,2]");
  mcmc::test::check_gradient(*m, "tests/stan/issue15/transforms.stan", 3, 1.0);
  CHECK(mcmc::test::check_batches(*m, 1.0, 3) == 0);

  // Constrained initial values come back unchanged through init_point and write_row.
  mcmc::io::DataSet inits;
  inits.vars["s"] = {{4}, {0.1, 0.2, 0.3, 0.4}, false};
  inits.vars["ss"] = {{2, 3}, {0.5, 0.25, 0.25, 0.2, 0.2, 0.6}, false};
  inits.vars["o"] = {{3}, {-1, 0.5, 2}, false};
  inits.vars["po"] = {{3}, {0.1, 0.5, 3}, false};
  inits.vars["M"] = {{2, 3}, {1, 2, 3, 4, 5, 6}, false};
  inits.vars["A"] = {{2, 2}, {-0.5, 0, 0.5, 1.5}, false};
  inits.vars["r"] = {{2}, {0.3, -2}, false};
  std::vector<double> u = m->init_point(&inits, std::vector<double>(m->dim(), 0.0));
  mcmc::sampler::Rng rng(1, 0);
  std::vector<double> out;
  m->write_row(u, rng, out);
  check_close(columns(*m, out, "s."), {0.1, 0.2, 0.3, 0.4}, "s");
  check_close(columns(*m, out, "ss."), {0.5, 0.2, 0.25, 0.2, 0.25, 0.6}, "ss (column-major over the array)");
  check_close(columns(*m, out, "o."), {-1, 0.5, 2}, "o");
  check_close(columns(*m, out, "po."), {0.1, 0.5, 3}, "po");
  check_close(columns(*m, out, "M."), {1, 4, 2, 5, 3, 6}, "M");
  check_close(columns(*m, out, "A."), {-0.5, 0.5, 0, 1.5}, "A");
  // Stan's stick-breaking: u_k = logit(x_k / (1 - sum of the earlier x)) + log(K - 1 - k).
  CHECK(u[0] == doctest::Approx(std::log(0.1 / 0.9) + std::log(3.0)).epsilon(1e-13));
  CHECK(u[1] == doctest::Approx(std::log(0.2 / 0.7) + std::log(2.0)).epsilon(1e-13));
  CHECK(u[7] == doctest::Approx(-1).epsilon(1e-13));
  CHECK(u[8] == doctest::Approx(std::log(1.5)).epsilon(1e-13));
  CHECK(u[10] == doctest::Approx(std::log(0.1)).epsilon(1e-13));
  CHECK(u[14] == doctest::Approx(std::log(4.0)).epsilon(1e-13));  // M[2,1]

  // Values that break the constraint are refused with the element named.
  mcmc::io::DataSet bad;
  bad.vars["s"] = {{4}, {0.1, 0.2, 0.3, 0.5}, false};
  CHECK_THROWS_WITH_AS(m->init_point(&bad, std::vector<double>(m->dim(), 0.0)),
                       doctest::Contains("s is not a valid simplex: its elements sum to 1.1"), mcmc::Error);
  bad.vars.clear();
  bad.vars["o"] = {{3}, {1, 1, 2}, false};
  CHECK_THROWS_WITH_AS(m->init_point(&bad, std::vector<double>(m->dim(), 0.0)),
                       doctest::Contains("o is not a valid ordered vector: element 2 is 1"), mcmc::Error);
}

TEST_CASE("matrix data and constrained data are read and checked") {
  Data d;
  d.array("X", {2, 3}, {1, 2, 3, 4, 5, 6}).vec("p", {0.2, 0.8});
  auto m = compile(R"(
data { matrix[2, 3] X; simplex[2] p; }
parameters { real mu; }
model { mu ~ normal(X[2, 3] + p[2], 1); }
generated quantities { row_vector[3] r = X[2]; vector[2] c = X[:, 2]; real e = X[1, 3]; matrix[3, 2] t = X'; }
)",
                   d.set);
  mcmc::sampler::Rng rng(1, 0);
  std::vector<double> out;
  const std::vector<double> q = {0.0};
  m->write_row(q, rng, out);
  check_close(columns(*m, out, "r."), {4, 5, 6}, "X[2]");
  check_close(columns(*m, out, "c."), {2, 5}, "X[:, 2]");
  check_close(columns(*m, out, "e"), {3}, "X[1, 3]");
  check_close(columns(*m, out, "t."), {1, 2, 3, 4, 5, 6}, "X' column-major is X row-major");
  std::vector<double> g;
  CHECK(mcmc::test::logp_grad(*m, {6.8}, g) == doctest::Approx(0).scale(1));  // mu = X[2,3] + p[2]

  Data bad = d;
  bad.vec("p", {0.3, 0.8});
  CHECK_THROWS_WITH_AS(compile("data { simplex[2] p; }\nparameters { real mu; }\nmodel { mu ~ normal(0, 1); }\n", bad.set),
                       doctest::Contains("p is not a valid simplex"), mcmc::Error);
}

TEST_CASE("matrix errors name the place") {
  Data d;
  d.array("X", {2, 3}, {1, 2, 3, 4, 5, 6});
  CHECK_THROWS_WITH_AS(compile("data { matrix[2, 3] X; }\nparameters { vector[2] b; }\nmodel { b ~ normal(X * b, 1); }\n", d.set),
                       doctest::Contains("test.stan:3:"), mcmc::Error);
  CHECK_THROWS_WITH_AS(compile("data { matrix[2, 3] X; }\nparameters { real mu; }\n"
                               "model { matrix[2, 2] L = cholesky_decompose(X); mu ~ normal(0, 1); }\n", d.set),
                       doctest::Contains("expecting a square matrix, found 2 x 3"), mcmc::Error);
  CHECK_THROWS_WITH_AS(compile("transformed data { matrix[2, 2] S = [[1, 2], [2, 1]]; matrix[2, 2] L = cholesky_decompose(S); }\n"
                               "parameters { real mu; }\nmodel { mu ~ normal(0, 1); }\n"),
                       doctest::Contains("not symmetric positive definite"), mcmc::Error);
  // A parameter-dependent matrix that is not positive definite rejects the point.
  auto m = compile("parameters { real a; }\nmodel { matrix[2, 2] S = [[1, a], [a, 1]]; target += log_determinant(cholesky_decompose(S)); }\n");
  std::vector<double> g;
  CHECK(std::isfinite(mcmc::test::logp_grad(*m, {0.5}, g)));
  CHECK(mcmc::test::logp_grad(*m, {1.5}, g) == -INFINITY);
}

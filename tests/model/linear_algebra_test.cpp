// inverse, determinant, eigen-decompositions, singular values, the matrix divisions and the multivariate distributions of issue 15's second part: values against R, gradients against central differences, batched against one-chain evaluation, the multivariate _rng functions.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "io/data.hpp"
#include "sampler/rng.hpp"
#include "tests/model/model_test_util.hpp"
#include "util/error.hpp"

using mcmc::test::compile;

using mcmc::test::read_text;

namespace {

// The log density of a model whose only parameter z ~ std_normal() is evaluated at z = 0 plus `expr`.
double value_of(const std::string& expr, const std::string& td = "") {
  auto m = compile("transformed data { matrix[3, 3] A = [[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 2]];\n"
                   "matrix[3, 3] B = [[2, 0.7, 0.1], [-1, 1.5, 0.6], [0.3, -0.4, 2.2]];\n"
                   "vector[3] b = [0.3, -1.2, 0.8]'; " + td + " }\n"
                   "parameters { real z; }\nmodel { target += " + expr + "; z ~ std_normal(); }\n");
  return mcmc::test::logp(*m, {0.0});
}


}  // namespace

TEST_CASE("linear algebra: values against R") {
  // R: A <- matrix(c(4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2), 3, 3); B <- matrix(c(2, -1, 0.3, 0.7,
  // 1.5, -0.4, 0.1, 0.6, 2.2), 3, 3); b <- c(0.3, -1.2, 0.8)
  CHECK(value_of("determinant(B)") == doctest::Approx(8.741000000000005).epsilon(1e-14));
  CHECK(value_of("sum(inverse(B))") == doctest::Approx(1.4117377874385082).epsilon(1e-14));
  CHECK(value_of("inverse(B)[2, 3]") == doctest::Approx(-0.14872440224230635).epsilon(1e-14));
  CHECK(value_of("inverse_spd(A)[1, 2]") == doctest::Approx(-0.089243776420854862).epsilon(1e-14));
  const double ev[] = {1.8800869029150526, 2.3983430193369961, 4.7215700777479483};  // rev(eigen(A)$values)
  for (int i = 0; i < 3; ++i)
    CHECK(value_of("eigenvalues_sym(A)[" + std::to_string(i + 1) + "]") == doctest::Approx(ev[i]).epsilon(1e-14));
  // eigen(A)$vectors[, 3]^2: the eigenvector of the smallest eigenvalue, first column here
  const double v2[] = {0.064030436781946976, 0.0028556968838158686, 0.93311386633423687};
  for (int i = 0; i < 3; ++i)
    CHECK(value_of("square(eigenvectors_sym(A)[" + std::to_string(i + 1) + ", 1])") == doctest::Approx(v2[i]).epsilon(1e-12));
  const double sv[] = {2.3278017941139533, 2.2156207629008824, 1.6948048390072454};  // svd(B)$d
  for (int i = 0; i < 3; ++i)
    CHECK(value_of("singular_values(B)[" + std::to_string(i + 1) + "]") == doctest::Approx(sv[i]).epsilon(1e-14));
  const double spd[] = {0.14222639736965709, -0.47487083137623293, 0.41193048379520902};  // solve(A, b)
  const double rtl[] = {0.2629474646316261, -0.73931015209010165, 0.57504058712719441};   // t(b) %*% solve(t(chol(A)))
  const double rdiv[] = {-0.20981581054799225, -0.56172062693055713, 0.52636998055142437};  // t(b) %*% solve(B)
  const double ldiv[] = {0.36311634824390804, -0.63722686191511269, 0.1982610685276284};    // solve(B, b)
  for (int i = 0; i < 3; ++i) {
    const std::string k = "[" + std::to_string(i + 1) + "]";
    CAPTURE(i);
    CHECK(value_of("mdivide_left_spd(A, b)" + k) == doctest::Approx(spd[i]).epsilon(1e-13));
    CHECK(value_of("mdivide_right_spd(b', A)" + k) == doctest::Approx(spd[i]).epsilon(1e-13));
    CHECK(value_of("mdivide_right_tri_low(b', cholesky_decompose(A))" + k) == doctest::Approx(rtl[i]).epsilon(1e-13));
    CHECK(value_of("(b' / B)" + k) == doctest::Approx(rdiv[i]).epsilon(1e-13));
    CHECK(value_of("mdivide_right(b', B)" + k) == doctest::Approx(rdiv[i]).epsilon(1e-13));
    CHECK(value_of("(B \\ b)" + k) == doctest::Approx(ldiv[i]).epsilon(1e-13));
    CHECK(value_of("mdivide_left(B, b)" + k) == doctest::Approx(ldiv[i]).epsilon(1e-13));
  }
  CHECK(value_of("sum(transpose(B) - B')") == 0.0);
  CHECK(value_of("transpose(b)[2]") == -1.2);
}

TEST_CASE("multivariate distributions: values against R") {
  // dmultinom(c(3, 0, 5), prob = c(0.2, 0.3, 0.5), log = TRUE)
  CHECK(value_of("multinomial_lpmf({3, 0, 5} | [0.2, 0.3, 0.5]')") == doctest::Approx(-4.2686979493668762).epsilon(1e-14));
  // g <- c(0.5, -1, 0.2); dmultinom(c(2, 1, 4), prob = exp(g) / sum(exp(g)), log = TRUE)
  CHECK(value_of("multinomial_logit_lpmf({2, 1, 4} | [0.5, -1, 0.2]')") == doctest::Approx(-2.7707381382393397).epsilon(1e-13));
  // cc <- c(-1, 0.5, 2); eta <- 0.4; P <- c(1, plogis(eta - cc), 0); log(P[y] - P[y + 1]) (pnorm for probit)
  const double ol[] = {-1.6204174099184507, -1.1172965289174759, -1.180779859887364, -1.7839007408883387};
  const double op[] = {-2.5163148529883288, -0.77855000895434134, -0.90294796623791751, -2.9040780103022463};
  for (int y = 1; y <= 4; ++y) {
    CAPTURE(y);
    CHECK(value_of("ordered_logistic_lpmf(" + std::to_string(y) + " | 0.4, [-1, 0.5, 2]')") == doctest::Approx(ol[y - 1]).epsilon(1e-13));
    CHECK(value_of("ordered_probit_lpmf(" + std::to_string(y) + " | 0.4, [-1, 0.5, 2]')") == doctest::Approx(op[y - 1]).epsilon(1e-13));
  }
  CHECK(value_of("ordered_logistic_lpmf({1, 4} | [0.4, 0.4]', [-1, 0.5, 2]')") == doctest::Approx(ol[0] + ol[3]).epsilon(1e-13));
  // S <- matrix(c(2, 0.3, 0.3, 1), 2, 2): the multi_normal value of multivariate_test.cpp
  CHECK(value_of("multi_normal_prec_lpdf([0.2, 0.3]' | [0.1, -0.3]', inverse_spd([[2, 0.3], [0.3, 1]]))") ==
        doctest::Approx(-2.3431040801087715).epsilon(1e-13));
  // lgamma((nu + K) / 2) - lgamma(nu / 2) - K / 2 log(nu pi) - log(det(S)) / 2 - (nu + K) / 2 log1p(r' S^-1 r / nu)
  CHECK(value_of("multi_student_t_lpdf([0.2, 0.3]' | 4, [0.1, -0.3]', [[2, 0.3], [0.3, 1]])") ==
        doctest::Approx(-2.4222664769041122).epsilon(1e-13));
  CHECK(value_of("multi_student_t_cholesky_lpdf([0.2, 0.3]' | 4, [0.1, -0.3]', cholesky_decompose([[2, 0.3], [0.3, 1]]))") ==
        doctest::Approx(-2.4222664769041122).epsilon(1e-13));
  // W = A, nu = 5, S = 1.5 I + 0.1: -nu K / 2 log 2 - lmgamma(K, nu / 2) - nu / 2 log det S
  // + (nu - K - 1) / 2 log det W - tr(S^-1 W) / 2 (and the inverse Wishart's), computed in R
  const std::string S3 = "add_diag(rep_matrix(0.1, 3, 3), 1.5)";
  CHECK(value_of("wishart_lpdf(A | 5, " + S3 + ")") == doctest::Approx(-11.817643149525159).epsilon(1e-13));
  CHECK(value_of("inv_wishart_lpdf(A | 5, " + S3 + ")") == doctest::Approx(-18.256947163110631).epsilon(1e-13));
  // lkj_corr at eta = 1 is the constant of lkj_corr_cholesky at eta = 1; (eta - 1) log det otherwise.
  CHECK(value_of("lkj_corr_lpdf([[1, 0.3], [0.3, 1]] | 2.5) - lkj_corr_lpdf([[1, 0], [0, 1]] | 2.5)") ==
        doctest::Approx(1.5 * std::log(1 - 0.09)).epsilon(1e-13));
  // The difference of the two is the Jacobian of L -> L L': -sum_i (K - i) log L_ii (1-based i),
  // here -log L_22 = -log(sqrt(1 - 0.3^2)).
  const std::string O3 = "[[1, 0.3, 0.2], [0.3, 1, 0.1], [0.2, 0.1, 1]]";
  CHECK(value_of("lkj_corr_lpdf(" + O3 + " | 1.7) - lkj_corr_cholesky_lpdf(cholesky_decompose(" + O3 + ") | 1.7)") ==
        doctest::Approx(-0.5 * std::log(1 - 0.09)).epsilon(1e-13));
}

TEST_CASE("linear algebra and multivariate distributions with parameters: gradient, batched evaluation") {
  // tests/stan/issue15/library.stan: every new function with parameter arguments (also checked
  // against rstan's log_prob and gradient by tests/stan/crosscheck.sh).
  const std::string dir = std::string(MCMC_SOURCE_DIR) + "/tests/stan/issue15/";
  auto m = compile(read_text(dir + "library.stan"), mcmc::io::read_data_json(dir + "library.data.json"));
  mcmc::test::check_gradient(*m, "library", 3, 0.5);
  int points = 0;
  int rejected = mcmc::test::check_batches(*m, 0.5, 11, &points);
  CHECK(rejected < points);
  // multinomial_logit(y | g) is multinomial(y | softmax(g)); a gradient through both.
  auto ml = compile("parameters { vector[3] g; }\nmodel { g ~ normal(0, 1);\n"
                    "target += multinomial_logit_lpmf({2, 1, 4} | g) - multinomial_lpmf({2, 1, 4} | softmax(g)); }\n");
  std::vector<double> grad;
  const double base = mcmc::test::logp_grad(*ml, {0.0, 0.0, 0.0}, grad);
  CHECK(mcmc::test::logp(*ml, {0.5, -1, 0.2}) - base == doctest::Approx(-0.5 * (0.25 + 1 + 0.04)).epsilon(1e-12));
  mcmc::test::check_gradient(*ml, "multinomial_logit", 3, 1.0);
}

TEST_CASE("multi_normal_rng and dirichlet_rng: moments of many draws") {
  auto m = compile("parameters { real z; }\nmodel { z ~ std_normal(); }\n"
                   "generated quantities {\n"
                   "  vector[2] x = multi_normal_rng([1, -2]', [[2, 0.6], [0.6, 1]]);\n"
                   "  array[2] vector[2] xs = multi_normal_cholesky_rng({[1, -2]', [0, 0]'}, cholesky_decompose([[2, 0.6], [0.6, 1]]));\n"
                   "  vector[3] d = dirichlet_rng([2, 3, 5]');\n"
                   "  vector[3] small = dirichlet_rng([0.01, 0.02, 0.05]');\n}\n");
  const auto& names = m->column_names();
  REQUIRE(names.size() == 1 + 2 + 4 + 3 + 3);
  CHECK(names[3] == "xs.1.1");
  CHECK(names[4] == "xs.2.1");  // column-major over the array too, as Stan
  mcmc::sampler::Rng rng(20261202, 5);
  const int n = 20000;
  double s1 = 0, s2 = 0, s11 = 0, s22 = 0, s12 = 0, sxs = 0, sd[3] = {0, 0, 0};
  std::vector<double> row;
  for (int i = 0; i < n; ++i) {
    m->write_row(std::vector<double>{0.0}, rng, row);
    s1 += row[1];
    s2 += row[2];
    s11 += (row[1] - 1) * (row[1] - 1);
    s22 += (row[2] + 2) * (row[2] + 2);
    s12 += (row[1] - 1) * (row[2] + 2);
    sxs += row[4];  // xs[2][1], mean 0
    double sum = 0, sum_small = 0;
    for (int k = 0; k < 3; ++k) {
      sd[k] += row[7 + k];
      sum += row[7 + k];
      sum_small += row[10 + k];
      CHECK(row[10 + k] >= 0);
    }
    CHECK(sum == doctest::Approx(1.0).epsilon(1e-14));
    CHECK(sum_small == doctest::Approx(1.0).epsilon(1e-14));
  }
  // Monte Carlo errors: means sd / sqrt(n) (about 0.01); covariances about 0.02 -> 5-sigma bounds.
  CHECK(std::fabs(s1 / n - 1) < 0.05);
  CHECK(std::fabs(s2 / n + 2) < 0.04);
  CHECK(std::fabs(s11 / n - 2) < 0.1);
  CHECK(std::fabs(s22 / n - 1) < 0.05);
  CHECK(std::fabs(s12 / n - 0.6) < 0.06);
  CHECK(std::fabs(sxs / n) < 0.05);
  // Dirichlet(2, 3, 5): means 0.2, 0.3, 0.5, sd at most 0.15.
  const double mean[3] = {0.2, 0.3, 0.5};
  for (int k = 0; k < 3; ++k) CHECK(std::fabs(sd[k] / n - mean[k]) < 0.006);
}

TEST_CASE("assignment to a chained index a[i][j] and a[i, j] agree") {
  auto m = compile("parameters { real z; }\nmodel { z ~ std_normal(); }\n"
                   "generated quantities {\n"
                   "  array[2, 3] real a;\n  array[2] vector[3] v;\n  matrix[2, 2] M;\n"
                   "  for (i in 1:2) for (j in 1:3) { a[i][j] = 10 * i + j; v[i][j] = a[i, j] + 0.5; }\n"
                   "  M[2][1] = 7; M[1] = [1, 2]; M[2][2] = 8;\n"
                   "  v[2][2:3] = [0, -1]';\n  a[1][2] += 100;\n}\n");
  mcmc::sampler::Rng rng(1, 0);
  std::vector<double> row;
  m->write_row(std::vector<double>{0.0}, rng, row);
  const auto& names = m->column_names();
  auto at = [&](const std::string& name) {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) return row[i];
    FAIL("no column " << name);
    return 0.0;
  };
  CHECK(at("a.2.3") == 23);
  CHECK(at("a.1.2") == 112);
  CHECK(at("v.1.3") == 13.5);
  CHECK(at("v.2.2") == 0);
  CHECK(at("v.2.3") == -1);
  CHECK(at("M.2.1") == 7);
  CHECK(at("M.1.2") == 2);
  CHECK(at("M.2.2") == 8);
}

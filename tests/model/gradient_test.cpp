// Gradients of compiled models against central differences: the seed model, the conformance models, and every construct.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/model/model_test_util.hpp"

using mcmc::test::check_gradient;
using mcmc::test::compile;
using mcmc::test::Data;

using mcmc::test::read_text;

namespace {

const char* kSeedModel = R"(
data { int<lower=0> N; vector[N] y; }
parameters { real loc; real log_scale; }
model { target += log_scale; y ~ normal(loc, exp(log_scale)); }
)";


// A model checked at random points, with the data it needs.
struct Case {
  std::string what;
  std::string source;
  Data data;
};

void run_cases(const std::vector<Case>& cases, double r = 1.0) {
  for (const Case& c : cases) {
    INFO("model: " << c.what);
    auto m = compile(c.source, c.data.set);
    check_gradient(*m, c.what, 3, r);
  }
}

}  // namespace

TEST_CASE("seed model gradient") {
  Data d;
  d.scalar("N", 5).vec("y", {0.3, -1.2, 2.5, 0.7, 1.1});
  auto m = compile(kSeedModel, d.set);
  REQUIRE(m->dim() == 2);
  check_gradient(*m, "seed", 6, 2.0);
}

TEST_CASE("conformance models: gradient at random points") {
  namespace fs = std::filesystem;
  const std::string dir = mcmc::test::test_data_dir();
  int count = 0;
  for (const auto& entry : fs::directory_iterator(dir + "/conformance")) {
    if (entry.path().extension() != ".stan") continue;
    std::string name = entry.path().stem().string();
    INFO("conformance model " << name);
    auto data = mcmc::io::read_data_json(dir + "/posteriordb/" + name + ".data.json");
    auto program = mcmc::lang::parse_and_check(entry.path().string(), read_text(entry.path().string()));
    auto m = mcmc::model::Model::compile(std::make_shared<const mcmc::lang::Program>(std::move(program)), data, 1);
    check_gradient(*m, name, 3, 0.5);
    ++count;
  }
  CHECK(count >= 8);
}

TEST_CASE("every unary function: gradient") {
  // Each function applied elementwise to a vector parameter mapped into its domain.
  struct Fn {
    const char* name;
    const char* arg;  // expression of x giving a valid argument
  };
  const Fn fns[] = {
      {"exp", "x"},           {"log", "exp(x)"},          {"log1p", "exp(x)"},
      {"expm1", "x"},         {"sqrt", "exp(x)"},         {"square", "x"},
      {"inv", "exp(x)"},      {"inv_sqrt", "exp(x)"},     {"inv_square", "exp(x)"},
      {"inv_logit", "x"},     {"logit", "inv_logit(x)"},  {"log_inv_logit", "x"},
      {"log1m_inv_logit", "x"}, {"log1m", "inv_logit(x)"}, {"log1p_exp", "x"},
      {"lgamma", "exp(x)"},   {"tgamma", "exp(x)"},       {"Phi", "x"},
      {"Phi_approx", "x"},    {"erf", "x"},               {"erfc", "x"},
      {"sin", "x"},           {"cos", "x"},               {"tan", "x"},
      {"atan", "x"},          {"tanh", "x"},              {"fabs", "x"},
      {"log2", "exp(x)"},     {"log10", "exp(x)"},        {"cbrt", "x + 3"},
  };
  std::vector<Case> cases;
  for (const Fn& f : fns) {
    std::string arg_z = f.arg;  // the same on the scalar z
    arg_z[arg_z.rfind('x')] = 'z';
    std::string src = std::string("parameters { vector[3] x; real z; }\nmodel {\n") + "  target += sum(" +
                      f.name + "(" + f.arg + "));\n  target += " + f.name + "(" + arg_z + ");\n" +
                      "  x ~ normal(0, 1);\n}\n";
    cases.push_back({f.name, src, {}});
  }
  run_cases(cases);
}

// hypot and fdim are in the graph (tests/graph) but the language does not expose them yet.
TEST_CASE("every binary function: gradient") {
  const char* body[] = {
      "target += pow(exp(a), b);",
      "target += fmin(a, b) + fmax(a, b);",
      "target += atan2(a, b);",
      "target += lbeta(exp(a), exp(b));",
      "target += log_sum_exp(a, b);",
      "target += lchoose(exp(a) + 3, exp(b));",
      "target += exp(a) ^ b;",
      "target += a * b - a / exp(b);",
  };
  std::vector<Case> cases;
  for (const char* b : body)
    cases.push_back({b, std::string("parameters { real a; real b; }\nmodel {\n  ") + b + "\n}\n", {}});
  run_cases(cases);
}

TEST_CASE("vector operations: gradient") {
  Data d;
  d.vec("dv", {0.5, -1.5, 2.0, 0.25}).ints("idx", {4, 1, 1, 3});
  const std::string head = "data { vector[4] dv; array[4] int idx; }\n"
                           "parameters { vector[4] a; vector[4] b; real s; row_vector[4] r; }\nmodel {\n  ";
  const char* body[] = {
      "target += sum(a + b) + sum(a - s) + sum(s - b) + sum(a + dv);",
      "target += sum(a .* b) + sum(a ./ exp(b)) + sum(s .* a) + sum(dv ./ exp(a)) + sum(a * s) + sum(a / s);",
      "target += r * a + dot_product(a, b) + dot_product(r, dv) + dot_self(a) + dot_self(r);",
      "target += sum(a) + prod(a) + mean(b) + variance(a) + sd(b);",
      "target += log_sum_exp(a) + log_sum_exp(r);",
      "target += dot_product(softmax(a), dv) + dot_product(log_softmax(b), dv);",
      "target += dot_product(cumulative_sum(a), dv);",
      "target += sum(head(a, 2)) * 2 + dot_product(tail(b, 3), head(dv, 3)) + sum(segment(a, 2, 2) .* segment(b, 1, 2));",
      "target += dot_product(append_row(head(a, 2), tail(b, 2)), dv) + sum(append_row(s, a)) + sum(append_row(a, s));",
      "target += a[2] * b[4] + r[3] ^ 2;",
      "target += sum(a[2:4]) * s + dot_product(a[idx], dv) + sum(b[:2]) - sum(b[3:]);",
      "target += -0.5 * dot_self(a - b) - 0.5 * sum(square(r));",
      "vector[4] c = a; c[2] = s * b[1]; c[4] = c[2] + r[1]; target += dot_product(c, dv);",
      "vector[4] c = dv; c[2:3] = b[1:2]; c[idx[1]] = s; c[1] += a[3]; c[2] *= s; target += dot_product(c, a);",
      "real acc = 0; for (i in 1:4) { if (i == 2) continue; acc += a[i] * b[i]; } target += acc;",
      "target += s > 0 ? a[1] * s : b[2] - s; target += sum(a[1] < b[1] ? a : b);",
      "for (i in 1:4) target += normal_lpdf(a[i] | b[i], exp(s));",
      "target += min(a) + max(b) + min(a[1], s) + max(s, b[2]);",
  };
  std::vector<Case> cases;
  for (const char* b : body) cases.push_back({b, head + b + "\n}\n", d});
  run_cases(cases);
}

TEST_CASE("transformed parameters with element assignment: gradient") {
  Data d;
  d.vec("y", {1.0, 2.0, 0.5});
  auto m = compile(R"(
data { vector[3] y; }
parameters { real mu; real<lower=0> tau; vector[3] z; }
transformed parameters {
  vector[3] theta;
  for (j in 1:3) theta[j] = mu + tau * z[j];
  theta[2] = theta[2] + theta[1];
}
model { z ~ std_normal(); y ~ normal(theta, 1); mu ~ normal(0, 5); tau ~ cauchy(0, 5); }
)",
                   d.set);
  check_gradient(*m, "tp", 4);
}

TEST_CASE("every distribution, every continuous argument a parameter: gradient") {
  Data d;
  d.ints("k", {0, 3, 7}).ints("n", {10, 10, 12}).ints("b", {0, 1, 1}).ints("cat", {1, 3, 2});
  const std::string head =
      "data { array[3] int k; array[3] int n; array[3] int b; array[3] int cat; }\n"
      "parameters { real y; real mu; real<lower=0> sigma; real<lower=0> pos; real<lower=0, upper=1> p;"
      " real<lower=0> nu; real<lower=0> pos2; vector[3] v; real<lower=1> big; }\nmodel {\n  ";
  const char* body[] = {
      "target += normal_lpdf(y | mu, sigma);",
      "target += std_normal_lpdf(y);",
      "target += student_t_lpdf(y | nu, mu, sigma);",
      "target += cauchy_lpdf(y | mu, sigma);",
      "target += double_exponential_lpdf(y | mu, sigma);",
      "target += logistic_lpdf(y | mu, sigma);",
      "target += lognormal_lpdf(pos | mu, sigma);",
      "target += exponential_lpdf(pos | sigma);",
      "target += gamma_lpdf(pos | nu, sigma);",
      "target += inv_gamma_lpdf(pos | nu, sigma);",
      "target += weibull_lpdf(pos | nu, sigma);",
      "target += chi_square_lpdf(pos | nu);",
      "target += beta_lpdf(p | nu, sigma);",
      "target += uniform_lpdf(p | -pos, 1 + pos2);",
      "target += poisson_lpmf(k | pos);",
      "target += poisson_log_lpmf(k | mu);",
      "target += binomial_lpmf(k | n, p);",
      "target += binomial_logit_lpmf(k | n, mu);",
      "target += bernoulli_lpmf(b | p);",
      "target += bernoulli_logit_lpmf(b | mu);",
      "target += neg_binomial_2_lpmf(k | pos, nu);",
      "target += neg_binomial_2_log_lpmf(k | mu, nu);",
      "target += beta_binomial_lpmf(k | n, pos, nu);",
      "target += categorical_lpmf(cat | softmax(v));",
      "target += categorical_logit_lpmf(cat | v);",
      "y ~ normal(mu, sigma); v ~ student_t(nu, mu, sigma); k ~ poisson(pos); cat ~ categorical_logit(v);",
      "v ~ normal(mu, sigma); k ~ neg_binomial_2(pos, nu); b ~ bernoulli_logit(v);",
      "target += normal_lcdf(y | mu, sigma) + normal_lccdf(y | mu, sigma);",
      "target += std_normal_lcdf(y) + std_normal_lccdf(y);",
      "target += exponential_lcdf(pos | sigma) + exponential_lccdf(pos | sigma);",
      "target += cauchy_lcdf(y | mu, sigma) + cauchy_lccdf(y | mu, sigma);",
      "target += logistic_lcdf(y | mu, sigma) + logistic_lccdf(y | mu, sigma);",
      "target += lognormal_lcdf(pos | mu, sigma) + lognormal_lccdf(pos | mu, sigma);",
      "target += weibull_lcdf(pos | nu, sigma) + weibull_lccdf(pos | nu, sigma);",
      "target += uniform_lcdf(p | -pos, 1 + pos2) + uniform_lccdf(p | -pos, 1 + pos2);",
      "target += normal_lpdf(v | mu, sigma) + normal_lpdf(v | v[1], sigma) + normal_lpdf(mu | v, sigma);",
  };
  std::vector<Case> cases;
  for (const char* b : body) cases.push_back({b, head + b + "\n}\n", d});
  run_cases(cases);
}

TEST_CASE("every constraint transform: gradient") {
  Data d;
  d.vec("L", {-1.0, 0.0, 2.0}).vec("U", {0.0, 1.0, 5.0});
  const std::string head = "data { vector[3] L; vector[3] U; }\n";
  const char* body[] = {
      "parameters { real<lower=1.5> a; } model { a ~ gamma(2, 1); }",
      "parameters { real<upper=-2> a; } model { target += -square(a + 3); }",
      "parameters { real<lower=-1, upper=3> a; } model { target += a * a; }",
      "parameters { real a; real<lower=a> b; real<upper=a> c; } model { a ~ normal(0, 1); b ~ normal(0, 3); c ~ normal(0, 3); }",
      "parameters { real<lower=0, upper=1> a; real<lower=0, upper=1 - a> b; } model { target += log(a + b); }",
      "parameters { real<offset=1, multiplier=3> a; } model { a ~ normal(1, 3); }",
      "parameters { real<lower=0> s; vector<offset=2, multiplier=s>[3] a; } model { a ~ normal(2, s); s ~ lognormal(0, 1); }",
      "parameters { vector<lower=L>[3] a; } model { a ~ normal(0, 2); }",
      "parameters { vector<lower=L, upper=U>[3] a; } model { target += sum(a); }",
      "parameters { vector<upper=U>[3] a; } model { a ~ normal(0, 2); }",
      "parameters { vector<lower=0>[3] a; } model { a ~ exponential(1); }",
      "parameters { array[2] real<lower=-1, upper=1> a; } model { target += a[1] * a[2]; }",
      "parameters { vector<multiplier=U + 1>[3] a; } model { a ~ normal(0, 1); }",
  };
  std::vector<Case> cases;
  for (const char* b : body) cases.push_back({b, head + b + "\n", d});
  run_cases(cases, 1.5);
}

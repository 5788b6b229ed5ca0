// Tests of the semantic checker: one test per error class (message and line:col) and valid programs.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "lang/ast.hpp"
#include "lang/check.hpp"
#include "lang/frontend.hpp"
#include "util/error.hpp"

using namespace mcmc::lang;

namespace {

const Type kInt{BaseType::Int, 0};
const Type kReal{BaseType::Real, 0};
const Type kVector{BaseType::Vector, 0};
const Type kRowVector{BaseType::RowVector, 0};

const char* const kSeed =
    "data { int<lower=0> N; vector[N] y; }\n"
    "parameters { real loc; real log_scale; }\n"
    "model { target += log_scale; y ~ normal(loc, exp(log_scale)); }\n";

/// Parses and checks `source`; returns the error message, or "" when the program is valid.
std::string check_error(const std::string& source) {
  try {
    parse_and_check("m.stan", source);
  } catch (const mcmc::Error& e) {
    CHECK(e.code() == mcmc::ExitCode::ModelOrData);
    return e.what();
  }
  return "";
}

/// Asserts that checking fails at `line:col` with a message containing `fragment`.
void expect_error(const std::string& source, int line, int col, const std::string& fragment) {
  std::string msg = check_error(source);
  INFO("source:\n" << source << "\nmessage: " << msg);
  CHECK(msg.find("m.stan:" + std::to_string(line) + ":" + std::to_string(col) + ":") != std::string::npos);
  CHECK(msg.find(fragment) != std::string::npos);
}

void expect_valid(const std::string& source) {
  INFO("source:\n" << source);
  CHECK(check_error(source) == "");
}

/// The initializer of the `i`-th statement (a declaration) of block `k`.
const Expr& init_of(const Program& p, BlockKind k, std::size_t i) {
  const Stmt& s = p.block(k).stmts.at(i);
  REQUIRE(s.kind == StmtKind::Decl);
  REQUIRE(s.decl->init.has_value());
  return *s.decl->init;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

// ---- valid programs ---------------------------------------------------------------------------

TEST_CASE("the seed model checks and its expressions get types") {
  Program p = parse_and_check("seed.stan", kSeed);
  const auto& model = p.block(BlockKind::Model).stmts;
  REQUIRE(model.size() == 2);
  CHECK(model[0].exprs[0].type == kReal);
  const Stmt& tilde = model[1];
  REQUIRE(tilde.kind == StmtKind::Tilde);
  CHECK(tilde.exprs[0].type == kVector);
  CHECK(tilde.exprs[1].type == kReal);
  CHECK(tilde.exprs[2].type == kReal);
  CHECK(tilde.exprs[2].args[0].type == kReal);
  CHECK(p.block(BlockKind::Data).stmts[1].decl->size->type == kInt);
}

TEST_CASE("the conformance models check") {
  std::filesystem::path dir = std::filesystem::path(MCMC_TEST_DATA_DIR) / "conformance";
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".stan") continue;
    INFO(entry.path().string());
    CHECK_NOTHROW(parse_and_check(entry.path().string(), read_file(entry.path())));
    ++count;
  }
  CHECK(count >= 8);
}

TEST_CASE("the eight schools model gets vector types") {
  std::filesystem::path file =
      std::filesystem::path(MCMC_TEST_DATA_DIR) / "conformance" / "eight_schools-eight_schools_noncentered.stan";
  Program p = parse_and_check(file.string(), read_file(file));
  const Expr& theta = init_of(p, BlockKind::TransformedParameters, 0);
  CHECK(theta.type == kVector);
  REQUIRE(theta.kind == ExprKind::Binary);
  CHECK(theta.args[0].type == kReal);    // mu
  CHECK(theta.args[1].type == kVector);  // tau * theta_trans
}

TEST_CASE("arithmetic, indexing and calls get Stan's types") {
  Program p = parse_and_check("m.stan",
                              "data { int N; array[N] int K; row_vector[N] r; vector[N] y;\n"
                              "       array[2, 3] vector[N] vs; }\n"
                              "parameters { real loc; }\n"
                              "model {\n"
                              "  real a = r * y;\n"                          // 0
                              "  vector[N] b = loc * y;\n"                   // 1
                              "  int c = 7 / 2;\n"                           // 2
                              "  real d = 7 ^ 2;\n"                          // 3
                              "  real e1 = vs[1, 2, 3];\n"                   // 4
                              "  array[3] vector[N] f = vs[1];\n"            // 5
                              "  vector[2] h = y[1:2];\n"                    // 6
                              "  int s = sum(K);\n"                          // 7
                              "  real m = max(y);\n"                         // 8
                              "  int mm = max(1, 2);\n"                      // 9
                              "  real t = loc < 0 ? 1 : 2.5;\n"              // 10
                              "  array[3] real arr = {1, 2.0, 3};\n"         // 11
                              "  row_vector[2] rv = [1, loc];\n"             // 12
                              "  array[N] int sub = K[K];\n"                 // 13
                              "  vector[N] q = y ./ 2 + 1;\n"                // 14
                              "  int w = 7 %/% 2;\n"                         // 15
                              "  K ~ poisson(exp(y));\n"                     // 16
                              "  target += normal_lpdf(K | 0, 1);\n"         // 17
                              "}\n");
  using B = BlockKind;
  CHECK(init_of(p, B::Model, 0).type == kReal);
  CHECK(init_of(p, B::Model, 1).type == kVector);
  CHECK(init_of(p, B::Model, 2).type == kInt);
  CHECK(init_of(p, B::Model, 3).type == kReal);
  CHECK(init_of(p, B::Model, 4).type == kReal);
  CHECK(init_of(p, B::Model, 5).type == Type{BaseType::Vector, 1});
  CHECK(init_of(p, B::Model, 6).type == kVector);
  CHECK(init_of(p, B::Model, 7).type == kInt);
  CHECK(init_of(p, B::Model, 8).type == kReal);
  CHECK(init_of(p, B::Model, 9).type == kInt);
  CHECK(init_of(p, B::Model, 10).type == kReal);
  CHECK(init_of(p, B::Model, 10).args[0].type == kInt);
  CHECK(init_of(p, B::Model, 11).type == Type{BaseType::Real, 1});
  CHECK(init_of(p, B::Model, 12).type == kRowVector);
  CHECK(init_of(p, B::Model, 13).type == Type{BaseType::Int, 1});
  CHECK(init_of(p, B::Model, 14).type == kVector);
  CHECK(init_of(p, B::Model, 15).type == kInt);
  CHECK(p.block(B::Model).stmts[16].exprs[1].type == kVector);
  CHECK(p.block(B::Model).stmts[17].exprs[0].type == kReal);
}

TEST_CASE("scoping across blocks, loops and local blocks") {
  expect_valid(
      "data { int N; vector[N] y; }\n"
      "transformed data {\n"
      "  real ybar = mean(y);\n"
      "  vector[N] z;\n"
      "  for (n in 1:N) z[n] = y[n] - ybar;\n"
      "}\n"
      "parameters { real loc; real log_scale; }\n"
      "transformed parameters {\n"
      "  real scale;\n"
      "  scale = exp(log_scale);\n"
      "}\n"
      "model {\n"
      "  real acc = 0;\n"
      "  for (v in y) acc += v;\n"
      "  { real inner = ybar; }\n"
      "  { real inner = scale; }\n"
      "  while (acc > 1) { acc /= 2; if (acc < 3) break; else continue; }\n"
      "  y ~ normal(loc, scale);\n"
      "}\n"
      "generated quantities {\n"
      "  real y_rep = normal_rng(loc, scale);\n"
      "  real acc = 1;\n"  // model locals are not visible here
      "}\n");
}

TEST_CASE("the rng returns an array when an argument is a container") {
  Program p = parse_and_check("m.stan",
                              "data { int N; vector[N] y; }\n"
                              "generated quantities {\n"
                              "  array[N] real y_rep = normal_rng(y, 1);\n"
                              "  int k = poisson_rng(3.0);\n"
                              "  array[N] int ks = poisson_rng(rep_vector(2, N));\n"
                              "}\n");
  CHECK(init_of(p, BlockKind::GeneratedQuantities, 0).type == Type{BaseType::Real, 1});
  CHECK(init_of(p, BlockKind::GeneratedQuantities, 1).type == kInt);
  CHECK(init_of(p, BlockKind::GeneratedQuantities, 2).type == Type{BaseType::Int, 1});
}

TEST_CASE("print and reject take strings and any values") {
  Program p = parse_and_check("m.stan",
                              "data { vector[2] y; }\n"
                              "transformed data { print(\"y = \", y); if (y[1] < 0) reject(\"bad \", y[1]); }\n");
  const Stmt& print = p.block(BlockKind::TransformedData).stmts[0];
  REQUIRE(print.kind == StmtKind::Print);
  CHECK(print.exprs[0].type == Type{BaseType::String, 0});
  CHECK(print.exprs[1].type == kVector);
}

// ---- names ------------------------------------------------------------------------------------

TEST_CASE("undeclared names") {
  expect_error("data { int<lower=0> N; vector[N] y; }\nmodel {\n  y ~ normal(mu, 1);\n}\n", 3, 14,
               "'mu' is not declared");
}

TEST_CASE("a name used before its declaration is undeclared") {
  expect_error("data {\n  vector[N] y;\n  int N;\n}\n", 2, 10, "'N' is not declared");
}

TEST_CASE("redeclaration in the same scope and in a nested scope") {
  expect_error("data { int N; }\nparameters { real N; }\n", 2, 19, "'N' is already declared");
  expect_error("data { int N; }\nmodel {\n  { real N = 1; }\n}\n", 3, 10, "'N' is already declared");
  expect_error("model {\n  real x;\n  real x;\n}\n", 3, 8, "'x' is already declared");
  expect_error("parameters { real i; }\nmodel {\n  for (i in 1:3) { }\n}\n", 3, 3, "'i' is already declared");
}

TEST_CASE("variables may be named like built-in functions, which stay callable (as in Stan)") {
  Program p = parse_and_check("m.stan",
                              "data { vector[2] e; real sd; }\n"
                              "model { real exp = sd + e[1] * e(); target += exp(exp) + sum(e); }\n");
  const Stmt& t = p.block(BlockKind::Model).stmts.at(1);
  CHECK(t.exprs[0].type == kReal);
  CHECK(t.exprs[0].args[0].type == kReal);  // exp(exp): the function applied to the real variable
  expect_error("data { real x; }\nmodel {\n  target += x(1);\n}\n", 3, 13, "'x' is a variable, not a function");
}

// ---- assignment rules -------------------------------------------------------------------------

TEST_CASE("assignment to data and parameters") {
  expect_error("data { vector[3] y; }\ntransformed data {\n  y[1] = 0;\n}\n", 3, 3,
               "cannot assign to data variable 'y'");
  expect_error("parameters { real loc; }\ntransformed parameters {\n  real s;\n  loc = 0;\n}\n", 4, 3,
               "cannot assign to parameter 'loc'");
}

TEST_CASE("assignment to transformed variables outside their block") {
  expect_error("transformed data { real z = 1; }\nmodel {\n  z = 0;\n}\n", 3, 3,
               "cannot assign to transformed data variable 'z' outside the transformed data block");
  expect_error("transformed parameters { real tp = 1; }\nmodel {\n  tp = 0;\n}\n", 3, 3,
               "cannot assign to transformed parameter 'tp' outside the transformed parameters block");
  expect_error("transformed parameters { real tp = 1; }\ngenerated quantities {\n  tp = 0;\n}\n", 3, 3,
               "cannot assign to transformed parameter 'tp'");
}

TEST_CASE("loop variables are read-only") {
  expect_error("model {\n  for (i in 1:3) {\n    i = 2;\n  }\n}\n", 3, 5, "cannot assign to loop variable 'i'");
}

TEST_CASE("assignment type compatibility") {
  expect_error("model {\n  int k;\n  k = 2.5;\n}\n", 3, 3, "cannot assign a real value to int variable 'k'");
  expect_error("data { vector[3] y; }\nmodel {\n  real x = y;\n}\n", 3, 12,
               "cannot assign a value of type vector to 'x' of type real");
  expect_error("data { vector[3] y; }\nmodel {\n  real x = 0;\n  x += y;\n}\n", 4, 3,
               "cannot assign a value of type vector to 'x' of type real");
  expect_error("model {\n  int k = 1;\n  k *= 1.5;\n}\n", 3, 3, "cannot assign a real value to int variable 'k'");
  expect_valid("data { int N; vector[N] y; }\nmodel {\n  real x = N + 1;\n  vector[N] v = y;\n"
               "  v *= 2;\n  v .*= y;\n  v[1:2] = y[2:3];\n  array[2] real a = {1, 2};\n}\n");
}

// ---- block rules ------------------------------------------------------------------------------

TEST_CASE("data and parameters blocks hold declarations without initial values") {
  expect_error("data {\n  int N = 3;\n}\n", 2, 11, "variables in the data block cannot have an initial value");
  expect_error("parameters {\n  real a = 3;\n}\n", 2, 12,
               "variables in the parameters block cannot have an initial value");
}

TEST_CASE("parameters and transformed parameters cannot be integers") {
  expect_error("parameters {\n  int k;\n}\n", 2, 3, "parameters cannot be integers");
  expect_error("transformed parameters {\n  int k = 1;\n}\n", 2, 3, "transformed parameters cannot be integers");
  expect_valid("generated quantities {\n  int k = 3 % 2;\n}\n");
}

TEST_CASE("sampling statements, target += and target() only in the model block") {
  expect_error("parameters { real mu; }\ngenerated quantities {\n  mu ~ normal(0, 1);\n}\n", 3, 3,
               "sampling statements are only allowed in the model block");
  expect_error("parameters { real mu; }\ntransformed parameters {\n  target += mu;\n}\n", 3, 3,
               "'target +=' statements are only allowed in the model block");
  expect_error("generated quantities {\n  real t = target();\n}\n", 2, 12,
               "target() is only allowed in the model block");
}

TEST_CASE("random number generators only in transformed data and generated quantities") {
  expect_error("model {\n  real x = normal_rng(0, 1);\n}\n", 2, 12,
               "random number generators are only allowed in transformed data and generated quantities");
  expect_valid("transformed data {\n  real x = normal_rng(0, 1);\n}\n");
}

TEST_CASE("break and continue outside a loop") {
  expect_error("model {\n  break;\n}\n", 2, 3, "break is only allowed inside a loop");
  expect_error("model {\n  if (1) continue;\n}\n", 2, 10, "continue is only allowed inside a loop");
}

// ---- distributions and functions --------------------------------------------------------------

TEST_CASE("unknown distribution and bad distribution arguments") {
  expect_error("parameters { real mu; }\nmodel {\n  mu ~ foo(0, 1);\n}\n", 3, 8, "unknown distribution 'foo'");
  expect_error("parameters { vector[2] mu; }\nmodel {\n  mu ~ normal(0);\n}\n", 3, 8,
               "no matching signature for normal_lpdf(vector, int): available normal_lpdf(reals | reals, reals)");
  expect_error("parameters { vector[2] mu; }\nmodel {\n  mu ~ poisson(3);\n}\n", 3, 3,
               "the left-hand side of '~ poisson' must be int or array[] int, found vector");
}

TEST_CASE("unknown function and no matching signature") {
  expect_error("model {\n  target += foo(1);\n}\n", 2, 13, "unknown function 'foo'");
  expect_error("parameters { vector[3] mu; }\nmodel {\n  target += normal_lpdf(mu | mu, mu, mu);\n}\n", 3, 13,
               "no matching signature for normal_lpdf(vector, vector, vector, vector): available");
  expect_error("parameters { real a; }\nmodel {\n  target += poisson_lpmf(a | 3);\n}\n", 3, 26,
               "the first argument of poisson_lpmf must be int or array[] int, found real");
  expect_error("parameters { real a; }\nmodel {\n  target += softmax(a);\n}\n", 3, 13,
               "no matching signature for softmax(real): available softmax(vector) => vector");
}

TEST_CASE("the bar form of probability functions") {
  expect_error("parameters { real mu; }\nmodel {\n  target += normal_lpdf(mu, 0, 1);\n}\n", 3, 13,
               "must be called as normal_lpdf(y | ...)");
  expect_error("parameters { real mu; }\nmodel {\n  target += fmax(mu | 1);\n}\n", 3, 13,
               "'|' may only be used with _lpdf, _lpmf, _lcdf, _lccdf and _cdf functions");
  expect_valid("parameters { real a; }\nmodel {\n  target += std_normal_lpdf(a);\n  a ~ std_normal();\n"
               "  target += normal_lcdf(1 | a, 1) + normal_lccdf(1 | a, 1);\n}\n");
}

// ---- expression types -------------------------------------------------------------------------

TEST_CASE("operator type errors") {
  expect_error("parameters { vector[3] a; row_vector[3] b; }\nmodel {\n  target += sum(b * b);\n}\n", 3, 17,
               "operator * cannot be applied to row_vector and row_vector");
  expect_error("parameters { matrix[3, 2] a; vector[3] b; }\nmodel {\n  target += sum(b * a);\n}\n", 3, 17,
               "operator * cannot be applied to vector and matrix");
  expect_valid("parameters { matrix[3, 2] a; vector[2] b; row_vector[3] r; }\nmodel {\n"
               "  target += sum(a * b) + sum(r * a) + sum(a' * a) + sum(b * r) + r * a * b + sum(a');\n}\n");
  expect_error("parameters { real a; }\nmodel {\n  target += a % 2;\n}\n", 3, 13,
               "operator % cannot be applied to real and int");
  expect_error("parameters { vector[3] a; row_vector[3] b; }\nmodel {\n  target += a + b;\n}\n", 3, 13,
               "operator + cannot be applied to vector and row_vector");
  expect_error("parameters { vector[3] a; }\nmodel {\n  target += a < 1;\n}\n", 3, 13,
               "operator < cannot be applied to vector and int");
  expect_error("parameters { vector[3] a; }\nmodel {\n  target += !a;\n}\n", 3, 13,
               "operator ! needs an int or real, found vector");
  expect_error("parameters { vector[3] a; real b; }\nmodel {\n  target += sum(1 ? a : b);\n}\n", 3, 17,
               "incompatible types vector and real");
}

TEST_CASE("conditions and loop bounds") {
  expect_error("parameters { vector[3] a; }\nmodel {\n  if (a) target += 1;\n}\n", 3, 7,
               "the condition of an if statement must be an int or real, found vector");
  expect_error("parameters { vector[3] a; }\nmodel {\n  while (a) { }\n}\n", 3, 10,
               "the condition of a while loop must be an int or real, found vector");
  expect_error("parameters { real a; }\nmodel {\n  for (i in 1:a) { }\n}\n", 3, 15,
               "for-loop bounds must be int, found real");
  expect_error("parameters { real a; }\nmodel {\n  for (v in a) { }\n}\n", 3, 13,
               "a foreach loop needs an array, vector, row_vector or matrix, found real");
  expect_error("model {\n  if (1) { }\n  else target += nope;\n}\n", 3, 18, "'nope' is not declared");
}

TEST_CASE("indexing") {
  expect_error("data { vector[3] y; }\nmodel {\n  target += y[1, 2];\n}\n", 3, 13,
               "too many indexes (2) for a value of type vector");
  expect_error("data { vector[3] y; }\nparameters { real a; }\nmodel {\n  target += y[a];\n}\n", 4, 15,
               "an index must be an int or array[] int, found real");
  expect_error("parameters { real a; }\nmodel {\n  target += a[1];\n}\n", 3, 13,
               "too many indexes (1) for a value of type real");
}

// ---- declarations -----------------------------------------------------------------------------

TEST_CASE("sizes must be data-only ints") {
  expect_error("parameters { real a; }\ntransformed parameters {\n  vector[int_step(a)] v;\n}\n", 3, 19,
               "vector size must depend on data only, but uses parameter 'a'");
  expect_error("transformed data {\n  array[2.0] real a;\n}\n", 2, 9, "array dimension must be an int, found real");
}

TEST_CASE("bounds must be scalars, or vectors for vector declarations") {
  expect_error("data { vector[3] y; }\nparameters {\n  real<lower=y> b;\n}\n", 3, 14,
               "lower bound of 'b' must be an int or real scalar, found vector");
  expect_valid("data { int N; vector[N] y; }\nparameters {\n  vector<lower=y>[N] b;\n  real c;\n"
               "  real<lower=c, upper=c + 1> d;\n  real<offset=c, multiplier=2> e2;\n}\n");
}

TEST_CASE("local variables cannot have constraints") {
  expect_error("model {\n  real<lower=0> x = 1;\n}\n", 2, 3, "local variable 'x' cannot have constraints");
}

TEST_CASE("strings only in print and reject") {
  // The grammar already refuses this; the checker guards ASTs built by other means.
  Program p = parse_only("m.stan", "model {\n  target += 1;\n}\n");
  Expr& e = p.block(BlockKind::Model).stmts.at(0).exprs.at(0);
  e.kind = ExprKind::StringLit;
  e.name = "x";
  try {
    check(p);
    FAIL("expected an error");
  } catch (const mcmc::Error& err) {
    std::string msg = err.what();
    CHECK(msg.find("m.stan:2:13:") != std::string::npos);
    CHECK(msg.find("strings are only allowed in print and reject") != std::string::npos);
  }
}

TEST_CASE("truncation needs a distribution with cdfs and scalar bounds") {
  expect_valid("data { int k; } parameters { real<lower=0> l; }\nmodel { k ~ poisson(l) T[1, ]; }\n");
  expect_error("data { int k; } parameters { real mu; }\nmodel { k ~ bernoulli_logit(mu) T[1, ]; }\n", 2, 35,
               "truncation needs a distribution with cdfs, and bernoulli_logit has none");
  expect_error("data { vector[2] b; } parameters { real mu; }\nmodel { mu ~ normal(0, 1) T[, b]; }\n", 2, 31,
               "a truncation bound must be an int or real, found vector");
}

TEST_CASE("user-defined functions: overloading, promotion and the rules of suffixes") {
  expect_valid("functions { real f(real x) { return x; } real f(int n) { return n + 1; } }\n"
               "parameters { real mu; }\nmodel { target += f(mu) + f(2); }\n");
  expect_error("functions { real f(real x) { return x; } }\nparameters { real mu; }\nmodel { target += f(mu, 1); }\n",
               3, 19, "no matching signature for f(real, int): available f(real) => real");
  expect_error("functions { real f(real x); }\nmodel { }\n", 1, 18, "function 'f' is declared but never defined");
  expect_error("functions { real f(real x) { return x; } real f(real y) { return y; } }\nmodel { }\n", 1, 47,
               "'f' is already defined with these argument types");
  expect_error("functions { real exp(real x) { return x; } }\nmodel { }\n", 1, 18, "'exp' is a built-in function");
  expect_error("functions { real f(real x) { x = 1; return x; } }\nmodel { }\n", 1, 30,
               "cannot assign to function argument 'x'");
  expect_error("functions { real f(real x) { return {1.0}; } }\nmodel { }\n", 1, 37, "'f' returns real, not array[] real");
  expect_error("functions { void f(real x) { target += x; } }\nmodel { }\n", 1, 30,
               "only allowed in the model block and in _lp functions");
  expect_valid("functions { void f_lp(real x) { target += x; } }\nparameters { real mu; }\nmodel { f_lp(mu); }\n");
  expect_error("functions { void f_lp(real x) { target += x; } }\nparameters { real mu; }\ngenerated quantities { f_lp(mu); }\n",
               3, 24, "_lp functions may only be called");
  expect_error("functions { real f(real x) { return normal_rng(x, 1); } }\nmodel { }\n", 1, 37,
               "random number generators are only allowed in _rng functions");
  expect_valid("functions { real f_rng(real x) { return normal_rng(x, 1); } }\ngenerated quantities { real y = f_rng(1); }\n");
  expect_error("functions { real f(real x) { return x; } }\nparameters { real mu; }\nmodel { f(mu); }\n", 3, 9,
               "the value of f(...) is not used");
  expect_error("functions { real f(real x) { return mu; } }\nparameters { real mu; }\nmodel { }\n", 1, 37,
               "'mu' is not declared");
  expect_error("model { return; }\n", 1, 9, "return is only allowed inside a function");
  expect_valid("functions { real f(real x) { real m = 0; vector[2] v = to_vector({x, m}); return sum(v); } }\nmodel { }\n");
  expect_error("functions { int f_lpmf(real y) { return 1; } }\nmodel { }\n", 1, 17, "must return real");
}

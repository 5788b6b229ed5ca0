// Parser tests: golden dumps for every construct, positioned syntax errors, and the shared models.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "lang/frontend.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;
using mcmc::lang::parse_only;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The full message of the error that parsing `source` (as "m.stan") raises; "" if none.
std::string parse_error(const std::string& source) {
  try {
    parse_only("m.stan", source);
  } catch (const mcmc::Error& e) {
    CHECK(e.code() == mcmc::ExitCode::ModelOrData);
    return e.what();
  }
  return "";
}

/// The first line of the error message: "m.stan:L:C: error: ...".
std::string first_line(const std::string& source) {
  std::string message = parse_error(source);
  return message.substr(0, message.find('\n'));
}

const fs::path kGolden = fs::path(MCMC_SOURCE_DIR) / "tests" / "lang" / "golden";

}  // namespace

// Each golden/<name>.stan is parsed and dumped; the dump must equal golden/<name>.dump.
// Set MCMC_UPDATE_GOLDEN=1 to rewrite the expected files (then read them before committing).
TEST_CASE("golden dumps") {
  const bool update = std::getenv("MCMC_UPDATE_GOLDEN") != nullptr;
  for (const char* name : {"seed", "blocks", "declarations", "expressions", "statements"}) {
    CAPTURE(name);
    fs::path stan = kGolden / (std::string(name) + ".stan");
    fs::path expected = kGolden / (std::string(name) + ".dump");
    std::string got = mcmc::lang::dump(parse_only(stan.string(), read_file(stan)));
    if (update) std::ofstream(expected, std::ios::binary) << got;
    CHECK(got == read_file(expected));
  }
}

TEST_CASE("positions are recorded on declarations, statements and expressions") {
  auto p = parse_only("m.stan", "data {\n  int<lower=0> N;\n}\nmodel {\n  y ~ normal(mu, 2 * s);\n}\n");
  const auto& data = p.block(mcmc::lang::BlockKind::Data);
  REQUIRE(data.present);
  CHECK(data.pos.line == 1);
  const auto& decl = *data.stmts.at(0).decl;
  CHECK(decl.pos.line == 2);
  CHECK(decl.pos.col == 3);
  CHECK(decl.name_pos.col == 16);
  CHECK(decl.lower->pos.col == 13);
  const auto& tilde = p.block(mcmc::lang::BlockKind::Model).stmts.at(0);
  CHECK(tilde.kind == mcmc::lang::StmtKind::Tilde);
  CHECK(tilde.pos.line == 5);
  CHECK(tilde.pos.col == 3);
  CHECK(tilde.exprs.at(1).pos.col == 14);          // mu
  CHECK(tilde.exprs.at(2).pos.col == 18);          // 2 * s starts at 2
  CHECK(tilde.exprs.at(2).args.at(1).pos.col == 22);  // s
}

TEST_CASE("operator precedence and associativity follow Stan") {
  auto expr_dump = [](const std::string& e) {
    std::string d = mcmc::lang::dump(parse_only("m.stan", "model { x = " + e + "; }"));
    std::string key = "(= x ";
    auto at = d.find(key);
    REQUIRE(at != std::string::npos);
    return d.substr(at + key.size(), d.size() - 3 - at - key.size());  // drop "))\n"
  };
  CHECK(expr_dump("-2^2") == "(- (^ 2 2))");
  CHECK(expr_dump("2^3^2") == "(^ 2 (^ 3 2))");
  CHECK(expr_dump("a - b - c") == "(- (- a b) c)");
  CHECK(expr_dump("a / b * c") == "(* (/ a b) c)");
  CHECK(expr_dump("-a * b") == "(* (- a) b)");
  CHECK(expr_dump("a + b * c") == "(+ a (* b c))");
  CHECK(expr_dump("a < b + 1 && c || d") == "(|| (&& (< a (+ b 1)) c) d)");
  CHECK(expr_dump("a == b < c") == "(== a (< b c))");
  CHECK(expr_dump("a ? b : c ? d : e") == "(?: a b (?: c d e))");
  CHECK(expr_dump("!a && b") == "(&& (! a) b)");
  CHECK(expr_dump("a %/% b % c") == "(% (%/% a b) c)");
  CHECK(expr_dump("a .* b ./ c") == "(./ (.* a b) c)");
  CHECK(expr_dump("2 ^ -1 ^ 2") == "(^ 2 (- (^ 1 2)))");
}

TEST_CASE("the seed model and every conformance model parse") {
  const std::string seed =
      "data { int<lower=0> N; vector[N] y; }\n"
      "parameters { real loc; real log_scale; }\n"
      "model {\n"
      "  target += log_scale;                      // Jacobian of scale = exp(log_scale)\n"
      "  y ~ normal(loc, exp(log_scale));\n"
      "}\n";
  auto p = parse_only("seed.stan", seed);
  CHECK(p.block(mcmc::lang::BlockKind::Model).stmts.size() == 2);
  int count = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(MCMC_TEST_DATA_DIR) / "conformance")) {
    if (entry.path().extension() != ".stan") continue;
    CAPTURE(entry.path().string());
    auto program = parse_only(entry.path().string(), read_file(entry.path()));
    CHECK(program.block(mcmc::lang::BlockKind::Model).present);
    ++count;
  }
  CHECK(count >= 8);
}

TEST_CASE("syntax errors name what was expected, with line and column") {
  CHECK(first_line("data {\n  int N\n  vector[N] y;\n}\n") == "m.stan:2:8: error: expected ';'");
  CHECK(first_line("model {\n  x = 1 + ;\n}\n") ==
        "m.stan:2:11: error: expected an expression after '+'");
  CHECK(first_line("model {\n  x = (1 + 2;\n}\n") ==
        "m.stan:3:1: error: expected ')' to close '(' opened at 2:7, found '}'");
  CHECK(first_line("data {\n  int N;\n") ==
        "m.stan:2:9: error: unclosed '{' opened at 1:6: expected '}'");
  CHECK(first_line("model { x = y[1; }") ==
        "m.stan:1:18: error: expected ']' to close '[' opened at 1:14, found '}'");
  CHECK(first_line("model { x = 1; ) }") ==
        "m.stan:1:16: error: expected '}' to close '{' opened at 1:7, found ')'");
  CHECK(first_line("model { }\n)") ==
        "m.stan:2:1: error: unexpected ')' with no matching opening bracket");
  CHECK(first_line("model {\n  x = 1 @ 2;\n}") == "m.stan:2:9: error: unexpected character '@'");
  CHECK(first_line("model { x = 1 + $y; }") == "m.stan:1:17: error: unexpected character '$'");
  CHECK(first_line("data {\n  real for;\n}") ==
        "m.stan:2:8: error: 'for' is a reserved word and cannot be used as a variable name");
  CHECK(first_line("model { for (in in 1:3) { } }") ==
        "m.stan:1:14: error: 'in' is a reserved word and cannot be used as a loop variable");
  CHECK(first_line("model { real target = 1; }") ==
        "m.stan:1:14: error: 'target' is a reserved word and cannot be used as a variable name");
  CHECK(first_line("foo { }") == "m.stan:1:1: error: unknown block 'foo'");
  CHECK(first_line("data { }\ntransformed foo { }") ==
        "m.stan:2:1: error: unknown block 'transformed foo'");
  CHECK(first_line("model { } data { }") ==
        "m.stan:1:11: error: the 'data' block must come before the 'model' block");
  CHECK(first_line("model { } model { }") == "m.stan:1:11: error: duplicate 'model' block");
  CHECK(first_line("model { x + 1; }") ==
        "m.stan:1:14: error: expected '=', '+=', '-=', '*=', '/=', '.*=', './=' or '~'");
  CHECK(first_line("model { for (i 1:N) x = 1; }") == "m.stan:1:16: error: expected 'in'");
  CHECK(first_line("data { real<lower=0 y; }") == "m.stan:1:21: error: expected ',' or '>'");
  CHECK(first_line("model { f(x) = 1; }") ==
        "m.stan:1:9: error: the left side of '=' must be a variable or an indexed variable");
  CHECK(first_line("model { target = 1; }") ==
        "m.stan:1:9: error: 'target' can only be incremented, as in 'target += ...'");
  CHECK(first_line("model { if (a) x = 1; else x = 2; else x = 3; }") ==
        "m.stan:1:35: error: 'else' without a matching 'if'");
  CHECK(first_line("model { print(\"abc); }") == "m.stan:1:15: error: unterminated string literal");
  CHECK(first_line("model { x = 99999999999; }") ==
        "m.stan:1:13: error: integer literal 99999999999 is too large (the largest int is 2147483647)");
  CHECK(first_line("data { int _x; }") == "m.stan:1:12: error: identifier '_x' cannot start with '_'");
  CHECK(first_line("data { real x__; }") ==
        "m.stan:1:13: error: identifier 'x__' cannot end in '__' (reserved for internal names)");
  CHECK(first_line("data { vector y; }") == "m.stan:1:8: error: vector needs a size, as in vector[N] y");
  CHECK(first_line("model { x = f(a, b | c); }") ==
        "m.stan:1:22: error: '|' may only follow the first argument, as in f(y | ...)");
  CHECK(first_line("model { print(); }") == "m.stan:1:15: error: expected a string or an expression");
  CHECK(first_line("data { array[] real x; }") ==
        "m.stan:1:14: error: expected an expression after '['");
  CHECK(first_line("model { x = {}; }") == "m.stan:1:14: error: expected an expression after '{'");
  CHECK(first_line("parameters { real<foo=0> x; }") ==
        "m.stan:1:19: error: expected a constraint (lower, upper, offset or multiplier)");
  CHECK(first_line("data { real ; }") == "m.stan:1:13: error: expected an identifier");
  CHECK(first_line("data { real a b; }") == "m.stan:1:14: error: expected ';'");
  CHECK(first_line("data { array[N] foo x; }") ==
        "m.stan:1:17: error: expected a type (int, real, vector, row_vector or matrix)");
  CHECK(first_line("model { while (1) }") == "m.stan:1:19: error: expected a statement");
  CHECK(first_line("model { real μ = 1; }") == "m.stan:1:14: error: unexpected character 'μ'");
  CHECK(first_line("model { y ~ normal(0, 1) + 1; }") ==
        "m.stan:1:13: error: expected a distribution after '~', as in 'y ~ normal(mu, sigma)'");
}

TEST_CASE("truncation: T[L, U], T[L, ], T[, U] and a missing comma") {
  mcmc::lang::Program p = mcmc::lang::parse_and_check(
      "m.stan", "parameters { real mu; }\nmodel {\n  mu ~ normal(0, 1) T[-1, 2];\n  mu ~ normal(0, 1) T[-1, ];\n"
                "  mu ~ normal(0, 1) T[, 2 * 3];\n}\n");
  const auto& stmts = p.block(mcmc::lang::BlockKind::Model).stmts;
  REQUIRE(stmts.size() == 3);
  CHECK((stmts[0].trunc_lower && stmts[0].trunc_upper));
  CHECK((stmts[1].trunc_lower && !stmts[1].trunc_upper));
  CHECK((!stmts[2].trunc_lower && stmts[2].trunc_upper));
  CHECK(stmts[2].trunc_upper->kind == mcmc::lang::ExprKind::Binary);
  CHECK(first_line("model { y ~ normal(0, 1) T[0]; }") == "m.stan:1:29: error: expected ','");
}

TEST_CASE("the functions block: definitions, forward declarations, void, return and call statements") {
  mcmc::lang::Program p = mcmc::lang::parse_and_check("m.stan", R"(
functions {
  real twice(real x);
  real twice(real x) { return 2 * x; }
  int fact(int n) { if (n <= 1) return 1; return n * fact(n - 1); }
  vector scale(data array[] real xs, vector v) { return v * xs[1]; }
  void say(real x) { print("x = ", x); }
  real my_lpdf(real y, real mu) { return normal_lpdf(y | mu, 1); }
}
parameters { real mu; }
model {
  say(mu);
  mu ~ my(0);
  target += my_lupdf(mu | twice(fact(3)));
}
)");
  REQUIRE(p.functions.size() == 6);
  CHECK_FALSE(p.functions[0].defined);
  CHECK(p.functions[1].defined);
  CHECK(p.functions[3].args[0].data_only);
  CHECK(p.functions[3].args[0].type == mcmc::lang::Type{mcmc::lang::BaseType::Real, 1});
  CHECK(p.functions[4].result.base == mcmc::lang::BaseType::Void);
  const auto& model = p.block(mcmc::lang::BlockKind::Model).stmts;
  CHECK(model[0].kind == mcmc::lang::StmtKind::CallStmt);
  CHECK(model[1].fun == 5);  // mu ~ my(0) calls my_lpdf
  CHECK(model[2].exprs[0].fun == 5);
  CHECK(model[2].exprs[0].args[1].fun == 1);  // twice: the definition, not the forward declaration
  CHECK(mcmc::lang::dump(p).find("(function int fact (int n)") != std::string::npos);
}

TEST_CASE("profile blocks and fatal_error parse") {
  mcmc::lang::Program p = mcmc::lang::parse_and_check(
      "m.stan", "parameters { real mu; }\nmodel {\n  profile(\"prior\") {\n    mu ~ normal(0, 1);\n  }\n"
                "  if (0) fatal_error(\"never\", mu);\n}\n");
  const auto& stmts = p.block(mcmc::lang::BlockKind::Model).stmts;
  REQUIRE(stmts.size() == 2);
  CHECK(stmts[0].kind == mcmc::lang::StmtKind::Block);
  CHECK(stmts[0].body.at(0).kind == mcmc::lang::StmtKind::Tilde);
  CHECK(stmts[1].body.at(0).kind == mcmc::lang::StmtKind::Reject);
  CHECK(stmts[1].body.at(0).name == "fatal_error");
  CHECK(first_line("model { profile(x) { } }") == "m.stan:1:17: error: expected a string");
}

TEST_CASE("unsupported syntax gets a dedicated message at its place") {
  CHECK(first_line("data {\n  matrix[3, 3] m;\n}") == "");
  CHECK(first_line("data {\n  matrix[3] m;\n}") == "m.stan:2:10: error: matrix takes two sizes, as in matrix[N, M] m");
  CHECK(first_line("parameters {\n  array[2] complex_vector[3] x;\n}") ==
        "m.stan:2:12: error: complex_vector is not supported by mcmc (see the language reference)");
  CHECK(first_line("parameters { row_stochastic_matrix[3, 3] L; }") ==
        "m.stan:1:14: error: row_stochastic_matrix is not supported by mcmc (see the language reference)");
  // The constrained types of Stan's part 2 parse, with their sizes.
  CHECK(first_line("parameters { cholesky_factor_cov[3] L; cholesky_factor_cov[4, 3] M; cov_matrix[2] S;\n"
                   "corr_matrix[2] O; unit_vector[3] u; sum_to_zero_vector[4] z; }") == "");
  CHECK(first_line("parameters { cov_matrix[2, 2] S; }") == "m.stan:1:25: error: cov_matrix takes one size, as in cov_matrix[N] S");
  CHECK(first_line("data {\n  real x[3];\n}") ==
        "m.stan:2:9: error: old array syntax is not supported: write 'array[3] real x' instead of "
        "'real x[3]'");
  CHECK(first_line("data {\n  int<lower=0> y[3];\n}") ==
        "m.stan:2:17: error: old array syntax is not supported: write 'array[3] int<lower=0> y' instead of "
        "'int<lower=0> y[3]'");
  CHECK(first_line("functions { real x = 1; }\nmodel { }") ==
        "m.stan:1:13: error: only function definitions are allowed in the functions block");
  CHECK(first_line("model { real f(real x) { return x; } }") ==
        "m.stan:1:9: error: function definitions are only allowed in the functions block");
  CHECK(first_line("model { }\nfunctions { }") ==
        "m.stan:2:1: error: the 'functions' block must come before the 'model' block");
  CHECK(first_line("model { x = y'; }") == "");
  CHECK(first_line("model { x = y' ' [1]; }") == "");
  CHECK(first_line("data { } # comment") ==
        "m.stan:1:10: error: '#' does not start a comment in Stan; use '//' (and '#include' is not "
        "supported)");
}

TEST_CASE("empty, binary and unterminated input is a clear error, never a crash") {
  CHECK(first_line("") == "m.stan:1:1: error: the model is empty (no program blocks)");
  CHECK(first_line("  \n\t\n") == "m.stan:1:1: error: the model is empty (no program blocks)");
  CHECK(first_line("// only a comment\n") == "m.stan:1:1: error: the model is empty (no program blocks)");
  CHECK(first_line(std::string("da\0ta", 5)) ==
        "m.stan:1:3: error: the model file contains a NUL byte (is it a binary file?)");
  CHECK(first_line("data \xff\xfe { }") == "m.stan:1:6: error: the model file is not valid UTF-8 text");
  CHECK(first_line("data { } /* unterminated\nmodel { }") ==
        "m.stan:1:10: error: unterminated comment: '/*' has no matching '*/'");
  // Every byte value, in a fixed pseudo-random order: an error, no crash, printable message.
  std::string garbage;
  unsigned state = 12345;
  for (int i = 0; i < 4096; ++i) {
    state = state * 1103515245u + 12345u;
    garbage += static_cast<char>((state >> 16) & 0xFF);
  }
  std::string message = parse_error(garbage);
  CHECK(message.rfind("m.stan:1:", 0) == 0);
  CHECK(message.find('\0') == std::string::npos);
}

TEST_CASE("deep nesting is rejected before it can exhaust the stack") {
  std::string deep = "model { x = " + std::string(10000, '(') + "1" + std::string(10000, ')') + "; }";
  CHECK(first_line(deep) ==
        "m.stan:1:512: error: brackets nested deeper than 500 levels are not supported");
  std::string ok = "model { x = " + std::string(400, '(') + "1" + std::string(400, ')') + "; }";
  CHECK(parse_error(ok) == "");
  std::string minus = "model { x = " + std::string(100000, '-') + "1; }";
  CHECK(first_line(minus).find("nested too deeply") != std::string::npos);
  std::string ifs = "model { ";
  for (int i = 0; i < 2100; ++i) ifs += "if (a) ";  // over the 2000-level limit
  ifs += "x = 1; }";
  CHECK(first_line(ifs).find("nested too deeply") != std::string::npos);
  std::string ternary = "model { x = ";
  for (int i = 0; i < 2100; ++i) ternary += "a ? b : ";
  ternary += "1; }";
  CHECK(first_line(ternary).find("nested too deeply") != std::string::npos);
}

TEST_CASE("very long lines parse and errors show a window around the column") {
  std::string list = "1";
  for (int i = 0; i < 20000; ++i) list += ", 1";
  CHECK(parse_error("transformed data { array[20001] int x = {" + list + "}; }") == "");
  std::string sum = "1";
  for (int i = 0; i < 1000; ++i) sum += " + 1";
  CHECK(parse_error("model { x = " + sum + "; }") == "");
  std::string message = parse_error("model { x = " + sum + " + ; }");
  CHECK(message.rfind("m.stan:1:4017: error: expected an expression after '+'", 0) == 0);
  CHECK(message.size() < 600);  // the shown line is truncated
}

TEST_CASE("load_program: a missing file is an I/O error") {
  try {
    mcmc::lang::load_program("/nonexistent/dir/model.stan");
    FAIL("expected an error");
  } catch (const mcmc::Error& e) {
    CHECK(e.code() == mcmc::ExitCode::Io);
    CHECK(std::string(e.what()) ==
          "cannot read model file '/nonexistent/dir/model.stan': No such file or directory");
  }
}

TEST_CASE("load_program: a directory is an I/O error") {
  try {
    mcmc::lang::load_program(MCMC_SOURCE_DIR);
    FAIL("expected an error");
  } catch (const mcmc::Error& e) {
    CHECK(e.code() == mcmc::ExitCode::Io);
    CHECK(std::string(e.what()).find("Is a directory") != std::string::npos);
  }
}

TEST_CASE("parse_and_check accepts the seed model and fills in types") {
  fs::path stan = kGolden / "seed.stan";
  auto p = mcmc::lang::load_program(stan.string());
  const auto& tilde = p.block(mcmc::lang::BlockKind::Model).stmts.at(1);
  REQUIRE(tilde.kind == mcmc::lang::StmtKind::Tilde);
  CHECK(tilde.name == "normal");
  CHECK(tilde.exprs.at(0).type == mcmc::lang::Type{mcmc::lang::BaseType::Vector, 0});
  CHECK(p.file == stan.string());
}

// End-to-end catalogue of bad inputs: each exits with its documented code and a short message saying what and where.
#include <doctest/doctest.h>

#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "cli_harness.hpp"

using namespace cli_test;

namespace {

/// One bad input. The model / data / init texts (when not null) are written to m.stan, d.json and
/// i.json in a fresh directory; "{dir}", "{model}", "{data}" and "{init}" in `args` name them.
/// Empty `args`: `run {model} [--data {data}] [--init {init}]` with a short, quiet, seeded run.
struct Case {
  const char* name;
  std::optional<std::string> model;  // none: models/normal_logscale.stan
  std::optional<std::string> data;   // none: no data file
  std::optional<std::string> init;   // none: no init file
  std::vector<std::string> args;
  int code;
  std::string what;             // a substring saying what is wrong
  std::string where;            // a substring saying where ("m.stan:2:21" for model errors: then a caret line is required)
};

const std::string kSeedModel = "models/normal_logscale.stan";
const std::string kSeedData = "models/normal_logscale.data.json";

// ---------------------------------------------------------------- generated inputs

std::string long_line() {
  std::string s = "parameters { real mu; }\nmodel { mu ~ normal(0, 1";
  for (int i = 0; i < 50000; ++i) s += " + 1";
  return s + ") }\n";
}

std::string nested(int depth, int closers) {
  return "parameters { real mu; }\nmodel { mu ~ normal(" + std::string(depth, '(') + "0" + std::string(closers, ')') +
         ", 1); }\n";
}

std::string unary_chain() { return "parameters { real mu; }\nmodel { mu ~ normal(" + std::string(10000, '-') + "0, 1); }\n"; }

std::string nested_blocks() {
  return "parameters { real mu; }\nmodel { " + std::string(10000, '{') + std::string(10000, '}') + " }\n";
}

const std::string kLongLine = long_line();
const std::string kNested = nested(10000, 10000);
const std::string kNestedUnclosed = nested(10000, 9999);
const std::string kUnary = unary_chain();
const std::string kBlocks = nested_blocks();
const std::string kGarbage = std::string("\x7f" "ELF\x02\x01\x01\x00\x00\xff\xfe\n\x00\x01garbage", 20);
const std::string kBadUtf8 = "parameters { real mu; }\nmodel { mu ~ normal(0, 1); }\n\xff\xfe";
const std::string kDeepJson = "{\"N\": " + std::string(10000, '[') + std::string(10000, ']') + "}";

// The data model: every kind of data declaration the data cases break.
const char* kDataModel =
    "data {\n"
    "  int<lower=0> N;\n"
    "  vector[N] y;\n"
    "  real<lower=0> s;\n"
    "  array[2] int k;\n"
    "  array[2, 3] real M;\n"
    "  vector<lower=0, upper=1>[2] p;\n"
    "}\n"
    "parameters { real mu; }\n"
    "model { y ~ normal(mu, s); }\n";

std::string data_with(const std::string& fields) {
  std::string text = "{";  // (appending, not "{" + fields + "}": GCC 12 warns falsely on that, -Wrestrict)
  text += fields;
  text += "}";
  return text;
}
const std::string kRest = "\"s\": 1.0, \"k\": [1, 2], \"M\": [[1,2,3],[4,5,6]], \"p\": [0.2, 0.3]";
const std::string kYs = "\"y\": [1.5, 2.5], ";
const std::string kD_missing = data_with("\"N\": 2, " + kYs + "\"k\": [1, 2], \"M\": [[1,2,3],[4,5,6]], \"p\": [0.2, 0.3]");
const std::string kD_len = data_with("\"N\": 3, " + kYs + kRest);
const std::string kD_shape2 = data_with("\"N\": 2, " + kYs + "\"s\": 1.0, \"k\": [1, 2], \"M\": [[1,2],[4,5]], \"p\": [0.2, 0.3]");
const std::string kD_ragged = data_with("\"N\": 2, " + kYs + "\"s\": 1.0, \"k\": [1, 2], \"M\": [[1,2,3],[4,5]], \"p\": [0.2, 0.3]");
const std::string kD_scalar = data_with("\"N\": 2, \"y\": 1.5, " + kRest);
const std::string kD_array = data_with("\"N\": [2], " + kYs + kRest);
const std::string kD_realint = data_with("\"N\": 2.5, " + kYs + kRest);
const std::string kD_realintarr = data_with("\"N\": 2, " + kYs + "\"s\": 1.0, \"k\": [1, 2.5], \"M\": [[1,2,3],[4,5,6]], \"p\": [0.2, 0.3]");
const std::string kD_nanint = data_with("\"N\": \"NaN\", " + kYs + kRest);
const std::string kD_infint = data_with("\"N\": 2, " + kYs + "\"s\": 1.0, \"k\": [1, \"Inf\"], \"M\": [[1,2,3],[4,5,6]], \"p\": [0.2, 0.3]");
const std::string kD_nanlower = data_with("\"N\": 2, " + kYs + "\"s\": \"NaN\", \"k\": [1, 2], \"M\": [[1,2,3],[4,5,6]], \"p\": [0.2, 0.3]");
const std::string kD_inflower = data_with("\"N\": 2, " + kYs + "\"s\": \"-Infinity\", \"k\": [1, 2], \"M\": [[1,2,3],[4,5,6]], \"p\": [0.2, 0.3]");
const std::string kD_neglower = data_with("\"N\": 2, " + kYs + "\"s\": -1, \"k\": [1, 2], \"M\": [[1,2,3],[4,5,6]], \"p\": [0.2, 0.3]");
const std::string kD_negN = data_with("\"N\": -1, \"y\": [], " + kRest);
const std::string kD_upper = data_with("\"N\": 2, " + kYs + "\"s\": 1.0, \"k\": [1, 2], \"M\": [[1,2,3],[4,5,6]], \"p\": [0.2, 1.5]");
const std::string kD_truncated = "{\"N\": 2, " + kYs + kRest;
const std::string kD_comma = "{\"N\": 2, \"y\": [1.5, 2.5,], \"s\": 1.0}";
const std::string kD_dup = data_with("\"N\": 2, \"N\": 3, " + kYs + kRest);
const std::string kD_intrange = data_with("\"N\": 2, " + kYs + "\"s\": 1.0, \"k\": [1, 99999999999], \"M\": [[1,2,3],[4,5,6]], \"p\": [0.2, 0.3]");
const std::string kD_intexp = data_with("\"N\": 2, " + kYs + "\"s\": 1.0, \"k\": [1, 1e300], \"M\": [[1,2,3],[4,5,6]], \"p\": [0.2, 0.3]");
const std::string kD_inthuge = data_with("\"N\": 2, " + kYs + "\"s\": 1.0, \"k\": [1, 99999999999999999999999], \"M\": [[1,2,3],[4,5,6]], \"p\": [0.2, 0.3]");
const std::string kD_overflow = data_with("\"N\": 2, \"y\": [1.5, 1e999], " + kRest);
const std::string kD_string = data_with("\"N\": 2, \"y\": [1.5, \"abc\"], " + kRest);
const std::string kD_bool = data_with("\"N\": true, " + kYs + kRest);
const std::string kD_null = data_with("\"N\": 2, \"y\": [1.5, null], " + kRest);
const std::string kD_garbage = std::string("garb\x01\x02" "age\xff", 10);

const char* kPosModel =
    "parameters { real<lower=0> sigma; array[2] real z; }\n"
    "model { sigma ~ exponential(1); z ~ normal(0, sigma); }\n";

const char* kScaleModel = "data { int N; vector[N] y; real s; }\nparameters { real mu; }\nmodel { y ~ normal(mu, s); }\n";
const char* kScalesModel =
    "data { int N; vector[N] y; vector[N] s; }\nparameters { real mu; }\nmodel { y ~ normal(mu, s); }\n";

std::vector<std::string> plus(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// A valid run of the seed model, for command-line cases.
std::vector<std::string> seed_run(const std::vector<std::string>& extra) {
  return plus({"run", kSeedModel, "--data", kSeedData, "--chains", "1", "--warmup", "10", "--samples", "10", "-q",
               "--seed", "1"},
              extra);
}

const std::vector<Case>& catalogue() {
  static const std::vector<Case> cases = {
      // ------------------------------------------------------------ syntax errors (3, positioned)
      {"unclosed block", "data { int N;\nparameters { real mu; }\nmodel { mu ~ normal(0,1); }\n", std::nullopt, std::nullopt, {}, 3,
       "unclosed '{' opened at 1:6", "m.stan:3:28:"},
      {"unclosed parenthesis", "parameters { real mu; }\nmodel { mu ~ normal(0, 1; }\n", std::nullopt, std::nullopt, {}, 3,
       "expected ')' to close '(' opened at 2:20", "m.stan:2:27:"},
      {"unclosed bracket", "data { int N; vector[N y; }\nparameters { real mu; }\nmodel { mu ~ normal(0,1); }\n", std::nullopt,
       std::nullopt, {}, 3, "expected ']' to close '['", "m.stan:1:27:"},
      {"bad token", "parameters { real mu; }\nmodel { mu ~ normal(0, 1) @ 2; }\n", std::nullopt, std::nullopt, {}, 3,
       "unexpected character '@'", "m.stan:2:27:"},
      {"missing semicolon", "parameters { real mu }\nmodel { mu ~ normal(0, 1); }\n", std::nullopt, std::nullopt, {}, 3,
       "expected ';'", "m.stan:1:21:"},
      {"reserved word 'for' as a name", "parameters { real for; }\nmodel { }\n", std::nullopt, std::nullopt, {}, 3,
       "'for' is a reserved word", "m.stan:1:19:"},
      {"reserved word 'while' as a data name", "data { int while; }\nmodel { }\n", std::nullopt, std::nullopt, {}, 3,
       "'while' is a reserved word", "m.stan:1:12:"},
      {"type name as a variable name", "data { int real; }\nmodel { }\n", std::nullopt, std::nullopt, {}, 3,
       "'real' is a reserved word", "m.stan:1:12:"},
      {"'target' as a variable name", "parameters { real target; }\nmodel { }\n", std::nullopt, std::nullopt, {}, 3,
       "'target' is a reserved word", "m.stan:1:19:"},
      {"block name as a variable name", "parameters { real model; }\nmodel { model ~ normal(0, 1); }\n", std::nullopt,
       std::nullopt, {}, 3, "'model' is a reserved word", "m.stan:1:19:"},
      {"stray character", "parameters { real mu; } $\nmodel { mu ~ normal(0, 1); }\n", std::nullopt, std::nullopt, {}, 3,
       "unexpected character '$'", "m.stan:1:25:"},
      {"empty file", "", std::nullopt, std::nullopt, {}, 3, "the model is empty", "m.stan:1:1:"},
      {"whitespace only", "   \n\n", std::nullopt, std::nullopt, {}, 3, "the model is empty", "m.stan:1:1:"},
      {"binary garbage", kGarbage, std::nullopt, std::nullopt, {}, 3, "unexpected character '\\x7F'", "m.stan:1:1:"},
      {"invalid UTF-8", kBadUtf8, std::nullopt, std::nullopt, {}, 3, "not valid UTF-8", "m.stan:3:1:"},
      {"unterminated comment", "parameters { real mu; }\n/* never closed\nmodel { mu ~ normal(0, 1); }\n", std::nullopt,
       std::nullopt, {}, 3, "unterminated comment", "m.stan:2:1:"},
      {"unterminated string", "parameters { real mu; }\nmodel { print(\"abc); mu ~ normal(0, 1); }\n", std::nullopt, std::nullopt,
       {}, 3, "unterminated string literal", "m.stan:2:15:"},
      {"a very long line", kLongLine, std::nullopt, std::nullopt, {}, 3, "expected ';'", "m.stan:2:200026:"},
      {"10,000 nested parentheses", kNested, std::nullopt, std::nullopt, {}, 3, "nested deeper than 500 levels",
       "m.stan:2:519:"},
      {"10,000 unbalanced parentheses", kNestedUnclosed, std::nullopt, std::nullopt, {}, 3,
       "nested deeper than 500 levels", "m.stan:2:519:"},
      {"10,000 unary minus signs", kUnary, std::nullopt, std::nullopt, {}, 3, "nested too deeply", "m.stan:2:21:"},
      {"10,000 nested blocks", kBlocks, std::nullopt, std::nullopt, {}, 3, "nested deeper than 500 levels",
       "m.stan:2:508:"},
      {"malformed number", "parameters { real mu; }\nmodel { mu ~ normal(1.2.3, 1); }\n", std::nullopt, std::nullopt, {}, 3,
       "expected ',' or ')'", "m.stan:2:24:"},
      {"unknown block", "parameter { real mu; }\nmodel { mu ~ normal(0, 1); }\n", std::nullopt, std::nullopt, {}, 3,
       "unknown block 'parameter'", "m.stan:1:1:"},
      {"blocks out of order", "model { mu ~ normal(0, 1); }\nparameters { real mu; }\n", std::nullopt, std::nullopt, {}, 3,
       "the 'parameters' block must come before the 'model' block", "m.stan:2:1:"},
      {"duplicate block", "parameters { real mu; }\nparameters { real sigma; }\nmodel { mu ~ normal(0, 1); }\n", std::nullopt,
       std::nullopt, {}, 3, "duplicate 'parameters' block", "m.stan:2:1:"},
      {"mismatched closing bracket", "parameters { real mu; }\nmodel { mu ~ normal(0, 1]; }\n", std::nullopt, std::nullopt, {}, 3,
       "found ']'", "m.stan:2:25:"},
      {"extra closing parenthesis", "parameters { real mu; }\nmodel { mu ~ normal(0, 1)); }\n", std::nullopt, std::nullopt, {}, 3,
       "found ')'", "m.stan:2:26:"},
      {"missing argument", "parameters { real mu; }\nmodel { mu ~ normal(0, ); }\n", std::nullopt, std::nullopt, {}, 3,
       "expected an expression after ','", "m.stan:2:24:"},
      {"empty bound", "parameters { real<lower=> mu; }\nmodel { mu ~ normal(0, 1); }\n", std::nullopt, std::nullopt, {}, 3,
       "expected an expression after '='", "m.stan:1:25:"},
      {"duplicate bound", "parameters { real<lower=0, lower=1> mu; }\nmodel { mu ~ normal(0,1); }\n", std::nullopt, std::nullopt,
       {}, 3, "duplicate 'lower' constraint", "m.stan:1:28:"},
      {"truncation without cdfs", "parameters { real mu; }\nmodel { 1 ~ bernoulli_logit(mu) T[0, ]; }\n", std::nullopt, std::nullopt, {},
       3, "truncation needs a distribution with cdfs, and bernoulli_logit has none", "m.stan:2:35:"},
      {"unsupported type", "data { complex_matrix[2, 3] M; }\nparameters { real mu; }\nmodel { mu ~ normal(0, 1); }\n", std::nullopt,
       std::nullopt, {}, 3, "complex_matrix is not supported", "m.stan:1:8:"},

      // ------------------------------------------------------------ semantic errors (3, positioned)
      {"undeclared variable", "parameters { real mu; }\nmodel { mu ~ normal(nu, 1); }\n", std::nullopt, std::nullopt, {}, 3,
       "'nu' is not declared", "m.stan:2:21:"},
      {"redeclared variable", "parameters { real mu; real mu; }\nmodel { mu ~ normal(0, 1); }\n", std::nullopt, std::nullopt, {}, 3,
       "'mu' is already declared", "m.stan:1:28:"},
      {"redeclared across blocks", "data { int N; }\nparameters { real N; }\nmodel { N ~ normal(0, 1); }\n", std::nullopt,
       std::nullopt, {}, 3, "'N' is already declared", "m.stan:2:19:"},
      {"real assigned to int", "parameters { real mu; }\nmodel { int k; k = mu; mu ~ normal(0, 1); }\n", std::nullopt, std::nullopt,
       {}, 3, "cannot assign a real value to int variable 'k'", "m.stan:2:16:"},
      {"vector assigned to real",
       "data { int N; vector[N] y; }\nparameters { real mu; }\nmodel { real z; z = y; mu ~ normal(0, 1); }\n", std::nullopt,
       std::nullopt, {}, 3, "cannot assign a value of type vector to 'z' of type real", "m.stan:3:17:"},
      {"wrong argument count of a distribution", "parameters { real mu; }\nmodel { mu ~ normal(0, 1, 2); }\n", std::nullopt,
       std::nullopt, {}, 3, "no matching signature for normal_lpdf(real, int, int, int)", "m.stan:2:14:"},
      {"wrong argument count of a function", "parameters { real mu; }\nmodel { target += exp(mu, 1); }\n", std::nullopt,
       std::nullopt, {}, 3, "no matching signature for exp(real, int)", "m.stan:2:19:"},
      {"unknown function", "parameters { real mu; }\nmodel { target += frobnicate(mu); }\n", std::nullopt, std::nullopt, {}, 3,
       "unknown function 'frobnicate'", "m.stan:2:19:"},
      {"unknown distribution", "parameters { real mu; }\nmodel { mu ~ frobnicate(0, 1); }\n", std::nullopt, std::nullopt, {}, 3,
       "unknown distribution 'frobnicate'", "m.stan:2:14:"},
      {"_rng in the model block", "parameters { real mu; }\nmodel { real z = normal_rng(0, 1); mu ~ normal(z, 1); }\n",
       std::nullopt, std::nullopt, {}, 3, "random number generators are only allowed in transformed data and generated quantities",
       "m.stan:2:18:"},
      {"_rng in transformed parameters",
       "parameters { real mu; }\ntransformed parameters { real z = normal_rng(0,1); }\nmodel { mu ~ normal(0,1); }\n",
       std::nullopt, std::nullopt, {}, 3, "random number generators are only allowed", "m.stan:2:35:"},
      {"~ in generated quantities",
       "parameters { real mu; }\nmodel { mu ~ normal(0, 1); }\ngenerated quantities { mu ~ normal(0, 1); }\n", std::nullopt,
       std::nullopt, {}, 3, "sampling statements are only allowed in the model block", "m.stan:3:24:"},
      {"~ in transformed parameters",
       "parameters { real mu; }\ntransformed parameters { real z = mu; z ~ normal(0, 1); }\nmodel { mu ~ normal(0, 1); }\n",
       std::nullopt, std::nullopt, {}, 3, "sampling statements are only allowed in the model block", "m.stan:2:39:"},
      {"target += outside the model block",
       "parameters { real mu; }\ntransformed parameters { real z = mu; target += 1; }\nmodel { mu ~ normal(0, 1); }\n",
       std::nullopt, std::nullopt, {}, 3, "'target +=' statements are only allowed in the model block", "m.stan:2:39:"},
      {"assigning to data", "data { real x; }\nparameters { real mu; }\nmodel { x = 2; mu ~ normal(0, 1); }\n", std::nullopt,
       std::nullopt, {}, 3, "cannot assign to data variable 'x'", "m.stan:3:9:"},
      {"assigning to a parameter", "parameters { real mu; }\nmodel { mu = 2; mu ~ normal(0, 1); }\n", std::nullopt, std::nullopt,
       {}, 3, "cannot assign to parameter 'mu'", "m.stan:2:9:"},
      {"indexing a scalar", "data { real x; }\nparameters { real mu; }\nmodel { mu ~ normal(x[1], 1); }\n", std::nullopt, std::nullopt,
       {}, 3, "too many indexes (1) for a value of type real", "m.stan:3:21:"},
      {"integer parameter", "parameters { int k; }\nmodel { }\n", std::nullopt, std::nullopt, {}, 3, "parameters cannot be integers",
       "m.stan:1:14:"},
      {"real size", "parameters { real n; vector[n] v; }\nmodel { v ~ normal(0,1); }\n", std::nullopt, std::nullopt, {}, 3,
       "vector size must be an int, found real", "m.stan:1:29:"},
      {"break outside a loop", "parameters { real mu; }\nmodel { break; }\n", std::nullopt, std::nullopt, {}, 3,
       "break is only allowed inside a loop", "m.stan:2:9:"},
      {"use before declaration", "parameters { real mu; }\nmodel { z ~ normal(0,1); real z; }\n", std::nullopt, std::nullopt, {}, 3,
       "'z' is not declared", "m.stan:2:9:"},
      {"assigning to a loop variable", "parameters { real mu; }\nmodel { for (i in 1:3) { i = 2; } }\n", std::nullopt, std::nullopt,
       {}, 3, "cannot assign to loop variable 'i'", "m.stan:2:26:"},
      {"real index", "data { int N; vector[N] y; }\nparameters { real mu; }\nmodel { y[1.5] ~ normal(mu, 1); }\n", std::nullopt,
       std::nullopt, {}, 3, "an index must be an int or array[] int, found real", "m.stan:3:11:"},
      {"_lpdf without a bar", "parameters { real mu; }\nmodel { target += normal_lpdf(mu, 0, 1); }\n", std::nullopt, std::nullopt,
       {}, 3, "must be called as normal_lpdf(y | ...)", "m.stan:2:19:"},

      // ------------------------------------------------------------ data errors (3, naming variable and file)
      {"data: variable missing", kDataModel, kD_missing, std::nullopt, {}, 3,
       "variable 's' (declared at line 4) is missing", "d.json"},
      {"data: wrong length", kDataModel, kD_len, std::nullopt, {}, 3,
       "variable 'y': declared with shape [3]", "d.json' has shape [2]"},
      {"data: wrong 2-d shape", kDataModel, kD_shape2, std::nullopt, {}, 3,
       "variable 'M': declared with shape [2,3]", "d.json' has shape [2,2]"},
      {"data: ragged array", kDataModel, kD_ragged, std::nullopt, {}, 3, "variable 'M': ragged array", "d.json"},
      {"data: scalar for a vector", kDataModel, kD_scalar, std::nullopt, {}, 3,
       "variable 'y': declared with shape [2]", "d.json' has shape []"},
      {"data: array for a scalar", kDataModel, kD_array, std::nullopt, {}, 3,
       "variable 'N': declared with shape []", "d.json' has shape [1]"},
      {"data: real where int is declared", kDataModel, kD_realint, std::nullopt, {}, 3,
       "variable 'N' is declared int, but element 1", "d.json"},
      {"data: real in an int array", kDataModel, kD_realintarr, std::nullopt, {}, 3,
       "variable 'k' is declared int, but element 2", "d.json"},
      {"data: NaN for an int", kDataModel, kD_nanint, std::nullopt, {}, 3, "variable 'N' is declared int", "d.json"},
      {"data: Inf for an int", kDataModel, kD_infint, std::nullopt, {}, 3, "variable 'k' is declared int", "d.json"},
      {"data: NaN for a lower-bounded real", kDataModel, kD_nanlower, std::nullopt, {}, 3,
       "data variable s is nan, but must be greater than or equal to 0", "d.json"},
      {"data: -Inf for a lower-bounded real", kDataModel, kD_inflower, std::nullopt, {}, 3,
       "data variable s is -inf, but must be greater than or equal to 0", "d.json"},
      {"data: lower bound violated", kDataModel, kD_neglower, std::nullopt, {}, 3,
       "data variable s is -1, but must be greater than or equal to 0", "d.json"},
      {"data: int lower bound violated", kDataModel, kD_negN, std::nullopt, {}, 3,
       "data variable N is -1, but must be greater than or equal to 0", "d.json"},
      {"data: upper bound violated", kDataModel, kD_upper, std::nullopt, {}, 3,
       "data variable p[2] is 1.5, but must be less than or equal to 1", "d.json"},
      {"data: truncated JSON", kDataModel, kD_truncated, std::nullopt, {}, 3, "malformed JSON", "d.json': malformed JSON at line 1, column"},
      {"data: trailing comma", kDataModel, kD_comma, std::nullopt, {}, 3, "malformed JSON", "line 1, column 25"},
      {"data: duplicate key", kDataModel, kD_dup, std::nullopt, {}, 3, "duplicate variable 'N'", "d.json"},
      {"data: empty file", kDataModel, "", std::nullopt, {}, 3, "is empty", "d.json"},
      {"data: top level not an object", kDataModel, "[1, 2, 3]", std::nullopt, {}, 3, "the top level must be an object",
       "d.json"},
      {"data: int out of range", kDataModel, kD_intrange, std::nullopt, {}, 3,
       "variable 'k': integer 99999999999", "d.json"},
      {"data: int given in exponent form out of range", kDataModel, kD_intexp, std::nullopt, {}, 3,
       "out of range for int", "d.json"},
      {"data: integer beyond 2^53", kDataModel, kD_inthuge, std::nullopt, {}, 3,
       "variable 'k': integer 99999999999999999999999 is too large", "d.json"},
      {"data: real overflow", kDataModel, kD_overflow, std::nullopt, {}, 3, "number overflow parsing '1e999'",
       "d.json"},
      {"data: string value", kDataModel, kD_string, std::nullopt, {}, 3, "variable 'y': unexpected string \"abc\"",
       "d.json"},
      {"data: boolean value", kDataModel, kD_bool, std::nullopt, {}, 3, "variable 'N': unexpected a boolean",
       "d.json"},
      {"data: null value", kDataModel, kD_null, std::nullopt, {}, 3, "variable 'y': unexpected null", "d.json"},
      {"data: binary garbage", kDataModel, kD_garbage, std::nullopt, {}, 3, "malformed JSON",
       "line 1, column 1"},
      {"data: 10,000 nested arrays", kDataModel, kDeepJson, std::nullopt, {}, 3,
       "variable 'N': declared with shape []", "(10000 dimensions)"},
      {"data: no data file at all", kDataModel, std::nullopt, std::nullopt, {}, 3, "variable 'N' (declared at line 2) is missing",
       "from the data"},

      // ------------------------------------------------------------ command line (2)
      {"unknown option", std::nullopt, std::nullopt, std::nullopt, seed_run({"--frobnicate"}), 2, "unknown option '--frobnicate' for mcmc run", "mcmc run --help"},
      {"non-numeric value", std::nullopt, std::nullopt, std::nullopt, seed_run({"--chains", "abc"}), 2, "abc", "--chains"},
      {"--chains 0", std::nullopt, std::nullopt, std::nullopt, seed_run({"--chains", "0"}), 2, "Value 0 not in range 1 to", "--chains"},
      {"negative --samples", std::nullopt, std::nullopt, std::nullopt, seed_run({"--samples", "-5"}), 2, "Value -5 not in range",
       "--samples"},
      {"unknown algorithm", std::nullopt, std::nullopt, std::nullopt, seed_run({"--algorithm", "gibbs"}), 2, "gibbs not in {nuts,hmc,chees,meads}",
       "--algorithm"},
      {"meads with too few chains", std::nullopt, std::nullopt, std::nullopt,
       seed_run({"--algorithm", "meads"}), 2, "needs at least 8 chains", "--chains 1"},
      {"--folds without meads", std::nullopt, std::nullopt, std::nullopt, seed_run({"--folds", "3"}), 2,
       "--folds applies to --algorithm meads only", "--folds"},
      {"--max-steps without chees", std::nullopt, std::nullopt, std::nullopt, seed_run({"--max-steps", "30"}), 2,
       "--max-steps applies to --algorithm chees only", "--max-steps"},
      {"unknown format", std::nullopt, std::nullopt, std::nullopt, seed_run({"--format", "xml"}), 2, "xml not in {csv,csv-long,json,netcdf}",
       "--format"},
      {"--max-depth 0", std::nullopt, std::nullopt, std::nullopt, seed_run({"--max-depth", "0"}), 2, "Value 0 not in range 1 to 30",
       "--max-depth"},
      {"--step-size 0", std::nullopt, std::nullopt, std::nullopt, seed_run({"--step-size", "0"}), 2, "is not a positive number",
       "--step-size"},
      {"negative --threads", std::nullopt, std::nullopt, std::nullopt, seed_run({"--threads", "-2"}), 2, "is negative", "--threads"},
      {"--target-accept above 1", std::nullopt, std::nullopt, std::nullopt, seed_run({"--target-accept", "1.5"}), 2,
       "Value 1.5 is not strictly between 0 and 1", "--target-accept"},
      {"--target-accept 1", std::nullopt, std::nullopt, std::nullopt, seed_run({"--target-accept", "1"}), 2,
       "Value 1 is not strictly between 0 and 1", "--target-accept"},
      {"CmdStan's iter", std::nullopt, std::nullopt, std::nullopt, seed_run({"--iter", "2000"}), 2,
       "unknown option '--iter' for mcmc run", "use --warmup N --samples N"},
      {"CmdStan's num_samples", std::nullopt, std::nullopt, std::nullopt, seed_run({"--num_samples=100"}), 2,
       "unknown option '--num_samples' for mcmc run", "use --samples"},
      {"CmdStan's adapt delta", std::nullopt, std::nullopt, std::nullopt, seed_run({"--adapt-delta", "0.9"}), 2,
       "unknown option '--adapt-delta'", "use --target-accept"},
      {"a misspelt option", std::nullopt, std::nullopt, std::nullopt, seed_run({"--chians", "2"}), 2,
       "unknown option '--chians'", "did you mean --chains?"},
      {"--seed -1", std::nullopt, std::nullopt, std::nullopt, seed_run({"--seed", "-1"}), 2,
       "the seed must be an integer in [0, 2^64-1], got '-1'", "--seed"},
      {"--seed 2^64", std::nullopt, std::nullopt, std::nullopt, seed_run({"--seed", "18446744073709551616"}), 2,
       "the seed must be an integer in [0, 2^64-1]", "--seed"},
      {"non-integer --seed", std::nullopt, std::nullopt, std::nullopt, seed_run({"--seed", "1.5"}), 2,
       "the seed must be an integer in [0, 2^64-1], got '1.5'", "--seed"},
      {"--thin 0", std::nullopt, std::nullopt, std::nullopt, seed_run({"--thin", "0"}), 2, "Value 0 not in range", "--thin"},
      {"no model file argument", std::nullopt, std::nullopt, std::nullopt, {"run"}, 2, "is required", "model"},
      {"unknown command", std::nullopt, std::nullopt, std::nullopt, {"frobnicate", kSeedModel}, 2,
       "unknown command 'frobnicate'", "expected run, parse, log-density, summary, report, generate-quantities, convert, optimize or pathfinder"},
      {"no subcommand", std::nullopt, std::nullopt, std::nullopt, {"--chains", "2"}, 2, "A subcommand is required", "mcmc --help"},
      {"--inv-mass of the wrong length", std::nullopt, std::nullopt, std::nullopt, seed_run({"--inv-mass", "1,2,3"}), 2,
       "has 3 values but the model has 2 unconstrained parameters (loc, log_scale)", "--inv-mass"},
      {"--inv-mass not positive", std::nullopt, std::nullopt, std::nullopt, seed_run({"--inv-mass", "1,-2"}), 2,
       "-2 is not a positive number", "--inv-mass"},
      {"--percentiles out of range", std::nullopt, std::nullopt, std::nullopt, seed_run({"--percentiles", "5,150"}), 2,
       "150 is not between 0 and 100", "--percentiles"},
      {"negative --init radius", std::nullopt, std::nullopt, std::nullopt, seed_run({"--init", "-1"}), 2, "must be non-negative",
       "--init"},
      {"--steps with NUTS", std::nullopt, std::nullopt, std::nullopt, seed_run({"--steps", "5"}), 2, "apply to --algorithm hmc only",
       "--steps"},
      {"--max-depth with static HMC", std::nullopt, std::nullopt, std::nullopt, seed_run({"--algorithm", "hmc", "--max-depth", "5"}), 2,
       "applies to --algorithm nuts only", "--max-depth"},
      {"unknown key in a config file", std::nullopt, std::nullopt, std::nullopt, {"--config", "{dir}/c.toml", "run", kSeedModel}, 2,
       "unknown key 'frobnicate' in [run]", "c.toml:2: "},
      {"CmdStan's key in a config file", std::nullopt, std::nullopt, std::nullopt, {"--config", "{dir}/cs.toml", "run", kSeedModel}, 2,
       "cs.toml:3: unknown key 'adapt_delta' in [run]", "use --target-accept"},
      {"missing config file", std::nullopt, std::nullopt, std::nullopt, {"--config", "{dir}/none.toml", "run", kSeedModel}, 2,
       "not readable", "none.toml"},

      // ------------------------------------------------------------ files (4, naming the file)
      {"missing model file", std::nullopt, std::nullopt, std::nullopt, {"run", "{dir}/none.stan"}, 4, "No such file or directory",
       "cannot read model file '"},
      {"missing data file", std::nullopt, std::nullopt, std::nullopt, {"run", kSeedModel, "--data", "{dir}/none.json"}, 4,
       "No such file or directory", "cannot read data file '"},
      {"model file is a directory", std::nullopt, std::nullopt, std::nullopt, {"run", "{dir}"}, 4, "Is a directory",
       "cannot read model file '"},
      {"output directory missing", std::nullopt, std::nullopt, std::nullopt, seed_run({"--output", "{dir}/nodir/out.csv"}), 4,
       "does not exist", "output directory '"},
      {"output path is a directory", std::nullopt, std::nullopt, std::nullopt, seed_run({"--output", "{dir}/sub"}), 4, "Is a directory",
       "cannot open output file '"},
      {"JSON output path is a directory", std::nullopt, std::nullopt, std::nullopt,
       seed_run({"--output", "{dir}/sub", "--format", "json"}), 4, "Is a directory", "cannot open output file '"},
      {"profile file directory missing", std::nullopt, std::nullopt, std::nullopt,
       seed_run({"--profile-file", "{dir}/nodir/profile.csv"}), 4, "No such file or directory", "--profile-file: cannot write '"},
      {"missing init file", kPosModel, std::nullopt, std::nullopt, {"run", "{model}", "--init", "{dir}/none.json", "-q"}, 4,
       "No such file or directory", "initial values file '"},

      // ------------------------------------------------------------ initial values
      // A value or a shape that does not fit the model: both exit 3, as data that do not fit do.
      {"init outside the constraint", kPosModel, std::nullopt, "{\"sigma\": -1, \"z\": [0, 0]}", {}, 3,
       "initial value of sigma is -1, but must be greater than 0", "sigma"},
      {"init NaN", kPosModel, std::nullopt, "{\"sigma\": \"NaN\", \"z\": [0, 0]}", {}, 3, "initial value of sigma is nan",
       "sigma"},
      {"init of the wrong length", kPosModel, std::nullopt, "{\"sigma\": 1, \"z\": [0, 0, 0]}", {}, 3,
       "parameter 'z' is declared with shape [2] but has shape [3]", "initial values file '"},
      {"init scalar for an array", kPosModel, std::nullopt, "{\"sigma\": 1, \"z\": 0}", {}, 3,
       "parameter 'z' is declared with shape [2] but has shape []", "i.json"},
      {"init malformed", kPosModel, std::nullopt, "{\"sigma\": 1, \"z\": [0, ", {}, 3, "malformed JSON",
       "initial values file '"},

      // ------------------------------------------------------------ checkpoints (docs/checkpoint.md; the
      // checkpoint of another run: tests/cli/checkpoint_test.cpp)
      {"resume from a file that is not a checkpoint", std::nullopt, std::nullopt, "{\"mu\": 1}",
       {"run", "--resume", "{init}"}, 4, "is not an mcmc checkpoint", "i.json"},
      {"resume from a truncated checkpoint", std::nullopt, std::nullopt, std::string("MCMCCKPT\x01\0\0", 11),
       {"run", "--resume", "{init}"}, 4, "is truncated: 11 bytes", "i.json"},
      {"resume from a checkpoint whose checksum does not match", std::nullopt, std::nullopt,
       std::string("MCMCCKPT\x01\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 32),
       {"run", "--resume", "{init}"}, 4, "is corrupt: its checksum does not match its contents", "i.json"},
      {"resume from a missing checkpoint", std::nullopt, std::nullopt, std::nullopt,
       {"run", "--resume", "{dir}/none.ckpt"}, 4, "cannot read checkpoint", "none.ckpt"},
      {"checkpoint of a one-file output format", std::nullopt, std::nullopt, std::nullopt,
       {"run", kSeedModel, "--data", kSeedData, "-q", "--seed", "1", "--checkpoint", "{dir}/ck", "--format", "json",
        "--output", "{dir}/o.json"},
       2, "--checkpoint cannot continue --format json exactly", "use --format csv"},
      {"checkpoint of the gradient-based adaptation", std::nullopt, std::nullopt, std::nullopt,
       {"run", kSeedModel, "--data", kSeedData, "-q", "--seed", "1", "--checkpoint", "{dir}/ck", "--adapt", "gradient"},
       2, "--checkpoint supports --adapt stan only", "--adapt"},
      {"checkpoint of a low-rank metric", std::nullopt, std::nullopt, std::nullopt,
       {"run", kSeedModel, "--data", kSeedData, "-q", "--seed", "1", "--checkpoint", "{dir}/ck", "--metric", "lowrank"},
       2, "--checkpoint supports --metric diag and dense only", "--metric"},
      {"checkpoint interval without a checkpoint file", std::nullopt, std::nullopt, std::nullopt,
       {"run", kSeedModel, "--data", kSeedData, "-q", "--checkpoint-every", "10"},
       2, "--checkpoint-every needs --checkpoint FILE", "--checkpoint"},
      {"resume writing checkpoints elsewhere", std::nullopt, std::nullopt, std::nullopt,
       {"run", kSeedModel, "--data", kSeedData, "-q", "--resume", "{dir}/a.ckpt", "--checkpoint", "{dir}/b.ckpt"},
       2, "--resume goes on writing its checkpoints to the file it resumes", "--checkpoint"},

      // ------------------------------------------------------------ sampling (5) and run-time model errors (3)
      {"density never finite", "parameters { real mu; }\nmodel { target += log(-1 - mu^2); }\n", std::nullopt, std::nullopt, {}, 5,
       "this term of the log density is", "m.stan:2:9:"},
      {"NaN in the data, used by a distribution", "data { int N; vector[N] y; }\nparameters { real mu; }\nmodel { y ~ normal(mu, 1); }\n",
       "{\"N\": 3, \"y\": [1, \"NaN\", 2]}", std::nullopt, {}, 3, "the data hold NaN: data variable y[2] is NaN", "m.stan:3:9:"},
      {"negative data scale in a ~ statement", kScaleModel, "{\"N\": 2, \"y\": [1, 2], \"s\": -1}", std::nullopt, {}, 5,
       "this term of the log density is nan (an argument outside its domain, e.g. a scale that is not positive)",
       "m.stan:3:9:"},
      {"one negative data scale in a vector", kScalesModel, "{\"N\": 2, \"y\": [1, 2], \"s\": [1, -1]}", std::nullopt, {},
       5, "this term of the log density is nan", "m.stan:3:9:"},
      {"lower bound above upper bound", "parameters { real<lower=1, upper=0> mu; }\nmodel { }\n", std::nullopt,
       std::nullopt, {}, 3, "parameter 'mu': lower bound 1 is not less than upper bound 0", "m.stan:1:14:"},
      {"index out of range at run time",
       "data { int N; vector[N] y; }\nparameters { real mu; }\nmodel { mu ~ normal(y[N + 1], 1); }\n",
       "{\"N\": 2, \"y\": [1, 2]}", std::nullopt, {}, 3, "index 3 out of range", "m.stan:3:23:"},
      {"negative size from data", "data { int N; }\nparameters { vector[N] v; }\nmodel { v ~ normal(0, 1); }\n",
       "{\"N\": -3}", std::nullopt, {}, 3, "size of 'v' is -3, must be non-negative", "m.stan:2:21:"},
  };
  return cases;
}

std::string substitute(std::string arg, const TempDir& dir) {
  const std::vector<std::pair<std::string, std::string>> names = {
      {"{model}", dir / "m.stan"}, {"{data}", dir / "d.json"}, {"{init}", dir / "i.json"}, {"{dir}", dir.path().string()}};
  for (const auto& [key, value] : names) {
    for (std::size_t at = arg.find(key); at != std::string::npos; at = arg.find(key, at + value.size()))
      arg.replace(at, key.size(), value);
  }
  return arg;
}

std::vector<std::string> arguments(const Case& c, const TempDir& dir) {
  std::vector<std::string> args = c.args;
  if (args.empty()) {
    args = {"run", c.model ? std::string("{model}") : kSeedModel};
    if (c.data) args.insert(args.end(), {"--data", "{data}"});
    if (c.init) args.insert(args.end(), {"--init", "{init}"});
    args.insert(args.end(), {"--chains", "1", "--warmup", "10", "--samples", "10", "-q", "--seed", "1"});
  }
  for (std::string& a : args) a = substitute(a, dir);
  return args;
}

/// Model errors: `file:line:col: error: ...`, then the source line (indented two spaces) and a caret line.
void check_caret(const Case& c, const std::vector<std::string>& lines) {
  std::size_t at = lines.size();
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (contains(lines[i], c.where)) at = i;
  CHECK_MESSAGE(at + 2 < lines.size(), "no source line and caret after the position");
  if (at + 2 >= lines.size()) return;
  const std::string& echo = lines[at + 1];
  const std::string& caret = lines[at + 2];
  CHECK(starts_with(echo, "  "));
  CHECK(caret.find('^') != std::string::npos);
  if (caret.find('^') == std::string::npos) return;
  CHECK(caret.find('^') == caret.size() - 1);  // nothing after the caret
  CHECK(caret.find_first_not_of(" \t") == caret.find('^'));
  // Where the line is shown whole, in ASCII and without tabs, the caret sits exactly under the column.
  std::smatch m;
  if (!std::regex_search(c.where, m, std::regex(":([0-9]+):([0-9]+):"))) return;
  const std::size_t col = std::stoul(m[2].str());
  bool plain = !starts_with(echo, "  ...") && echo.find('\t') == std::string::npos && echo.find('?') == std::string::npos;
  if (plain) CHECK(caret.find('^') - 2 == col - 1);
}

void check_case(const Case& c) {
  TempDir dir;
  if (c.model) write_text(dir / "m.stan", *c.model);
  if (c.data) write_text(dir / "d.json", *c.data);
  if (c.init) write_text(dir / "i.json", *c.init);
  fs::create_directory(dir.path() / "sub");
  write_text(dir / "c.toml", "[run]\nfrobnicate = 3\n");
  write_text(dir / "cs.toml", "[run]\nchains = 2\nadapt_delta = 0.9\n");
  const Result r = run_mcmc(arguments(c, dir));
  INFO("stderr: " << r.err);
  CHECK(r.code == c.code);
  CHECK(contains(r.err, c.what));
  CHECK(contains(r.err, c.where));
  CHECK(r.out.empty());
  // "error: ..." or, for a model diagnostic, "file:line:col: error: ...".
  const std::string first = r.err.substr(0, r.err.find('\n'));
  CHECK((starts_with(first, "error: ") || std::regex_search(first, std::regex("^[^ ]*:[0-9]+:[0-9]+: error: "))));
  // No implementation detail leaks into the message.
  for (const char* leak : {"std::", "basic_string", "internal error", "json.exception", "what()", "terminate called", "Assertion"})
    CHECK_MESSAGE(!contains(r.err, leak), "message leaks " << std::string(leak));
  // Short: at most two lines of message (plus, for positioned errors, the source line and the caret).
  std::vector<std::string> lines;
  for (const std::string& l : lines_of(r.err))
    if (!l.empty()) lines.push_back(l);
  const bool positioned = std::regex_search(c.where, std::regex("m\\.stan:[0-9]+:[0-9]+:"));
  CHECK(lines.size() <= (positioned ? 4u : 2u));
  for (const std::string& l : lines) CHECK_MESSAGE(l.size() <= 400, "a line of " << l.size() << " characters");
  if (positioned) check_caret(c, lines);
}

}  // namespace

TEST_CASE("the error catalogue has at least 60 cases") { CHECK(catalogue().size() >= 60); }

TEST_CASE("every bad input exits with its code and a short message saying what and where") {
  for (const Case& c : catalogue()) {
    INFO("case: " << std::string(c.name));
    check_case(c);
  }
}

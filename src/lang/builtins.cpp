// The table of built-in functions and distributions: which argument types each accepts and what it returns.
#include "lang/builtins.hpp"

#include <functional>
#include <map>
#include <utility>

namespace mcmc::lang {
namespace {

using Args = std::vector<Type>;
using Result = std::optional<Type>;
using Resolver = std::function<Result(const Args&)>;

/// One built-in name: a resolver that maps argument types to a return type, and the
/// human-readable signatures it accepts (for error messages).
struct Builtin {
  Resolver resolve;
  std::vector<std::string> signatures;
};

const Type kInt{BaseType::Int, 0};
const Type kReal{BaseType::Real, 0};
const Type kVector{BaseType::Vector, 0};
const Type kRowVector{BaseType::RowVector, 0};

Type array_of(BaseType base, int dims) { return Type{base, dims}; }

// ---- argument classes -------------------------------------------------------------------------

bool is_scalar(const Type& t) { return t.is_scalar(); }
bool is_int(const Type& t) { return t.is_int(); }
bool is_vector(const Type& t) { return t == kVector; }
bool is_int_array1(const Type& t) { return t.base == BaseType::Int && t.array_dims == 1; }
bool is_real_array1(const Type& t) {
  return (t.base == BaseType::Real || t.base == BaseType::Int) && t.array_dims == 1;
}
/// vector, row_vector or a one-dimensional array of reals (ints promote).
bool is_real_sequence(const Type& t) { return t.is_vector_like() || is_real_array1(t); }
/// Stan's vectorized `reals`: a scalar or a one-dimensional sequence of reals.
bool is_reals(const Type& t) { return is_scalar(t) || is_real_sequence(t); }
/// Stan's vectorized `ints`: int or array[] int.
bool is_ints(const Type& t) { return is_int(t) || is_int_array1(t); }
/// Any value that holds numbers (not a string / void).
bool is_numeric(const Type& t) {
  return t.base == BaseType::Int || t.base == BaseType::Real || t.base == BaseType::Vector ||
         t.base == BaseType::RowVector;
}
bool is_container(const Type& t) { return is_numeric(t) && (t.array_dims > 0 || t.is_vector_like()); }

/// The type with every int promoted to real (same shape).
Type promoted(const Type& t) {
  return t.base == BaseType::Int ? Type{BaseType::Real, t.array_dims} : t;
}

// ---- resolver builders ------------------------------------------------------------------------

/// Elementwise real function of any numeric shape: int/real -> real, containers keep their shape.
Result vectorized_unary(const Args& a) {
  if (a.size() != 1 || !is_numeric(a[0])) return std::nullopt;
  return promoted(a[0]);
}

/// A fixed signature: every argument must be a scalar (int promotes to real).
Resolver scalars(int arity, Type result) {
  return [arity, result](const Args& a) -> Result {
    if (static_cast<int>(a.size()) != arity) return std::nullopt;
    for (const Type& t : a)
      if (!is_scalar(t)) return std::nullopt;
    return result;
  };
}

Resolver ints_only(int arity, Type result) {
  return [arity, result](const Args& a) -> Result {
    if (static_cast<int>(a.size()) != arity) return std::nullopt;
    for (const Type& t : a)
      if (!is_int(t)) return std::nullopt;
    return result;
  };
}

/// sum / prod: real sequences -> real, array[] int -> int.
Result sum_like(const Args& a) {
  if (a.size() != 1) return std::nullopt;
  if (is_int_array1(a[0])) return kInt;
  if (is_real_sequence(a[0])) return kReal;
  return std::nullopt;
}

/// mean / variance / sd / log_sum_exp(container): real sequences -> real.
Result real_reduction(const Args& a) {
  if (a.size() != 1 || !is_real_sequence(a[0])) return std::nullopt;
  return kReal;
}

/// min / max: two scalars (int if both int) or one sequence (its element type).
Result min_max(const Args& a) {
  if (a.size() == 2 && is_scalar(a[0]) && is_scalar(a[1]))
    return (is_int(a[0]) && is_int(a[1])) ? kInt : kReal;
  if (a.size() == 1) {
    if (is_int_array1(a[0])) return kInt;
    if (is_real_sequence(a[0])) return kReal;
  }
  return std::nullopt;
}

Result abs_fn(const Args& a) {
  if (a.size() != 1 || !is_numeric(a[0])) return std::nullopt;
  return a[0];
}

Result log_sum_exp_fn(const Args& a) {
  if (a.size() == 2) return scalars(2, kReal)(a);
  return real_reduction(a);
}

Result int_step_fn(const Args& a) {
  if (a.size() != 1 || !is_scalar(a[0])) return std::nullopt;
  return kInt;
}

Result dot_product_fn(const Args& a) {
  if (a.size() != 2 || !is_real_sequence(a[0]) || !is_real_sequence(a[1])) return std::nullopt;
  return kReal;
}

Result dot_self_fn(const Args& a) {
  if (a.size() != 1 || !a[0].is_vector_like()) return std::nullopt;
  return kReal;
}

Result rows_dot_product_fn(const Args& a) {
  if (a.size() != 2 || !a[0].is_vector_like() || a[0] != a[1]) return std::nullopt;
  return kVector;
}

/// Same-type results for one sequence argument: vector, row_vector, array[] real, array[] int.
Result same_sequence(const Args& a) {
  if (a.size() != 1) return std::nullopt;
  if (a[0].is_vector_like() || a[0].array_dims == 1) {
    if (a[0].base == BaseType::Int || a[0].base == BaseType::Real || a[0].is_vector_like())
      return a[0];
  }
  return std::nullopt;
}

Result rep_vector_fn(const Args& a, Type result) {
  if (a.size() != 2 || !is_scalar(a[0]) || !is_int(a[1])) return std::nullopt;
  return result;
}

Result rep_array_fn(const Args& a) {
  if (a.size() < 2 || a.size() > 4 || !is_numeric(a[0])) return std::nullopt;
  for (std::size_t i = 1; i < a.size(); ++i)
    if (!is_int(a[i])) return std::nullopt;
  return Type{a[0].base, a[0].array_dims + static_cast<int>(a.size()) - 1};
}

Result to_vector_fn(const Args& a, Type result) {
  if (a.size() != 1 || !is_real_sequence(a[0])) return std::nullopt;
  return result;
}

Result to_array_1d_fn(const Args& a) {
  if (a.size() != 1) return std::nullopt;
  const Type& t = a[0];
  if (t.is_vector_like()) return array_of(BaseType::Real, 1);
  if (t.array_dims >= 1 && (t.base == BaseType::Int || t.base == BaseType::Real))
    return array_of(t.base, 1);
  if (t.array_dims >= 1 && (t.base == BaseType::Vector || t.base == BaseType::RowVector))
    return array_of(BaseType::Real, 1);
  return std::nullopt;
}

Result size_fn(const Args& a) {
  if (a.size() != 1 || !is_container(a[0])) return std::nullopt;
  return kInt;
}

Result rows_cols_fn(const Args& a) {
  if (a.size() != 1 || !a[0].is_vector_like()) return std::nullopt;
  return kInt;
}

/// head(v, n) / tail(v, n): vectors and arrays of anything, same type back.
Result head_tail_fn(const Args& a) {
  if (a.size() != 2 || !is_container(a[0]) || !is_int(a[1]))
    return std::nullopt;
  return a[0];
}

Result segment_fn(const Args& a) {
  if (a.size() != 3 || !is_container(a[0]) || !is_int(a[1]) || !is_int(a[2]))
    return std::nullopt;
  return a[0];
}

Result append_row_fn(const Args& a) {
  if (a.size() != 2) return std::nullopt;
  auto ok = [](const Type& t) { return is_vector(t) || is_scalar(t); };
  if (!ok(a[0]) || !ok(a[1]) || (is_scalar(a[0]) && is_scalar(a[1]))) return std::nullopt;
  return kVector;
}

Result vector_to_vector(const Args& a) {
  if (a.size() != 1 || !is_vector(a[0])) return std::nullopt;
  return kVector;
}

Result real_to_int(const Args& a) {
  if (a.size() != 1 || !is_scalar(a[0])) return std::nullopt;
  return kInt;
}

// ---- distributions ----------------------------------------------------------------------------

/// Kind of one distribution argument.
enum class Arg { Reals, Ints, Vector };

bool matches(Arg kind, const Type& t) {
  switch (kind) {
    case Arg::Reals: return is_reals(t);
    case Arg::Ints: return is_ints(t);
    case Arg::Vector: return is_vector(t);
  }
  return false;
}

const char* arg_name(Arg kind) {
  switch (kind) {
    case Arg::Reals: return "reals";
    case Arg::Ints: return "ints";
    case Arg::Vector: return "vector";
  }
  return "?";
}

/// A distribution: its variate kind, its parameter kinds, and which cumulative functions exist.
struct Distribution {
  const char* name;
  Arg variate;
  std::vector<Arg> params;
  bool has_cdf;
};

const std::vector<Distribution>& distributions() {
  static const std::vector<Distribution> table = {
      {"normal", Arg::Reals, {Arg::Reals, Arg::Reals}, true},
      {"std_normal", Arg::Reals, {}, true},
      {"student_t", Arg::Reals, {Arg::Reals, Arg::Reals, Arg::Reals}, true},
      {"cauchy", Arg::Reals, {Arg::Reals, Arg::Reals}, true},
      {"double_exponential", Arg::Reals, {Arg::Reals, Arg::Reals}, true},
      {"logistic", Arg::Reals, {Arg::Reals, Arg::Reals}, true},
      {"lognormal", Arg::Reals, {Arg::Reals, Arg::Reals}, true},
      {"exponential", Arg::Reals, {Arg::Reals}, true},
      {"gamma", Arg::Reals, {Arg::Reals, Arg::Reals}, true},
      {"inv_gamma", Arg::Reals, {Arg::Reals, Arg::Reals}, true},
      {"weibull", Arg::Reals, {Arg::Reals, Arg::Reals}, true},
      {"chi_square", Arg::Reals, {Arg::Reals}, true},
      {"beta", Arg::Reals, {Arg::Reals, Arg::Reals}, true},
      {"uniform", Arg::Reals, {Arg::Reals, Arg::Reals}, true},
      {"poisson", Arg::Ints, {Arg::Reals}, true},
      {"poisson_log", Arg::Ints, {Arg::Reals}, false},
      {"binomial", Arg::Ints, {Arg::Ints, Arg::Reals}, true},
      {"binomial_logit", Arg::Ints, {Arg::Ints, Arg::Reals}, false},
      {"bernoulli", Arg::Ints, {Arg::Reals}, true},
      {"bernoulli_logit", Arg::Ints, {Arg::Reals}, false},
      {"neg_binomial_2", Arg::Ints, {Arg::Reals, Arg::Reals}, true},
      {"neg_binomial_2_log", Arg::Ints, {Arg::Reals, Arg::Reals}, false},
      {"beta_binomial", Arg::Ints, {Arg::Ints, Arg::Reals, Arg::Reals}, false},
      {"categorical", Arg::Ints, {Arg::Vector}, false},
      {"categorical_logit", Arg::Ints, {Arg::Vector}, false},
  };
  return table;
}

/// `dist_lpdf(variate | params...)` and friends: every argument of its kind, result real.
Resolver density_resolver(const Distribution& d) {
  return [&d](const Args& a) -> Result {
    if (a.size() != d.params.size() + 1 || !matches(d.variate, a[0])) return std::nullopt;
    for (std::size_t i = 0; i < d.params.size(); ++i)
      if (!matches(d.params[i], a[i + 1])) return std::nullopt;
    return kReal;
  };
}

/// `dist_rng(params...)`: a scalar when every argument is a scalar, else an array (as in Stan).
Resolver rng_resolver(const Distribution& d) {
  return [&d](const Args& a) -> Result {
    if (a.size() != d.params.size()) return std::nullopt;
    bool any_container = false;
    for (std::size_t i = 0; i < d.params.size(); ++i) {
      if (!matches(d.params[i], a[i])) return std::nullopt;
      if (d.params[i] != Arg::Vector && !is_scalar(a[i])) any_container = true;
    }
    BaseType base = d.variate == Arg::Ints ? BaseType::Int : BaseType::Real;
    return Type{base, any_container ? 1 : 0};
  };
}

std::string density_signature(const Distribution& d, const std::string& suffix) {
  std::string s = std::string(d.name) + suffix + "(" + arg_name(d.variate);
  for (std::size_t i = 0; i < d.params.size(); ++i)
    s += std::string(i == 0 ? " | " : ", ") + arg_name(d.params[i]);
  return s + ")";
}

std::string rng_signature(const Distribution& d) {
  std::string s = std::string(d.name) + "_rng(";
  for (std::size_t i = 0; i < d.params.size(); ++i)
    s += std::string(i == 0 ? "" : ", ") + arg_name(d.params[i]);
  return s + ")";
}

// ---- the table --------------------------------------------------------------------------------

using Table = std::map<std::string, Builtin>;

void add(Table& t, const std::string& name, Resolver r, std::vector<std::string> sigs) {
  t[name] = Builtin{std::move(r), std::move(sigs)};
}

void add_math(Table& t) {
  static const char* const unary[] = {
      "exp",   "log",     "log1p",         "expm1",           "sqrt",   "square",    "inv",
      "inv_sqrt", "inv_square", "inv_logit", "logit",    "log_inv_logit", "log1m_inv_logit",
      "log1m", "log1p_exp", "lgamma", "tgamma", "Phi",     "Phi_approx", "erf",  "erfc",
      "sin",   "cos",     "tan",           "atan",            "tanh",   "fabs",      "floor",
      "ceil",  "round",   "log2",          "log10",           "exp2",   "cbrt"};
  for (const char* name : unary)
    add(t, name, vectorized_unary,
        {std::string(name) + "(real) => real",
         std::string(name) + "(T) => T, for T vector, row_vector or an array (int becomes real)"});
  add(t, "abs", abs_fn, {"abs(int) => int", "abs(real) => real", "abs(T) => T, elementwise"});
  for (const char* name : {"pow", "fmin", "fmax", "atan2", "lbeta", "lchoose", "hypot", "fdim", "log_diff_exp"})
    add(t, name, scalars(2, kReal), {std::string(name) + "(real, real) => real"});
  add(t, "choose", ints_only(2, kInt), {"choose(int, int) => int"});
  add(t, "log_sum_exp", log_sum_exp_fn,
      {"log_sum_exp(real, real) => real",
       "log_sum_exp(vector | row_vector | array[] real) => real"});
  for (const char* name : {"min", "max"})
    add(t, name, min_max,
        {std::string(name) + "(int, int) => int", std::string(name) + "(real, real) => real",
         std::string(name) + "(array[] int) => int",
         std::string(name) + "(vector | row_vector | array[] real) => real"});
  add(t, "step", scalars(1, kReal), {"step(real) => real"});
  add(t, "int_step", int_step_fn, {"int_step(int | real) => int"});
  add(t, "is_inf", real_to_int, {"is_inf(real) => int"});
  add(t, "is_nan", real_to_int, {"is_nan(real) => int"});
  for (const char* name :
       {"not_a_number", "positive_infinity", "negative_infinity", "pi", "e", "machine_precision"})
    add(t, name, scalars(0, kReal), {std::string(name) + "() => real"});
}

void add_containers(Table& t) {
  for (const char* name : {"sum", "prod"})
    add(t, name, sum_like,
        {std::string(name) + "(array[] int) => int",
         std::string(name) + "(vector | row_vector | array[] real) => real"});
  for (const char* name : {"mean", "variance", "sd"})
    add(t, name, real_reduction,
        {std::string(name) + "(vector | row_vector | array[] real) => real"});
  add(t, "dot_product", dot_product_fn,
      {"dot_product(vector | row_vector | array[] real, vector | row_vector | array[] real) => real"});
  add(t, "dot_self", dot_self_fn, {"dot_self(vector | row_vector) => real"});
  add(t, "rows_dot_product", rows_dot_product_fn,
      {"rows_dot_product(vector, vector) => vector",
       "rows_dot_product(row_vector, row_vector) => vector"});
  add(t, "cumulative_sum", same_sequence,
      {"cumulative_sum(T) => T, for T vector, row_vector, array[] real or array[] int"});
  for (const char* name : {"sort_asc", "sort_desc"})
    add(t, name, same_sequence,
        {std::string(name) + "(T) => T, for T vector, row_vector, array[] real or array[] int"});
  add(t, "rep_vector", [](const Args& a) { return rep_vector_fn(a, kVector); },
      {"rep_vector(real, int) => vector"});
  add(t, "rep_row_vector", [](const Args& a) { return rep_vector_fn(a, kRowVector); },
      {"rep_row_vector(real, int) => row_vector"});
  add(t, "rep_array", rep_array_fn,
      {"rep_array(T, int) => array[] T", "rep_array(T, int, int) => array[,] T",
       "rep_array(T, int, int, int) => array[,,] T"});
  add(t, "to_vector", [](const Args& a) { return to_vector_fn(a, kVector); },
      {"to_vector(vector | row_vector | array[] real | array[] int) => vector"});
  add(t, "to_row_vector", [](const Args& a) { return to_vector_fn(a, kRowVector); },
      {"to_row_vector(vector | row_vector | array[] real | array[] int) => row_vector"});
  add(t, "to_array_1d", to_array_1d_fn,
      {"to_array_1d(vector | row_vector | array[...] real) => array[] real",
       "to_array_1d(array[...] int) => array[] int"});
  add(t, "size", size_fn, {"size(array | vector | row_vector) => int"});
  add(t, "num_elements", size_fn, {"num_elements(array | vector | row_vector) => int"});
  add(t, "rows", rows_cols_fn, {"rows(vector | row_vector) => int"});
  add(t, "cols", rows_cols_fn, {"cols(vector | row_vector) => int"});
  add(t, "head", head_tail_fn, {"head(T, int) => T, for T vector, row_vector or an array"});
  add(t, "tail", head_tail_fn, {"tail(T, int) => T, for T vector, row_vector or an array"});
  add(t, "segment", segment_fn,
      {"segment(T, int, int) => T, for T vector, row_vector or an array"});
  add(t, "append_row", append_row_fn,
      {"append_row(vector, vector) => vector", "append_row(real, vector) => vector",
       "append_row(vector, real) => vector"});
  add(t, "softmax", vector_to_vector, {"softmax(vector) => vector"});
  add(t, "log_softmax", vector_to_vector, {"log_softmax(vector) => vector"});
}

void add_distributions(Table& t) {
  for (const Distribution& d : distributions()) {
    std::string base = d.name;
    std::string density = d.variate == Arg::Ints ? "_lpmf" : "_lpdf";
    add(t, base + density, density_resolver(d), {density_signature(d, density) + " => real"});
    // The unnormalized form (constants dropped, as with `~`).
    std::string unnormalized = d.variate == Arg::Ints ? "_lupmf" : "_lupdf";
    add(t, base + unnormalized, density_resolver(d), {density_signature(d, unnormalized) + " => real"});
    if (d.has_cdf) {
      for (const char* suffix : {"_lcdf", "_lccdf"})
        add(t, base + suffix, density_resolver(d), {density_signature(d, suffix) + " => real"});
    }
    std::string rng_result = d.variate == Arg::Ints ? "int" : "real";
    add(t, base + "_rng", rng_resolver(d),
        {rng_signature(d) + " => " + rng_result + " (array[] " + rng_result +
         " when an argument is a container)"});
  }
}

const Table& table() {
  static const Table t = [] {
    Table tab;
    add_math(tab);
    add_containers(tab);
    add_distributions(tab);
    return tab;
  }();
  return t;
}

}  // namespace

std::optional<Type> builtin_return_type(const std::string& name, const std::vector<Type>& args) {
  auto it = table().find(name);
  if (it == table().end()) return std::nullopt;
  return it->second.resolve(args);
}

bool is_builtin(const std::string& name) { return table().count(name) > 0; }

std::string distribution_function(const std::string& dist) {
  for (const char* suffix : {"_lpdf", "_lpmf"}) {
    std::string fn = dist + suffix;
    if (is_builtin(fn)) return fn;
  }
  return "";
}

std::string describe_signatures(const std::string& name) {
  auto it = table().find(name);
  if (it == table().end()) return "";
  std::string out;
  for (const std::string& s : it->second.signatures) {
    if (!out.empty()) out += "; ";
    out += s;
  }
  return out;
}

}  // namespace mcmc::lang

// The built-in functions: one record each (name, signatures, evaluation, one line of documentation).
#include <limits>
#include <utility>

#include "catalog/matrix_functions.hpp"
#include "catalog/signatures.hpp"

namespace mcmc::catalog {
namespace {

using namespace sig;
using graph::BinaryFn;
using graph::UnaryFn;

// ---- resolvers of the irregular signatures ----------------------------------------------------

/// sum / prod: real sequences -> real, array[] int -> int.
Result sum_like(const Args& a) {
  if (a.size() != 1) return std::nullopt;
  if (is_int_array1(a[0])) return kInt;
  if (is_real_sequence(a[0]) || a[0].is_matrix()) return kReal;
  return std::nullopt;
}

/// mean / variance / sd: real sequences -> real.
Result real_reduction(const Args& a) {
  if (a.size() != 1 || !(is_real_sequence(a[0]) || a[0].is_matrix())) return std::nullopt;
  return kReal;
}

/// min / max: two scalars (int if both int) or one sequence (its element type).
Result min_max(const Args& a) {
  if (a.size() == 2 && a[0].is_scalar() && a[1].is_scalar())
    return (a[0].is_int() && a[1].is_int()) ? kInt : kReal;
  if (a.size() == 1) {
    if (is_int_array1(a[0])) return kInt;
    if (is_real_sequence(a[0]) || a[0].is_matrix()) return kReal;
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

Result scalar_to_int(const Args& a) {
  if (a.size() != 1 || !a[0].is_scalar()) return std::nullopt;
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
  if (a.size() != 2 || !a[0].is_linear_algebra() || a[0] != a[1]) return std::nullopt;
  return kVector;
}

/// Same-type results for one sequence argument: vector, row_vector, array[] real, array[] int.
Result same_sequence(const Args& a) {
  if (a.size() != 1) return std::nullopt;
  if (a[0].is_vector_like() || (a[0].array_dims == 1 && (a[0].base == BaseType::Int ||
                                                           a[0].base == BaseType::Real)))
    return a[0];
  return std::nullopt;
}

Resolver rep_vector_fn(Type result) {
  return [result](const Args& a) -> Result {
    if (a.size() != 2 || !a[0].is_scalar() || !a[1].is_int()) return std::nullopt;
    return result;
  };
}

Result rep_array_fn(const Args& a) {
  if (a.size() < 2 || a.size() > 4 || !is_numeric(a[0])) return std::nullopt;
  for (std::size_t i = 1; i < a.size(); ++i)
    if (!a[i].is_int()) return std::nullopt;
  return Type{a[0].base, a[0].array_dims + static_cast<int>(a.size()) - 1};
}

Resolver to_vector_fn(Type result) {
  return [result](const Args& a) -> Result {
    if (a.size() != 1 || !(is_real_sequence(a[0]) || a[0].is_matrix())) return std::nullopt;
    return result;
  };
}

Result to_array_1d_fn(const Args& a) {
  if (a.size() != 1) return std::nullopt;
  const Type& t = a[0];
  if (t.is_linear_algebra()) return Type{BaseType::Real, 1};
  if (t.array_dims >= 1 && (t.base == BaseType::Int || t.base == BaseType::Real))
    return Type{t.base, 1};
  if (t.array_dims >= 1 && (t.base == BaseType::Vector || t.base == BaseType::RowVector))
    return Type{BaseType::Real, 1};
  return std::nullopt;
}

Result to_int_fn(const Args& a) {
  if (a.size() != 1 || !is_numeric(a[0]) || a[0].is_vector_like()) return std::nullopt;
  if (a[0].base != BaseType::Int && a[0].base != BaseType::Real) return std::nullopt;
  return Type{BaseType::Int, a[0].array_dims};
}

Result size_fn(const Args& a) {
  if (a.size() != 1 || !is_container(a[0])) return std::nullopt;
  return kInt;
}

Result rows_cols_fn(const Args& a) {
  if (a.size() != 1 || !a[0].is_linear_algebra()) return std::nullopt;
  return kInt;
}

Result head_tail_fn(const Args& a) {
  if (a.size() != 2 || !is_container(a[0]) || a[0].is_matrix() || !a[1].is_int()) return std::nullopt;
  return a[0];
}

Result segment_fn(const Args& a) {
  if (a.size() != 3 || !is_container(a[0]) || a[0].is_matrix() || !a[1].is_int() || !a[2].is_int()) return std::nullopt;
  return a[0];
}

Result append_row_fn(const Args& a) {
  if (a.size() != 2) return std::nullopt;
  auto ok = [](const Type& t) { return t == kVector || t.is_scalar(); };
  auto rows = [](const Type& t) { return t.is_matrix() || t == kRowVector; };
  if (rows(a[0]) && rows(a[1])) return Type{BaseType::Matrix, 0};
  if (!ok(a[0]) || !ok(a[1]) || (a[0].is_scalar() && a[1].is_scalar())) return std::nullopt;
  return kVector;
}

Result append_array_fn(const Args& a) {
  if (a.size() != 2 || a[0].array_dims < 1 || a[0].array_dims != a[1].array_dims) return std::nullopt;
  if (a[0] == a[1]) return a[0];
  if (promoted(a[0]) == promoted(a[1])) return promoted(a[0]);
  return std::nullopt;
}

Result linspaced_vector_fn(const Args& a) {
  if (a.size() != 3 || !a[0].is_int() || !a[1].is_scalar() || !a[2].is_scalar()) return std::nullopt;
  return kVector;
}

Result log_mix_fn(const Args& a) {
  if (a.size() == 3) return scalars(3, kReal)(a);
  if (a.size() == 2 && is_real_sequence(a[0]) && is_real_sequence(a[1])) return kReal;
  return std::nullopt;
}

/// (real, int) => real.
Result real_int(const Args& a) {
  if (a.size() != 2 || !a[0].is_scalar() || !a[1].is_int()) return std::nullopt;
  return kReal;
}

/// (int, real) => real.
Result int_real(const Args& a) {
  if (a.size() != 2 || !a[0].is_int() || !a[1].is_scalar()) return std::nullopt;
  return kReal;
}

/// Sequences of data: vector, row_vector, array[] real or array[] int -> array[] int.
Result sequence_to_ints(const Args& a) {
  if (a.size() != 1 || !is_real_sequence(a[0])) return std::nullopt;
  return Type{BaseType::Int, 1};
}

Result dims_fn(const Args& a) {
  if (a.size() != 1 || !is_numeric(a[0])) return std::nullopt;
  return Type{BaseType::Int, 1};
}

Result rank_fn(const Args& a) {
  if (a.size() != 2 || !is_real_sequence(a[0]) || !a[1].is_int()) return std::nullopt;
  return kInt;
}

/// (int n, real lo, real hi) or (int n, int k) style constructors with a fixed result.
Resolver int_then_scalars(int scalars_after, Type result, bool ints = false) {
  return [=](const Args& a) -> Result {
    if (static_cast<int>(a.size()) != 1 + scalars_after || !a[0].is_int()) return std::nullopt;
    for (std::size_t i = 1; i < a.size(); ++i)
      if (ints ? !a[i].is_int() : !a[i].is_scalar()) return std::nullopt;
    return result;
  };
}

Result vector_to_vector(const Args& a) {
  if (a.size() != 1 || a[0] != kVector) return std::nullopt;
  return kVector;
}

// ---- record builders --------------------------------------------------------------------------

Function special(std::string name, Group group, Resolver r, std::vector<std::string> sigs,
                 std::string doc) {
  return Function{std::move(name), group, std::move(r), std::move(sigs), std::move(doc),
                  Impl::Special};
}

Function elementwise(std::string name, UnaryFn f, std::string doc) {
  Function fn{name, Group::Elementwise, vectorized_unary,
              {"(real) => real", "(T) => T elementwise"}, std::move(doc), Impl::Unary};
  fn.unary = f;
  return fn;
}

Function binary(std::string name, BinaryFn f, std::string doc) {
  Function fn{name, Group::Scalar, scalars(2, kReal), {"(real, real) => real"}, std::move(doc),
              Impl::Binary};
  fn.binary = f;
  return fn;
}

/// A function of an integer order v (data) and a real argument.
Function bessel(std::string name, BinaryFn f, std::string doc) {
  Function fn{name, Group::Scalar, int_real, {"(int v, real x) => real"}, std::move(doc), Impl::Binary};
  fn.binary = f;
  return fn;
}

Function constant(std::string name, double value, std::string doc) {
  Function fn{name, Group::Constant, scalars(0, kReal), {"() => real"}, std::move(doc),
              Impl::Constant};
  fn.value = value;
  return fn;
}

std::vector<Function> make_functions() {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<Function> t = {
      // Elementwise mathematical functions.
      elementwise("exp", UnaryFn::Exp, "exponential"),
      elementwise("exp2", UnaryFn::Exp2, "2 to the power x"),
      elementwise("expm1", UnaryFn::Expm1, "exp(x) - 1, accurate near 0"),
      elementwise("log", UnaryFn::Log, "natural logarithm"),
      elementwise("log2", UnaryFn::Log2, "base-2 logarithm"),
      elementwise("log10", UnaryFn::Log10, "base-10 logarithm"),
      elementwise("log1p", UnaryFn::Log1p, "log(1 + x), accurate near 0"),
      elementwise("log1m", UnaryFn::Log1m, "log(1 - x)"),
      elementwise("log1p_exp", UnaryFn::Log1pExp, "log(1 + exp(x)) without overflow"),
      elementwise("log1m_exp", UnaryFn::Log1mExp, "log(1 - exp(x)) for x < 0"),
      elementwise("sqrt", UnaryFn::Sqrt, "square root"),
      elementwise("cbrt", UnaryFn::Cbrt, "cube root"),
      elementwise("square", UnaryFn::Square, "x * x"),
      elementwise("inv", UnaryFn::Inv, "1 / x"),
      elementwise("inv_sqrt", UnaryFn::InvSqrt, "1 / sqrt(x)"),
      elementwise("inv_square", UnaryFn::InvSquare, "1 / x^2"),
      elementwise("inv_logit", UnaryFn::InvLogit, "logistic sigmoid 1 / (1 + exp(-x))"),
      elementwise("logit", UnaryFn::Logit, "log(x / (1 - x))"),
      elementwise("log_inv_logit", UnaryFn::LogInvLogit, "log(inv_logit(x))"),
      elementwise("log1m_inv_logit", UnaryFn::Log1mInvLogit, "log(1 - inv_logit(x))"),
      elementwise("lgamma", UnaryFn::Lgamma, "log of the absolute gamma function"),
      elementwise("tgamma", UnaryFn::Tgamma, "gamma function"),
      elementwise("digamma", UnaryFn::Digamma, "derivative of lgamma"),
      elementwise("trigamma", UnaryFn::Trigamma, "derivative of digamma"),
      elementwise("Phi", UnaryFn::Phi, "standard normal cdf"),
      elementwise("Phi_approx", UnaryFn::PhiApprox, "logistic approximation of Phi"),
      elementwise("inv_Phi", UnaryFn::InvPhi, "standard normal quantile"),
      elementwise("erf", UnaryFn::Erf, "error function"),
      elementwise("erfc", UnaryFn::Erfc, "complementary error function"),
      elementwise("sin", UnaryFn::Sin, "sine"),
      elementwise("cos", UnaryFn::Cos, "cosine"),
      elementwise("tan", UnaryFn::Tan, "tangent"),
      elementwise("asin", UnaryFn::Asin, "arc sine"),
      elementwise("acos", UnaryFn::Acos, "arc cosine"),
      elementwise("atan", UnaryFn::Atan, "arc tangent"),
      elementwise("sinh", UnaryFn::Sinh, "hyperbolic sine"),
      elementwise("cosh", UnaryFn::Cosh, "hyperbolic cosine"),
      elementwise("tanh", UnaryFn::Tanh, "hyperbolic tangent"),
      elementwise("asinh", UnaryFn::Asinh, "inverse hyperbolic sine"),
      elementwise("acosh", UnaryFn::Acosh, "inverse hyperbolic cosine"),
      elementwise("atanh", UnaryFn::Atanh, "inverse hyperbolic tangent"),
      elementwise("fabs", UnaryFn::Fabs, "absolute value (int becomes real)"),
      elementwise("floor", UnaryFn::Floor, "largest integer not above x (as a real)"),
      elementwise("ceil", UnaryFn::Ceil, "smallest integer not below x (as a real)"),
      elementwise("round", UnaryFn::Round, "nearest integer, halves away from 0 (as a real)"),
      elementwise("trunc", UnaryFn::Trunc, "integer part (as a real)"),
      special("abs", Group::Elementwise, abs_fn,
              {"(int) => int", "(real) => real", "(T) => T elementwise"},
              "absolute value; ints stay ints"),
      // Scalar functions.
      binary("pow", BinaryFn::Pow, "x to the power y (also written x ^ y)"),
      binary("fmin", BinaryFn::Fmin, "smaller of two reals (NaN ignored)"),
      binary("fmax", BinaryFn::Fmax, "larger of two reals (NaN ignored)"),
      binary("fdim", BinaryFn::Fdim, "positive difference max(x - y, 0)"),
      binary("fmod", BinaryFn::Fmod, "remainder of x / y, with the sign of x"),
      binary("hypot", BinaryFn::Hypot, "sqrt(x^2 + y^2) without overflow"),
      binary("atan2", BinaryFn::Atan2, "arc tangent of y / x in the right quadrant (atan2(y, x))"),
      binary("lbeta", BinaryFn::Lbeta, "log of the beta function"),
      binary("lchoose", BinaryFn::Lchoose, "log of the binomial coefficient (real arguments)"),
      binary("log_diff_exp", BinaryFn::LogDiffExp, "log(exp(x) - exp(y)) for x > y"),
      binary("gamma_p", BinaryFn::GammaP, "regularized lower incomplete gamma function P(a, z)"),
      binary("gamma_q", BinaryFn::GammaQ, "regularized upper incomplete gamma function Q(a, z)"),
      binary("owens_t", BinaryFn::OwensT, "Owen's T function T(h, a)"),
      bessel("bessel_first_kind", BinaryFn::BesselJ, "Bessel function of the first kind J_v(x)"),
      bessel("bessel_second_kind", BinaryFn::BesselY, "Bessel function of the second kind Y_v(x)"),
      bessel("modified_bessel_first_kind", BinaryFn::BesselI, "modified Bessel function of the first kind I_v(z)"),
      special("log_modified_bessel_first_kind", Group::Scalar, scalars(2, kReal), {"(real v, real z) => real"},
              "log(I_v(z)); v must be data"),
      special("inc_beta", Group::Scalar, scalars(3, kReal), {"(real a, real b, real x) => real"},
              "regularized incomplete beta function I_x(a, b) (beta_cdf(x | a, b))"),
      bessel("modified_bessel_second_kind", BinaryFn::BesselK,
             "modified Bessel function of the second kind K_v(z)"),
      special("lmgamma", Group::Scalar, int_real, {"(int k, real x) => real"},
              "log of the k-dimensional multivariate gamma function"),
      special("log_sum_exp", Group::Scalar, log_sum_exp_fn,
              {"(real, real) => real", "(vector | row_vector | array[] real) => real"},
              "log(exp(x) + exp(y)), or of the sum over a container, without overflow"),
      special("log_mix", Group::Scalar, log_mix_fn,
              {"(real theta, real lp1, real lp2) => real",
               "(vector | array[] real theta, vector | array[] real lps) => real"},
              "log(theta exp(lp1) + (1 - theta) exp(lp2)); log(sum(theta .* exp(lps)))"),
      special("log_inv_logit_diff", Group::Scalar, scalars(2, kReal), {"(real, real) => real"},
              "log(inv_logit(x) - inv_logit(y)) for x > y"),
      special("fma", Group::Scalar, scalars(3, kReal), {"(real, real, real) => real"},
              "x * y + z"),
      special("inv_cloglog", Group::Elementwise, vectorized_unary,
              {"(real) => real", "(T) => T elementwise"}, "1 - exp(-exp(x))"),
      special("lmultiply", Group::Scalar, scalars(2, kReal), {"(real, real) => real"},
              "x * log(y), 0 when both are 0"),
      special("multiply_log", Group::Scalar, scalars(2, kReal), {"(real, real) => real"},
              "x * log(y), 0 when both are 0 (the older name of lmultiply)"),
      special("binary_log_loss", Group::Scalar, int_real, {"(int, real) => real"},
              "-log(y_hat) if y is 1, -log(1 - y_hat) if y is 0"),
      special("falling_factorial", Group::Scalar, real_int, {"(real, int) => real"},
              "x (x - 1) ... (x - n + 1) = Gamma(x + 1) / Gamma(x - n + 1)"),
      special("log_falling_factorial", Group::Scalar, scalars(2, kReal), {"(real, real) => real"},
              "lgamma(x + 1) - lgamma(x - n + 1)"),
      special("rising_factorial", Group::Scalar, real_int, {"(real, int) => real"},
              "x (x + 1) ... (x + n - 1) = Gamma(x + n) / Gamma(x)"),
      special("log_rising_factorial", Group::Scalar, scalars(2, kReal), {"(real, real) => real"},
              "lgamma(x + n) - lgamma(x)"),
      special("choose", Group::Scalar, ints_only(2, kInt), {"(int, int) => int"},
              "binomial coefficient"),
      special("min", Group::Scalar, min_max,
              {"(int, int) => int", "(real, real) => real", "(array[] int) => int",
               "(vector | row_vector | array[] real) => real"},
              "smaller of two values, or smallest element"),
      special("max", Group::Scalar, min_max,
              {"(int, int) => int", "(real, real) => real", "(array[] int) => int",
               "(vector | row_vector | array[] real) => real"},
              "larger of two values, or largest element"),
      Function{"step", Group::Scalar, scalars(1, kReal), {"(real) => real"},
               "0 for x < 0, else 1", Impl::Unary, UnaryFn::Step},
      special("int_step", Group::Scalar, scalar_to_int, {"(int | real) => int"},
              "1 for x > 0, else 0 (data only)"),
      special("is_inf", Group::Scalar, scalar_to_int, {"(real) => int"},
              "1 if x is infinite (data only)"),
      special("is_nan", Group::Scalar, scalar_to_int, {"(real) => int"},
              "1 if x is NaN (data only)"),
      special("to_int", Group::Scalar, to_int_fn,
              {"(int | real) => int", "(array[...] real) => array[...] int"},
              "truncation towards 0 to an int (data only)"),
      // Constants.
      constant("pi", 3.14159265358979323846, "π"),
      constant("e", 2.71828182845904523536, "base of the natural logarithm"),
      constant("not_a_number", std::numeric_limits<double>::quiet_NaN(), "NaN"),
      constant("positive_infinity", inf, "+∞"),
      constant("negative_infinity", -inf, "−∞"),
      constant("machine_precision", std::numeric_limits<double>::epsilon(),
               "smallest x with 1 + x != 1 (2^-52)"),
      // Container functions.
      special("sum", Group::Container, sum_like,
              {"(array[] int) => int", "(vector | row_vector | matrix | array[] real) => real"},
              "sum of the elements"),
      special("prod", Group::Container, sum_like,
              {"(array[] int) => int", "(vector | row_vector | array[] real) => real"},
              "product of the elements"),
      special("mean", Group::Container, real_reduction,
              {"(vector | row_vector | array[] real) => real"}, "mean of the elements"),
      special("variance", Group::Container, real_reduction,
              {"(vector | row_vector | array[] real) => real"},
              "sample variance (N − 1 denominator)"),
      special("sd", Group::Container, real_reduction,
              {"(vector | row_vector | array[] real) => real"},
              "sample standard deviation (N − 1 denominator)"),
      special("dot_product", Group::Container, dot_product_fn,
              {"(vector | row_vector | array[] real, vector | row_vector | array[] real) => real"},
              "sum of the elementwise products"),
      special("dot_self", Group::Container, dot_self_fn, {"(vector | row_vector) => real"},
              "dot product of a vector with itself"),
      special("rows_dot_product", Group::Container, rows_dot_product_fn,
              {"(vector, vector) => vector", "(row_vector, row_vector) => vector", "(matrix, matrix) => vector"},
              "elementwise products (the row-wise dot products of one-column matrices)"),
      special("cumulative_sum", Group::Container, same_sequence,
              {"(T) => T for vector, row_vector, array[] real, array[] int"}, "running sums"),
      special("sort_asc", Group::Container, same_sequence,
              {"(T) => T for vector, row_vector, array[] real, array[] int"},
              "elements in ascending order (data only)"),
      special("sort_desc", Group::Container, same_sequence,
              {"(T) => T for vector, row_vector, array[] real, array[] int"},
              "elements in descending order (data only)"),
      special("sort_indices_asc", Group::Container, sequence_to_ints,
              {"(vector | row_vector | array[] real | array[] int) => array[] int"},
              "the indexes that sort the elements in ascending order (stable; data only)"),
      special("sort_indices_desc", Group::Container, sequence_to_ints,
              {"(vector | row_vector | array[] real | array[] int) => array[] int"},
              "the indexes that sort the elements in descending order (stable; data only)"),
      special("rank", Group::Container, rank_fn,
              {"(vector | row_vector | array[] real | array[] int, int s) => int"},
              "the number of elements less than element s (data only)"),
      special("dims", Group::Container, dims_fn, {"(T) => array[] int"},
              "the dimensions of a value (arrays first, then the vector length); {} for a scalar"),
      special("linspaced_array", Group::Container, int_then_scalars(2, Type{BaseType::Real, 1}),
              {"(int, real, real) => array[] real"}, "n evenly spaced values from lo to hi"),
      special("linspaced_row_vector", Group::Container, int_then_scalars(2, kRowVector),
              {"(int, real, real) => row_vector"}, "n evenly spaced values from lo to hi"),
      special("one_hot_int_array", Group::Container, int_then_scalars(1, Type{BaseType::Int, 1}, true),
              {"(int n, int k) => array[] int"}, "n zeros with a 1 at position k"),
      special("one_hot_array", Group::Container, int_then_scalars(1, Type{BaseType::Real, 1}, true),
              {"(int n, int k) => array[] real"}, "n zeros with a 1 at position k"),
      special("one_hot_vector", Group::Container, int_then_scalars(1, kVector, true),
              {"(int n, int k) => vector"}, "n zeros with a 1 at position k"),
      special("one_hot_row_vector", Group::Container, int_then_scalars(1, kRowVector, true),
              {"(int n, int k) => row_vector"}, "n zeros with a 1 at position k"),
      special("zeros_int_array", Group::Container, int_then_scalars(0, Type{BaseType::Int, 1}),
              {"(int n) => array[] int"}, "n zeros"),
      special("zeros_array", Group::Container, int_then_scalars(0, Type{BaseType::Real, 1}),
              {"(int n) => array[] real"}, "n zeros"),
      special("zeros_vector", Group::Container, int_then_scalars(0, kVector), {"(int n) => vector"}, "n zeros"),
      special("zeros_row_vector", Group::Container, int_then_scalars(0, kRowVector),
              {"(int n) => row_vector"}, "n zeros"),
      special("ones_int_array", Group::Container, int_then_scalars(0, Type{BaseType::Int, 1}),
              {"(int n) => array[] int"}, "n ones"),
      special("ones_array", Group::Container, int_then_scalars(0, Type{BaseType::Real, 1}),
              {"(int n) => array[] real"}, "n ones"),
      special("ones_vector", Group::Container, int_then_scalars(0, kVector), {"(int n) => vector"}, "n ones"),
      special("ones_row_vector", Group::Container, int_then_scalars(0, kRowVector),
              {"(int n) => row_vector"}, "n ones"),
      special("uniform_simplex", Group::Container, int_then_scalars(0, kVector), {"(int n) => vector"},
              "n values 1 / n"),
      special("reverse", Group::Container, same_sequence,
              {"(T) => T for vector, row_vector, array[] real, array[] int"},
              "elements in reverse order"),
      special("rep_vector", Group::Container, rep_vector_fn(kVector), {"(real, int) => vector"},
              "a vector of n copies of x"),
      special("rep_row_vector", Group::Container, rep_vector_fn(kRowVector),
              {"(real, int) => row_vector"}, "a row vector of n copies of x"),
      special("rep_array", Group::Container, rep_array_fn,
              {"(T, int) => array[] T", "(T, int, int) => array[,] T",
               "(T, int, int, int) => array[,,] T"},
              "an array of copies of x"),
      special("linspaced_vector", Group::Container, linspaced_vector_fn,
              {"(int, real, real) => vector"}, "n evenly spaced values from lo to hi"),
      special("to_vector", Group::Container, to_vector_fn(kVector),
              {"(vector | row_vector | array[] real | array[] int) => vector", "(matrix) => vector"},
              "the elements as a vector (a matrix's column-major)"),
      special("to_row_vector", Group::Container, to_vector_fn(kRowVector),
              {"(vector | row_vector | array[] real | array[] int) => row_vector", "(matrix) => row_vector"},
              "the elements as a row vector (a matrix's column-major)"),
      special("to_array_1d", Group::Container, to_array_1d_fn,
              {"(vector | row_vector | matrix | array[...] real) => array[] real",
               "(array[...] int) => array[] int"},
              "the elements as a one-dimensional array (arrays row-major, a matrix column-major)"),
      special("size", Group::Container, size_fn, {"(array | vector | row_vector | matrix) => int"},
              "length of the outermost dimension (a matrix: its number of elements)"),
      special("num_elements", Group::Container, size_fn, {"(array | vector | row_vector | matrix) => int"},
              "total number of elements"),
      special("rows", Group::Container, rows_cols_fn, {"(vector | row_vector | matrix) => int"},
              "number of rows (1 for a row vector)"),
      special("cols", Group::Container, rows_cols_fn, {"(vector | row_vector | matrix) => int"},
              "number of columns (1 for a vector)"),
      special("head", Group::Container, head_tail_fn,
              {"(T, int) => T for vector, row_vector or an array"}, "the first n elements"),
      special("tail", Group::Container, head_tail_fn,
              {"(T, int) => T for vector, row_vector or an array"}, "the last n elements"),
      special("segment", Group::Container, segment_fn, {"(T, int start, int length) => T"},
              "n elements from position start"),
      special("append_row", Group::Container, append_row_fn,
              {"(vector, vector) => vector", "(real, vector) => vector",
               "(vector, real) => vector", "(matrix | row_vector, matrix | row_vector) => matrix"},
              "concatenation into a vector; the rows of both stacked into a matrix"),
      special("append_array", Group::Container, append_array_fn, {"(array T, array T) => array T"},
              "concatenation of two arrays of the same element type"),
      special("softmax", Group::Container, vector_to_vector, {"(vector) => vector"},
              "exp(x) / sum(exp(x))"),
      special("log_softmax", Group::Container, vector_to_vector, {"(vector) => vector"},
              "x - log_sum_exp(x)"),
  };
  return t;
}

}  // namespace

const std::vector<Function>& functions() {
  static const std::vector<Function> t = [] {
    std::vector<Function> all = make_functions();
    for (Function& f : matrix_functions()) all.push_back(std::move(f));
    return all;
  }();
  return t;
}

}  // namespace mcmc::catalog

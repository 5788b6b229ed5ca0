// Elementwise scalar functions with their derivatives: one table used by constant folding and the tape.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

namespace mcmc::graph {

/// Unary elementwise functions. d(x, y) is dy/dx given x and y = f(x).
enum class UnaryFn : std::uint16_t {
  Neg, Exp, Log, Log2, Log10, Log1p, Expm1, Sqrt, Cbrt, Square, Inv, InvSqrt, InvSquare,
  InvLogit, Logit, LogInvLogit, Log1mInvLogit, Log1m, Log1pExp, Log1mExp, Lgamma, Tgamma, Digamma,
  Phi, PhiApprox, InvPhi, Erf, Erfc, Sin, Cos, Tan, Asin, Acos, Atan, Sinh, Cosh, Tanh, Asinh, Acosh,
  Atanh, Fabs, Floor, Ceil, Round, Trunc, Step, Not, Exp2, Logical, Trigamma,
  Count
};

/// Binary elementwise functions; da, db are the partial derivatives.
enum class BinaryFn : std::uint16_t {
  Add, Sub, Mul, Div, Pow, Fmin, Fmax, Atan2, Lbeta, LogSumExp, Lchoose, Fdim, Hypot, Fmod,
  Lt, Le, Gt, Ge, Eq, Ne, And, Or, LogDiffExp,
  GammaP, GammaQ, OwensT,
  BesselJ, BesselY, BesselI, BesselK,  // a: the integer order (no derivative), b: the argument
  Count
};

double apply(UnaryFn f, double x);
double derivative(UnaryFn f, double x, double y);
double apply(BinaryFn f, double a, double b);
/// Partial derivatives of f at (a, b), with r = f(a, b).
void partials(BinaryFn f, double a, double b, double r, double& da, double& db);

/// log(1 + x) for the log density: equal to std::log1p within 2 ulp (Goldberg's identity
/// log1p(x) = log(u) * x / (u - 1) with u = 1 + x, accurate when log is; checked against
/// std::log1p over 1e-30 <= |x| <= 1e30 and near -1), and on glibc about twice as fast, because
/// glibc's log is its fast table-driven one and its log1p the old fdlibm routine. A batched
/// run of eight schools spends about a tenth of its time in the Cauchy prior's log1p.
inline double log1p(double x) {
  const double u = 1.0 + x;
  if (u == 1.0) return x;  // |x| < 2^-53: log1p(x) rounds to x
  if (u == std::numeric_limits<double>::infinity()) return u;
  return std::log(u) * (x / (u - 1.0));
}

double digamma(double x);
double inv_Phi(double p);
double log_sum_exp(double a, double b);
double log1p_exp(double x);
double log_inv_logit(double x);
double log1m_inv_logit(double x);
double inv_logit(double x);

}  // namespace mcmc::graph

// Values and derivatives of the elementwise scalar functions (Stan's definitions).
#include "graph/functions.hpp"

#include <cmath>
#include <limits>
#include <string>

#include <boost/math/special_functions/bessel.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/owens_t.hpp>
#include <boost/math/special_functions/polygamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>

#include "graph/boost_math.hpp"

namespace mcmc::graph {
namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kSqrt2 = 1.4142135623730951;
constexpr double kInvSqrt2Pi = 0.3989422804014327;
}  // namespace

double inv_logit(double x) {
  if (x < 0) {
    double e = std::exp(x);
    return x < -36.04365338911715 ? e : e / (1 + e);
  }
  return 1 / (1 + std::exp(-x));
}

double log1p_exp(double x) {
  if (x > 0) return x + graph::log1p(std::exp(-x));
  return graph::log1p(std::exp(x));
}

double log_inv_logit(double x) { return x < 0 ? x - log1p_exp(x) : -log1p_exp(-x); }
double log1m_inv_logit(double x) { return x > 0 ? -x - log1p_exp(-x) : -log1p_exp(x); }

double log_sum_exp(double a, double b) {
  if (a == -kInf) return b;
  if (b == -kInf) return a;
  if (a == kInf || b == kInf) return kInf;
  return a > b ? a + graph::log1p(std::exp(b - a)) : b + graph::log1p(std::exp(a - b));
}

static double log_diff_exp(double a, double b) {
  if (b > a) return kNaN;
  if (a == kInf) return b == kInf ? kNaN : kInf;
  if (b == -kInf) return a;
  double d = b - a;
  return a + (d > -0.693147 ? std::log(-std::expm1(d)) : graph::log1p(-std::exp(d)));
}

double digamma(double x) {
  if (std::isnan(x) || x == -kInf) return kNaN;
  if (x <= 0 && std::floor(x) == x) return kNaN;
  double result = 0;
  if (x < 0) {  // reflection
    result -= M_PI / std::tan(M_PI * x);
    x = 1 - x;
  }
  while (x < 6) {
    result -= 1 / x;
    x += 1;
  }
  double f = 1 / (x * x);
  double t = f * (-1.0 / 12 + f * (1.0 / 120 + f * (-1.0 / 252 + f * (1.0 / 240 + f * (-1.0 / 132 +
             f * (691.0 / 32760 + f * (-1.0 / 12)))))));
  return result + std::log(x) - 0.5 / x + t;
}

// Acklam's rational approximation refined by one Halley step (as Stan's inv_Phi).
double inv_Phi(double p) {
  if (!(p >= 0 && p <= 1)) return kNaN;
  if (p == 0) return -kInf;
  if (p == 1) return kInf;
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  double x;
  if (p < 0.02425) {
    double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - 0.02425) {
    double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    double q = std::sqrt(-2 * graph::log1p(-p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  double e = 0.5 * std::erfc(-x / kSqrt2) - p;
  double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

static double Phi(double x) {
  if (x < -37.5) return 0;
  if (x < -5) return 0.5 * std::erfc(-x / kSqrt2);
  if (x > 8.25) return 1;
  return 0.5 * (1 + std::erf(x / kSqrt2));
}

static double Phi_approx(double x) { return inv_logit(0.07056 * x * x * x + 1.5976 * x); }

double apply(UnaryFn f, double x) {
  switch (f) {
    case UnaryFn::Neg: return -x;
    case UnaryFn::Exp: return std::exp(x);
    case UnaryFn::Log: return std::log(x);
    case UnaryFn::Log2: return std::log2(x);
    case UnaryFn::Log10: return std::log10(x);
    case UnaryFn::Log1p: return graph::log1p(x);
    case UnaryFn::Expm1: return std::expm1(x);
    case UnaryFn::Sqrt: return std::sqrt(x);
    case UnaryFn::Cbrt: return std::cbrt(x);
    case UnaryFn::Square: return x * x;
    case UnaryFn::Inv: return 1 / x;
    case UnaryFn::InvSqrt: return 1 / std::sqrt(x);
    case UnaryFn::InvSquare: return 1 / (x * x);
    case UnaryFn::InvLogit: return inv_logit(x);
    case UnaryFn::Logit: return std::log(x / (1 - x));
    case UnaryFn::LogInvLogit: return log_inv_logit(x);
    case UnaryFn::Log1mInvLogit: return log1m_inv_logit(x);
    case UnaryFn::Log1m: return graph::log1p(-x);
    case UnaryFn::Log1pExp: return log1p_exp(x);
    case UnaryFn::Log1mExp: return x > -0.693147 ? std::log(-std::expm1(x)) : graph::log1p(-std::exp(x));
    case UnaryFn::Lgamma: return std::lgamma(x);
    case UnaryFn::Tgamma: return std::tgamma(x);
    case UnaryFn::Digamma: return digamma(x);
    case UnaryFn::Trigamma: return boost::math::trigamma(x, BoostPolicy());
    case UnaryFn::Phi: return Phi(x);
    case UnaryFn::PhiApprox: return Phi_approx(x);
    case UnaryFn::InvPhi: return inv_Phi(x);
    case UnaryFn::Erf: return std::erf(x);
    case UnaryFn::Erfc: return std::erfc(x);
    case UnaryFn::Sin: return std::sin(x);
    case UnaryFn::Cos: return std::cos(x);
    case UnaryFn::Tan: return std::tan(x);
    case UnaryFn::Asin: return std::asin(x);
    case UnaryFn::Acos: return std::acos(x);
    case UnaryFn::Atan: return std::atan(x);
    case UnaryFn::Sinh: return std::sinh(x);
    case UnaryFn::Cosh: return std::cosh(x);
    case UnaryFn::Tanh: return std::tanh(x);
    case UnaryFn::Asinh: return std::asinh(x);
    case UnaryFn::Acosh: return std::acosh(x);
    case UnaryFn::Atanh: return std::atanh(x);
    case UnaryFn::Fabs: return std::fabs(x);
    case UnaryFn::Floor: return std::floor(x);
    case UnaryFn::Ceil: return std::ceil(x);
    case UnaryFn::Round: return std::round(x);
    case UnaryFn::Trunc: return std::trunc(x);
    case UnaryFn::Step: return x < 0 ? 0 : 1;  // Stan: step(x) = 0 if x < 0 else 1
    case UnaryFn::Not: return x == 0 ? 1 : 0;
    case UnaryFn::Exp2: return std::exp2(x);
    case UnaryFn::Logical: return x != 0 ? 1 : 0;
    case UnaryFn::Count: break;
  }
  return kNaN;
}

double derivative(UnaryFn f, double x, double y) {
  switch (f) {
    case UnaryFn::Neg: return -1;
    case UnaryFn::Exp: return y;
    case UnaryFn::Log: return 1 / x;
    case UnaryFn::Log2: return 1 / (x * M_LN2);
    case UnaryFn::Log10: return 1 / (x * M_LN10);
    case UnaryFn::Log1p: return 1 / (1 + x);
    case UnaryFn::Expm1: return y + 1;
    case UnaryFn::Sqrt: return 0.5 / y;
    case UnaryFn::Cbrt: return 1 / (3 * y * y);
    case UnaryFn::Square: return 2 * x;
    case UnaryFn::Inv: return -y * y;
    case UnaryFn::InvSqrt: return -0.5 * y / x;
    case UnaryFn::InvSquare: return -2 * y / x;
    case UnaryFn::InvLogit: return y * (1 - y);
    case UnaryFn::Logit: return 1 / (x - x * x);
    case UnaryFn::LogInvLogit: return inv_logit(-x);
    case UnaryFn::Log1mInvLogit: return -inv_logit(x);
    case UnaryFn::Log1m: return -1 / (1 - x);
    case UnaryFn::Log1pExp: return inv_logit(x);
    case UnaryFn::Log1mExp: return -1 / std::expm1(-x);
    case UnaryFn::Lgamma: return digamma(x);
    case UnaryFn::Tgamma: return y * digamma(x);
    case UnaryFn::Digamma: {  // trigamma by recurrence + asymptotic series
      double t = 0, z = x;
      while (z < 6) { t += 1 / (z * z); z += 1; }
      double f2 = 1 / (z * z);
      return t + 1 / z + f2 / 2 + f2 / z * (1.0 / 6 - f2 * (1.0 / 30 - f2 * (1.0 / 42 - f2 / 30)));
    }
    case UnaryFn::Trigamma: return boost::math::polygamma(2, x, BoostPolicy());
    case UnaryFn::Phi: return kInvSqrt2Pi * std::exp(-0.5 * x * x);
    case UnaryFn::PhiApprox: return y * (1 - y) * (3 * 0.07056 * x * x + 1.5976);
    case UnaryFn::InvPhi: return std::sqrt(2 * M_PI) * std::exp(0.5 * y * y);
    case UnaryFn::Erf: return 2 / std::sqrt(M_PI) * std::exp(-x * x);
    case UnaryFn::Erfc: return -2 / std::sqrt(M_PI) * std::exp(-x * x);
    case UnaryFn::Sin: return std::cos(x);
    case UnaryFn::Cos: return -std::sin(x);
    case UnaryFn::Tan: return 1 + y * y;
    case UnaryFn::Asin: return 1 / std::sqrt(1 - x * x);
    case UnaryFn::Acos: return -1 / std::sqrt(1 - x * x);
    case UnaryFn::Atan: return 1 / (1 + x * x);
    case UnaryFn::Sinh: return std::cosh(x);
    case UnaryFn::Cosh: return std::sinh(x);
    case UnaryFn::Tanh: return 1 - y * y;
    case UnaryFn::Asinh: return 1 / std::sqrt(x * x + 1);
    case UnaryFn::Acosh: return 1 / std::sqrt(x * x - 1);
    case UnaryFn::Atanh: return 1 / (1 - x * x);
    case UnaryFn::Fabs: return x > 0 ? 1 : (x < 0 ? -1 : 0);
    case UnaryFn::Exp2: return y * M_LN2;
    case UnaryFn::Floor: case UnaryFn::Ceil: case UnaryFn::Round: case UnaryFn::Trunc:
    case UnaryFn::Step: case UnaryFn::Not: case UnaryFn::Logical: case UnaryFn::Count:
      return 0;
  }
  return 0;
}

static double lbeta(double a, double b) { return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b); }

double apply(BinaryFn f, double a, double b) {
  switch (f) {
    case BinaryFn::Add: return a + b;
    case BinaryFn::Sub: return a - b;
    case BinaryFn::Mul: return a * b;
    case BinaryFn::Div: return a / b;
    case BinaryFn::Pow: return std::pow(a, b);
    case BinaryFn::Fmin: return std::isnan(a) ? b : (std::isnan(b) ? a : (b < a ? b : a));
    case BinaryFn::Fmax: return std::isnan(a) ? b : (std::isnan(b) ? a : (b > a ? b : a));
    case BinaryFn::Atan2: return std::atan2(a, b);
    case BinaryFn::Lbeta: return lbeta(a, b);
    case BinaryFn::LogSumExp: return log_sum_exp(a, b);
    case BinaryFn::Lchoose: return std::lgamma(a + 1) - std::lgamma(b + 1) - std::lgamma(a - b + 1);
    case BinaryFn::Fdim: return a > b ? a - b : 0;
    case BinaryFn::Hypot: return std::hypot(a, b);
    case BinaryFn::Fmod: return std::fmod(a, b);
    case BinaryFn::Lt: return a < b;
    case BinaryFn::Le: return a <= b;
    case BinaryFn::Gt: return a > b;
    case BinaryFn::Ge: return a >= b;
    case BinaryFn::Eq: return a == b;
    case BinaryFn::Ne: return a != b;
    case BinaryFn::And: return a != 0 && b != 0;
    case BinaryFn::Or: return a != 0 || b != 0;
    case BinaryFn::LogDiffExp: return log_diff_exp(a, b);
    case BinaryFn::GammaP: return boost::math::gamma_p(a, b, BoostPolicy());
    case BinaryFn::GammaQ: return boost::math::gamma_q(a, b, BoostPolicy());
    case BinaryFn::OwensT: return boost::math::owens_t(a, b, BoostPolicy());
    case BinaryFn::BesselJ: return boost::math::cyl_bessel_j(a, b, BoostPolicy());
    case BinaryFn::BesselY: return boost::math::cyl_neumann(a, b, BoostPolicy());
    case BinaryFn::BesselI: return boost::math::cyl_bessel_i(a, b, BoostPolicy());
    case BinaryFn::BesselK: return boost::math::cyl_bessel_k(a, b, BoostPolicy());
    case BinaryFn::Count: break;
  }
  return kNaN;
}

void partials(BinaryFn f, double a, double b, double r, double& da, double& db) {
  da = 0;
  db = 0;
  switch (f) {
    case BinaryFn::Add: da = 1; db = 1; break;
    case BinaryFn::Sub: da = 1; db = -1; break;
    case BinaryFn::Mul: da = b; db = a; break;
    case BinaryFn::Div: da = 1 / b; db = -r / b; break;
    case BinaryFn::Pow:
      da = b == 0 ? 0 : b * std::pow(a, b - 1);
      db = a == 0 ? 0 : r * std::log(a);
      break;
    case BinaryFn::Fmin: if (std::isnan(b) || a <= b) da = 1; else db = 1; break;
    case BinaryFn::Fmax: if (std::isnan(b) || a >= b) da = 1; else db = 1; break;
    case BinaryFn::Atan2: { double d = a * a + b * b; da = b / d; db = -a / d; break; }
    case BinaryFn::Lbeta: { double s = digamma(a + b); da = digamma(a) - s; db = digamma(b) - s; break; }
    case BinaryFn::LogSumExp: {
      // One exp: with e = exp(min - max), the weights are 1 / (1 + e) and e / (1 + e).
      if (a > b) {
        double e = std::exp(b - a), w = 1 / (1 + e);
        da = w;
        db = e * w;
      } else {
        double e = std::exp(a - b), w = 1 / (1 + e);
        db = w;
        da = e * w;
      }
      break;
    }
    case BinaryFn::Lchoose: {
      double s = digamma(a - b + 1);
      da = digamma(a + 1) - s;
      db = s - digamma(b + 1);
      break;
    }
    case BinaryFn::Fdim: if (a > b) { da = 1; db = -1; } break;
    case BinaryFn::Hypot: da = a / r; db = b / r; break;
    case BinaryFn::Fmod: da = 1; db = -std::trunc(a / b); break;
    case BinaryFn::LogDiffExp: da = -1 / std::expm1(b - a); db = -1 / std::expm1(a - b); break;
    case BinaryFn::GammaP:
    case BinaryFn::GammaQ: {
      const double s = f == BinaryFn::GammaP ? 1 : -1;
      db = s * boost::math::gamma_p_derivative(a, b, BoostPolicy());
      da = s * shape_derivative([b](double t) { return boost::math::gamma_p(t, b, BoostPolicy()); }, a);
      break;
    }
    case BinaryFn::OwensT: {  // T(h, a)
      const double h2 = a * a;
      da = -std::exp(-0.5 * h2) / std::sqrt(2 * M_PI) * 0.5 * std::erf(a * b / kSqrt2);
      db = std::exp(-0.5 * h2 * (1 + b * b)) / (2 * M_PI * (1 + b * b));
      break;
    }
    // Derivatives in the argument by the recurrences of the Bessel functions (DLMF 10.6.1, 10.29.1).
    case BinaryFn::BesselJ:
      db = 0.5 * (apply(f, a - 1, b) - apply(f, a + 1, b));
      break;
    case BinaryFn::BesselY:
      db = 0.5 * (apply(f, a - 1, b) - apply(f, a + 1, b));
      break;
    case BinaryFn::BesselI:
      db = 0.5 * (apply(f, a - 1, b) + apply(f, a + 1, b));
      break;
    case BinaryFn::BesselK:
      db = -0.5 * (apply(f, a - 1, b) + apply(f, a + 1, b));
      break;
    default: break;
  }
}

}  // namespace mcmc::graph

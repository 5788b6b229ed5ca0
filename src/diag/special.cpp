// Normal and beta quantile functions used by the rank normalization and the quantile MCSE.
#include "diag/special.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mcmc::diag {
namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

// Rational approximation of AS 241 for |p - 0.5| <= 0.425.
double qnorm_central(double q) {
  const double r = 0.180625 - q * q;
  return q *
         (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r +
              45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r +
           133.14166789178437745) * r + 3.387132872796366608) /
         (((((((r * 5226.495278852854561 + 28729.085735721942674) * r + 39307.89580009271061) * r +
              21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r +
           42.313330701600911252) * r + 1.0);
}

// AS 241 in the tails, with r = sqrt(-log(min(p, 1 - p))); returns the positive deviate.
double qnorm_tail(double r) {
  if (r <= 5.0) {
    r -= 1.6;
    return (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
                1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r +
             4.6303378461565452959) * r + 1.42343711074968357734) /
           (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
                0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r +
             2.05319162663775882187) * r + 1.0);
  }
  r -= 5.0;
  return (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
              0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r +
           5.4637849111641143699) * r + 6.6579046435011037772) /
         (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
              7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r +
           0.59983220655588793769) * r + 1.0);
}

// Continued fraction for the incomplete beta (modified Lentz), valid for x < (a + 1) / (a + b + 2).
double beta_continued_fraction(double x, double a, double b) {
  constexpr double tiny = 1e-300;
  constexpr double eps = 1e-16;
  double c = 1.0;
  double d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 10000; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
    d = 1.0 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < eps) break;
  }
  return h;
}

// Stirling-series remainder lgamma(x) - ((x - 0.5) log x - x + log(sqrt(2 pi))), for x >= 10.
double lgamma_correction(double x) {
  const double x2 = 1.0 / (x * x);
  return (1.0 / 12.0 + x2 * (-1.0 / 360.0 + x2 * (1.0 / 1260.0 + x2 * (-1.0 / 1680.0 + x2 * (1.0 / 1188.0 +
          x2 * (-691.0 / 360360.0 + x2 * (1.0 / 156.0))))))) / x;
}

// log B(a, b) without the cancellation of lgamma(a + b) - lgamma(b) for large arguments (R's lbeta).
double lbeta(double a, double b) {
  const double p = std::min(a, b);
  const double q = std::max(a, b);
  constexpr double log_sqrt_2pi = 0.918938533204672741780329736406;
  if (p >= 10.0) {
    const double corr = lgamma_correction(p) + lgamma_correction(q) - lgamma_correction(p + q);
    return -0.5 * std::log(q) + log_sqrt_2pi + corr + (p - 0.5) * std::log(p / (p + q)) +
           q * std::log1p(-p / (p + q));
  }
  if (q >= 10.0) {
    const double corr = lgamma_correction(q) - lgamma_correction(p + q);
    return std::lgamma(p) + corr + p - p * std::log(p + q) + (q - 0.5) * std::log1p(-p / (p + q));
  }
  return std::lgamma(p) + std::lgamma(q) - std::lgamma(p + q);
}

// log of x^a (1-x)^b / B(a, b).
double log_beta_prefactor(double x, double a, double b) {
  return a * std::log(x) + b * std::log1p(-x) - lbeta(a, b);
}

// Density of the beta distribution.
double dbeta(double x, double a, double b) {
  if (x <= 0.0 || x >= 1.0) return 0.0;
  return std::exp((a - 1.0) * std::log(x) + (b - 1.0) * std::log1p(-x) - lbeta(a, b));
}

}  // namespace

double qnorm(double p) {
  if (std::isnan(p) || p < 0.0 || p > 1.0) return nan_value;
  if (p == 0.0) return -std::numeric_limits<double>::infinity();
  if (p == 1.0) return std::numeric_limits<double>::infinity();
  const double q = p - 0.5;
  if (std::fabs(q) <= 0.425) return qnorm_central(q);
  const double r = std::sqrt(-std::log(q < 0.0 ? p : 0.5 - p + 0.5));
  const double value = qnorm_tail(r);
  return q < 0.0 ? -value : value;
}

double pbeta(double x, double a, double b) {
  if (std::isnan(x) || !(a > 0.0) || !(b > 0.0)) return nan_value;
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  if (x < (a + 1.0) / (a + b + 2.0)) {
    return std::exp(log_beta_prefactor(x, a, b)) / a * beta_continued_fraction(x, a, b);
  }
  return 1.0 - std::exp(log_beta_prefactor(1.0 - x, b, a)) / b * beta_continued_fraction(1.0 - x, b, a);
}

double qbeta(double p, double a, double b) {
  if (std::isnan(p) || p < 0.0 || p > 1.0 || !(a > 0.0) || !(b > 0.0)) return nan_value;
  if (p == 0.0) return 0.0;
  if (p == 1.0) return 1.0;
  // Bisection keeps a bracket; Newton steps inside it converge quadratically.
  double lo = 0.0;
  double hi = 1.0;
  double x = a / (a + b);
  for (int iter = 0; iter < 200; ++iter) {
    const double f = pbeta(x, a, b) - p;
    if (f == 0.0) return x;
    if (f < 0.0) lo = x; else hi = x;
    const double density = dbeta(x, a, b);
    double next = density > 0.0 ? x - f / density : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (std::fabs(next - x) <= 1e-16 * std::fabs(x) || hi - lo <= 4e-16 * hi) return next;
    x = next;
  }
  return x;
}

}  // namespace mcmc::diag

// Exact random variates for the `_rng` functions, built only on Rng's uniform and normal draws.
#include "model/random_variates.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <string>

namespace mcmc::model {
namespace {

using graph::Dist;
using sampler::Rng;

constexpr double kPoissonMaxRate = 1073741824.0;  // 2^30, Stan's POISSON_MAX_RATE
constexpr double kIntMax = 2147483647.0;

// ---------------------------------------------------------------- parameter checks (Stan's wording)

std::string format_value(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

[[noreturn]] void fail(const char* fn, const char* name, double value, const std::string& must) {
  throw std::domain_error(std::string(fn) + ": " + name + " is " + format_value(value) +
                          ", but must be " + must + "!");
}

void check_finite(const char* fn, const char* name, double x) {
  if (!std::isfinite(x)) fail(fn, name, x, "finite");
}

void check_positive_finite(const char* fn, const char* name, double x) {
  if (!(x > 0) || !std::isfinite(x)) fail(fn, name, x, "positive finite");
}

void check_nonnegative(const char* fn, const char* name, double x) {
  if (!(x >= 0)) fail(fn, name, x, "nonnegative");
}

void check_less(const char* fn, const char* name, double x, double bound) {
  if (!(x < bound)) fail(fn, name, x, "less than " + format_value(bound));
}

void check_probability(const char* fn, const char* name, double x) {
  check_finite(fn, name, x);
  if (!(x >= 0 && x <= 1)) fail(fn, name, x, "in the interval [0, 1]");
}

// A count argument (N): a nonnegative integer that fits Stan's int.
long long check_count(const char* fn, const char* name, double x) {
  check_nonnegative(fn, name, x);
  if (!(x <= kIntMax) || x != std::floor(x)) fail(fn, name, x, "a nonnegative integer");
  return static_cast<long long>(x);
}

// ---------------------------------------------------------------- continuous building blocks

// Uniform strictly inside (0, 1), even if the generator could round up to exactly 1.
double open_unit(Rng& rng) {
  for (;;) {
    const double u = rng.uniform_pos();
    if (u > 0 && u < 1) return u;
  }
}

// Standard exponential by inversion; 1 - u lies in (0, 1], so the log is finite.
double std_exponential(Rng& rng) { return -std::log1p(-rng.uniform()); }

// Marsaglia-Tsang (2000) for shape >= 1, unit rate.
double gamma_shape_ge1(double alpha, Rng& rng) {
  const double d = alpha - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x, v;
    do {
      x = rng.normal();
      v = 1.0 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const double u = rng.uniform_pos();
    const double x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2) return d * v;
    if (std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v))) return d * v;
  }
}

// log of a Gamma(alpha, 1) draw; for alpha < 1 uses G(alpha) = G(alpha + 1) * U^(1/alpha) in log
// space so that tiny shapes give a very negative log instead of an underflowed zero.
double log_std_gamma(double alpha, Rng& rng) {
  if (alpha >= 1) return std::log(gamma_shape_ge1(alpha, rng));
  return std::log(gamma_shape_ge1(alpha + 1.0, rng)) + std::log(rng.uniform_pos()) / alpha;
}

double std_gamma(double alpha, Rng& rng) {
  if (alpha >= 1) return gamma_shape_ge1(alpha, rng);
  return gamma_shape_ge1(alpha + 1.0, rng) * std::exp(std::log(rng.uniform_pos()) / alpha);
}

// Beta(a, b) = X / (X + Y) with X, Y gammas, computed from their logs: never NaN, even when both
// shapes are tiny and the gammas themselves underflow.
double beta_draw(double a, double b, Rng& rng) {
  const double lx = log_std_gamma(a, rng);
  const double ly = log_std_gamma(b, rng);
  if (std::isinf(lx) && std::isinf(ly)) return rng.uniform() < a / (a + b) ? 1.0 : 0.0;
  const double d = ly - lx;  // X / (X + Y) = 1 / (1 + exp(d))
  return d > 0 ? std::exp(-d) / (1.0 + std::exp(-d)) : 1.0 / (1.0 + std::exp(d));
}

double inv_logit(double x) {
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

// ---------------------------------------------------------------- Poisson

// Inversion by sequential search; used for lambda < 10, where it needs about lambda + 1 steps.
double poisson_inversion(double lambda, Rng& rng) {
  const double p0 = std::exp(-lambda);
  for (;;) {
    const double u = rng.uniform();
    double p = p0, cdf = p0;
    for (int k = 0; k < 1000; ++k) {
      if (u < cdf) return k;
      p *= lambda / (k + 1);
      cdf += p;
    }
    // Only reachable when rounding keeps the summed cdf below u: draw again.
  }
}

// PTRS: transformed rejection with squeeze (Hormann 1993), exact for lambda >= 10.
double poisson_ptrs(double lambda, Rng& rng) {
  const double slam = std::sqrt(lambda);
  const double loglam = std::log(lambda);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    const double u = rng.uniform() - 0.5;
    const double v = rng.uniform();
    const double us = 0.5 - std::fabs(u);
    if (us <= 0) continue;
    const double k = std::floor((2.0 * a / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
        -lambda + k * loglam - std::lgamma(k + 1.0))
      return k;
  }
}

double poisson_draw(double lambda, Rng& rng) {
  if (lambda == 0) return 0;
  return lambda < 10 ? poisson_inversion(lambda, rng) : poisson_ptrs(lambda, rng);
}

// ---------------------------------------------------------------- binomial

// Inversion for n * p < 10 with p <= 1/2 (so q^n >= e^-14 and the search is short).
double binomial_inversion(double n, double p, double q, Rng& rng) {
  const double s = p / q;
  const double a = (n + 1) * s;
  const double r0 = std::exp(n * std::log1p(-p));
  for (;;) {
    double u = rng.uniform();
    double r = r0;
    for (double x = 0; x <= n; ++x) {
      if (u < r) return x;
      u -= r;
      r *= a / (x + 1) - s;
      if (r <= 0) break;  // past the mode and underflowed: nothing left to reach
    }
    // Rounding left u above the last mass: draw again.
  }
}

// BTRS: transformed rejection with squeeze (Hormann 1993), exact for n * p >= 10, p <= 1/2.
double binomial_btrs(double n, double p, double q, Rng& rng) {
  const double spq = std::sqrt(n * p * q);
  const double b = 1.15 + 2.53 * spq;
  const double a = -0.0873 + 0.0248 * b + 0.01 * p;
  const double c = n * p + 0.5;
  const double vr = 0.92 - 4.2 / b;
  const double alpha = (2.83 + 5.1 / b) * spq;
  const double lpq = std::log(p / q);
  const double m = std::floor((n + 1) * p);
  const double h = std::lgamma(m + 1) + std::lgamma(n - m + 1);
  for (;;) {
    const double u = rng.uniform() - 0.5;
    const double v = rng.uniform();
    const double us = 0.5 - std::fabs(u);
    if (us <= 0) continue;
    const double k = std::floor((2.0 * a / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= vr) return k;
    const double lv = std::log(v * alpha / (a / (us * us) + b));
    if (lv <= h - std::lgamma(k + 1) - std::lgamma(n - k + 1) + (k - m) * lpq) return k;
  }
}

// Binomial(n, p) given both p and q = 1 - p (so logit parameters keep their precision).
double binomial_draw(double n, double p, double q, Rng& rng) {
  if (n == 0 || p == 0) return 0;
  if (q == 0) return n;
  if (p > 0.5) return n - binomial_draw(n, q, p, rng);
  return n * p < 10 ? binomial_inversion(n, p, q, rng) : binomial_btrs(n, p, q, rng);
}

// Poisson draw with a gamma-distributed rate given by its log (negative binomial mixtures).
double poisson_of_log_rate(const char* fn, double log_rate, Rng& rng) {
  const double rate = std::exp(log_rate);
  check_less(fn, "Random number that came from gamma distribution", rate, kPoissonMaxRate);
  return poisson_draw(rate, rng);
}

// ---------------------------------------------------------------- per-distribution draws

double draw(Dist d, const double* p, Rng& rng) {
  switch (d) {
    case Dist::Normal:
      check_finite("normal_rng", "Location parameter", p[0]);
      check_positive_finite("normal_rng", "Scale parameter", p[1]);
      return p[0] + p[1] * rng.normal();
    case Dist::StdNormal:
      return rng.normal();
    case Dist::StudentT: {
      check_positive_finite("student_t_rng", "Degrees of freedom parameter", p[0]);
      check_finite("student_t_rng", "Location parameter", p[1]);
      check_positive_finite("student_t_rng", "Scale parameter", p[2]);
      const double z = rng.normal();
      const double chi2_over_nu = 2.0 * std_gamma(0.5 * p[0], rng) / p[0];
      return p[1] + p[2] * z / std::sqrt(chi2_over_nu);
    }
    case Dist::Cauchy:
      check_finite("cauchy_rng", "Location parameter", p[0]);
      check_positive_finite("cauchy_rng", "Scale parameter", p[1]);
      return p[0] + p[1] * std::tan(std::numbers::pi * (open_unit(rng) - 0.5));
    case Dist::DoubleExponential: {
      check_finite("double_exponential_rng", "Location parameter", p[0]);
      check_positive_finite("double_exponential_rng", "Scale parameter", p[1]);
      const double e = std_exponential(rng);
      return rng.uniform() < 0.5 ? p[0] - p[1] * e : p[0] + p[1] * e;
    }
    case Dist::Logistic: {
      check_finite("logistic_rng", "Location parameter", p[0]);
      check_positive_finite("logistic_rng", "Scale parameter", p[1]);
      const double u = open_unit(rng);
      return p[0] + p[1] * (std::log(u) - std::log1p(-u));
    }
    case Dist::Lognormal:
      check_finite("lognormal_rng", "Location parameter", p[0]);
      check_positive_finite("lognormal_rng", "Scale parameter", p[1]);
      return std::exp(p[0] + p[1] * rng.normal());
    case Dist::Exponential:
      check_positive_finite("exponential_rng", "Inverse scale parameter", p[0]);
      return std_exponential(rng) / p[0];
    case Dist::Gamma:
      check_positive_finite("gamma_rng", "Shape parameter", p[0]);
      check_positive_finite("gamma_rng", "Inverse scale parameter", p[1]);
      return std_gamma(p[0], rng) / p[1];
    case Dist::InvGamma:
      check_positive_finite("inv_gamma_rng", "Shape parameter", p[0]);
      check_positive_finite("inv_gamma_rng", "Scale parameter", p[1]);
      return p[1] / std_gamma(p[0], rng);
    case Dist::Weibull:
      check_positive_finite("weibull_rng", "Shape parameter", p[0]);
      check_positive_finite("weibull_rng", "Scale parameter", p[1]);
      return p[1] * std::pow(std_exponential(rng), 1.0 / p[0]);
    case Dist::ChiSquare:
      check_positive_finite("chi_square_rng", "Degrees of freedom parameter", p[0]);
      return 2.0 * std_gamma(0.5 * p[0], rng);
    case Dist::Beta:
      check_positive_finite("beta_rng", "First shape parameter", p[0]);
      check_positive_finite("beta_rng", "Second shape parameter", p[1]);
      return beta_draw(p[0], p[1], rng);
    case Dist::Uniform: {
      check_finite("uniform_rng", "Lower bound parameter", p[0]);
      check_finite("uniform_rng", "Upper bound parameter", p[1]);
      if (!(p[1] > p[0]))
        fail("uniform_rng", "Upper bound parameter", p[1], "greater than " + format_value(p[0]));
      const double u = rng.uniform();
      const double width = p[1] - p[0];
      return std::isfinite(width) ? p[0] + width * u : p[0] * (1 - u) + p[1] * u;
    }
    case Dist::Poisson:
      check_nonnegative("poisson_rng", "Rate parameter", p[0]);
      check_less("poisson_rng", "Rate parameter", p[0], kPoissonMaxRate);
      return poisson_draw(p[0], rng);
    case Dist::PoissonLog:
      check_finite("poisson_log_rng", "Log rate parameter", p[0]);
      check_less("poisson_log_rng", "Log rate parameter", p[0], 30.0 * std::numbers::ln2);
      return poisson_draw(std::exp(p[0]), rng);
    case Dist::Binomial: {
      const double n = check_count("binomial_rng", "Population size parameter", p[0]);
      check_probability("binomial_rng", "Probability parameter", p[1]);
      return binomial_draw(n, p[1], 1.0 - p[1], rng);
    }
    case Dist::BinomialLogit: {
      const double n = check_count("binomial_logit_rng", "Population size parameter", p[0]);
      check_finite("binomial_logit_rng", "Logit transformed probability parameter", p[1]);
      return binomial_draw(n, inv_logit(p[1]), inv_logit(-p[1]), rng);
    }
    case Dist::Bernoulli:
      check_probability("bernoulli_rng", "Probability parameter", p[0]);
      return rng.uniform() < p[0] ? 1 : 0;
    case Dist::BernoulliLogit:
      check_finite("bernoulli_logit_rng", "Logit transformed probability parameter", p[0]);
      return rng.uniform() < inv_logit(p[0]) ? 1 : 0;
    case Dist::NegBinomial2: {
      const char* fn = "neg_binomial_2_rng";
      check_positive_finite(fn, "Location parameter", p[0]);
      check_positive_finite(fn, "Precision parameter", p[1]);
      // rate ~ Gamma(phi, phi / mu) = mu / phi * Gamma(phi, 1)
      return poisson_of_log_rate(fn, log_std_gamma(p[1], rng) + std::log(p[0] / p[1]), rng);
    }
    case Dist::NegBinomial2Log: {
      const char* fn = "neg_binomial_2_log_rng";
      check_finite(fn, "Log-location parameter", p[0]);
      check_positive_finite(fn, "Inverse dispersion parameter", p[1]);
      return poisson_of_log_rate(fn, log_std_gamma(p[1], rng) + p[0] - std::log(p[1]), rng);
    }
    case Dist::BetaBinomial: {
      const char* fn = "beta_binomial_rng";
      const double n = check_count(fn, "Population size parameter", p[0]);
      check_positive_finite(fn, "First prior sample size parameter", p[1]);
      check_positive_finite(fn, "Second prior sample size parameter", p[2]);
      const double theta = beta_draw(p[1], p[2], rng);
      return binomial_draw(n, theta, 1.0 - theta, rng);
    }
    case Dist::Gumbel:
      check_finite("gumbel_rng", "Location parameter", p[0]);
      check_positive_finite("gumbel_rng", "Scale parameter", p[1]);
      return p[0] - p[1] * std::log(-std::log(open_unit(rng)));
    case Dist::Rayleigh:
      check_positive_finite("rayleigh_rng", "Scale parameter", p[0]);
      return p[0] * std::sqrt(2.0 * std_exponential(rng));
    case Dist::Pareto:
      check_positive_finite("pareto_rng", "Scale parameter", p[0]);
      check_positive_finite("pareto_rng", "Shape parameter", p[1]);
      return p[0] * std::exp(std_exponential(rng) / p[1]);
    case Dist::SkewNormal: {  // Azzalini: the sign of one normal chosen by another's
      check_finite("skew_normal_rng", "Location parameter", p[0]);
      check_positive_finite("skew_normal_rng", "Scale parameter", p[1]);
      check_finite("skew_normal_rng", "Shape parameter", p[2]);
      const double delta = p[2] / std::sqrt(1 + p[2] * p[2]);
      const double u0 = rng.normal(), v = rng.normal();
      const double u1 = delta * u0 + std::sqrt(1 - delta * delta) * v;
      return p[0] + p[1] * (u0 >= 0 ? u1 : -u1);
    }
    case Dist::ExpModNormal:
      check_finite("exp_mod_normal_rng", "Location parameter", p[0]);
      check_positive_finite("exp_mod_normal_rng", "Scale parameter", p[1]);
      check_positive_finite("exp_mod_normal_rng", "Inv_scale parameter", p[2]);
      return p[0] + p[1] * rng.normal() + std_exponential(rng) / p[2];
    case Dist::Frechet:
      check_positive_finite("frechet_rng", "Shape parameter", p[0]);
      check_positive_finite("frechet_rng", "Scale parameter", p[1]);
      return p[1] * std::pow(std_exponential(rng), -1 / p[0]);
    case Dist::ParetoType2:
      check_finite("pareto_type_2_rng", "Location parameter", p[0]);
      check_positive_finite("pareto_type_2_rng", "Scale parameter", p[1]);
      check_positive_finite("pareto_type_2_rng", "Shape parameter", p[2]);
      return p[0] + p[1] * std::expm1(std_exponential(rng) / p[2]);
    case Dist::BetaProportion:
      if (!(p[0] > 0 && p[0] < 1))
        throw std::domain_error("beta_proportion_rng: Location parameter is " + format_value(p[0]) + ", but must be in the interval (0, 1)");
      check_positive_finite("beta_proportion_rng", "Precision parameter", p[1]);
      return beta_draw(p[0] * p[1], (1 - p[0]) * p[1], rng);
    case Dist::VonMises: {  // Best and Fisher (1979), the result in [mu - pi, mu + pi]
      check_finite("von_mises_rng", "Location parameter", p[0]);
      if (!(p[1] >= 0) || !std::isfinite(p[1]))
        throw std::domain_error("von_mises_rng: Scale parameter is " + format_value(p[1]) + ", but must be finite and >= 0");
      const double mu = p[0], kappa = p[1];
      if (kappa < 1.4e-8) return mu + std::numbers::pi * (2 * rng.uniform() - 1);
      const double r = 1 + std::sqrt(1 + 4 * kappa * kappa);
      const double rho = (r - std::sqrt(2 * r)) / (2 * kappa), s = (1 + rho * rho) / (2 * rho);
      double w;
      while (true) {
        const double u1 = rng.uniform(), u2 = rng.uniform();
        const double z = std::cos(std::numbers::pi * u1);
        w = (1 + s * z) / (s + z);
        const double y = kappa * (s - w);
        if (y * (2 - y) - u2 > 0 || std::log(y / u2) + 1 - y >= 0) break;
      }
      const double theta = std::acos(std::fmin(1.0, std::fmax(-1.0, w)));
      return mu + (rng.uniform() < 0.5 ? -theta : theta);
    }
    case Dist::Loglogistic: {
      check_positive_finite("loglogistic_rng", "Scale parameter", p[0]);
      check_positive_finite("loglogistic_rng", "Shape parameter", p[1]);
      const double u = open_unit(rng);
      return p[0] * std::pow(u / (1 - u), 1 / p[1]);
    }
    case Dist::ScaledInvChiSquare:
      check_positive_finite("scaled_inv_chi_square_rng", "Degrees of freedom parameter", p[0]);
      check_positive_finite("scaled_inv_chi_square_rng", "Scale parameter", p[1]);
      return p[0] * p[1] * p[1] / (2 * std_gamma(p[0] / 2, rng));
    case Dist::InvChiSquare:
      check_positive_finite("inv_chi_square_rng", "Degrees of freedom parameter", p[0]);
      return 1 / (2 * std_gamma(p[0] / 2, rng));
    case Dist::NegBinomial: {
      const char* fn = "neg_binomial_rng";
      check_positive_finite(fn, "Shape parameter", p[0]);
      check_positive_finite(fn, "Inverse scale parameter", p[1]);
      return poisson_of_log_rate(fn, log_std_gamma(p[0], rng) - std::log(p[1]), rng);
    }
    case Dist::DiscreteRange: {
      const double lo = p[0], hi = p[1];
      if (!(lo <= hi)) throw std::domain_error("discrete_range_rng: Lower bound parameter is " + format_value(lo) +
                                               ", but must be <= the upper bound " + format_value(hi));
      return lo + std::floor(rng.uniform() * (hi - lo + 1));
    }
    case Dist::Hypergeometric: {  // N draws without replacement from a successes and b failures
      const double N = check_count("hypergeometric_rng", "Draws parameter", p[0]);
      double a = check_count("hypergeometric_rng", "Successes in population parameter", p[1]);
      double b = check_count("hypergeometric_rng", "Failures in population parameter", p[2]);
      if (N > a + b) throw std::domain_error("hypergeometric_rng: Draws parameter is " + format_value(N) +
                                             ", but must be <= a + b = " + format_value(a + b));
      double k = 0;
      for (double i = 0; i < N; ++i) {
        if (rng.uniform() * (a + b) < a) {
          ++k;
          --a;
        } else {
          --b;
        }
      }
      return k;
    }
    case Dist::Count:
      break;
  }
  throw std::logic_error("random_variate: unknown distribution");
}

}  // namespace

double random_variate(graph::Dist d, std::span<const double> params, sampler::Rng& rng) {
  if (d == Dist::Count) throw std::logic_error("random_variate: unknown distribution");
  const graph::DistInfo& info = graph::dist_info(d);
  if (params.size() != static_cast<std::size_t>(info.num_args - 1))
    throw std::logic_error(std::string("random_variate: ") + info.name + "_rng expects " +
                           std::to_string(info.num_args - 1) + " arguments, got " +
                           std::to_string(params.size()));
  return draw(d, params.data(), rng);
}

int categorical_variate(std::span<const double> theta, sampler::Rng& rng) {
  const char* fn = "categorical_rng: Probabilities parameter is not a valid simplex. ";
  if (theta.empty())
    throw std::domain_error(std::string(fn) + "length(Probabilities parameter) = 0, but should be "
                            "greater than 0");
  double sum = 0;
  for (std::size_t i = 0; i < theta.size(); ++i) {
    if (!(theta[i] >= 0))
      throw std::domain_error(std::string(fn) + "Probabilities parameter[" +
                              std::to_string(i + 1) + "] = " + format_value(theta[i]) +
                              ", but should be greater than or equal to 0");
    sum += theta[i];
  }
  if (!(std::fabs(1.0 - sum) <= 1e-8))
    throw std::domain_error(std::string(fn) + "sum(Probabilities parameter) = " +
                            format_value(sum) + ", but should be 1");
  // Scale u by the actual sum so rounding in the simplex never leaves a gap at the top.
  const double u = rng.uniform() * sum;
  double cdf = 0;
  int last_positive = 1;
  for (std::size_t i = 0; i < theta.size(); ++i) {
    if (theta[i] <= 0) continue;
    last_positive = static_cast<int>(i) + 1;
    cdf += theta[i];
    if (u < cdf) return last_positive;
  }
  return last_positive;
}

}  // namespace mcmc::model

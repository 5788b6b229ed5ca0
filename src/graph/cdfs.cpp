// Log CDFs and CCDFs with their partials: closed forms where they exist, Boost.Math's incomplete gamma and beta functions otherwise.
#include "graph/cdfs.hpp"

#include <cmath>
#include <limits>

#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include "graph/boost_math.hpp"
#include "graph/distributions_more.hpp"
#include "graph/functions.hpp"

namespace mcmc::graph {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kHalfLog2Pi = 0.91893853320467274178;
constexpr double kLog2 = 0.69314718055994530942;

using Pol = BoostPolicy;

// log(Phi(z)) and its derivative, accurate in both tails.
double log_Phi(double z, double& dz) {
  if (z > 8) {
    double t = 0.5 * std::erfc(z / std::sqrt(2.0));
    dz = std::exp(-0.5 * z * z - kHalfLog2Pi) / (1 - t);
    return graph::log1p(-t);
  }
  if (z < -37.5) {  // asymptotic: Phi(z) ~ phi(z)/(-z) (1 - 1/z^2 + 3/z^4); erfc underflows below
    double z2 = z * z;
    double lp = -0.5 * z2 - kHalfLog2Pi - std::log(-z) + graph::log1p(-1 / z2 + 3 / (z2 * z2));
    dz = std::exp(-0.5 * z2 - kHalfLog2Pi - lp);  // phi(z) / Phi(z)
    return lp;
  }
  double p = 0.5 * std::erfc(-z / std::sqrt(2.0));
  dz = std::exp(-0.5 * z * z - kHalfLog2Pi) / p;
  return std::log(p);
}

}  // namespace

double cdf_term(Dist dist, DistKind kind, const double* x, double* d) {
  const double y = x[0];
  const bool upper = kind == DistKind::Lccdf;
  switch (dist) {
    case Dist::Normal:
    case Dist::StdNormal: {
      double mu = dist == Dist::Normal ? x[1] : 0, sigma = dist == Dist::Normal ? x[2] : 1;
      if (!(sigma > 0)) return kNaN;
      double z = (y - mu) / sigma, dz;
      double lp = upper ? log_Phi(-z, dz) : log_Phi(z, dz);
      if (upper) dz = -dz;
      d[0] = dz / sigma;
      if (dist == Dist::Normal) {
        d[1] = -dz / sigma;
        d[2] = -dz * z / sigma;
      }
      return lp;
    }
    case Dist::Exponential: {
      double beta = x[1];
      if (!(beta > 0) || y < 0) return kNaN;
      if (upper) {
        d[0] = -beta;
        d[1] = -y;
        return -beta * y;
      }
      double e = std::exp(-beta * y), den = -std::expm1(-beta * y);
      d[0] = beta * e / den;
      d[1] = y * e / den;
      return std::log(den);
    }
    case Dist::Cauchy: {
      double mu = x[1], sigma = x[2];
      if (!(sigma > 0)) return kNaN;
      double z = (y - mu) / sigma;
      double p = 0.5 + std::atan(z) / M_PI;
      if (upper) p = 1 - p;
      double dens = 1 / (M_PI * sigma * (1 + z * z));
      double s = upper ? -1 : 1;
      d[0] = s * dens / p;
      d[1] = -d[0];
      d[2] = -d[0] * z;
      return std::log(p);
    }
    case Dist::Logistic: {
      double mu = x[1], sigma = x[2];
      if (!(sigma > 0)) return kNaN;
      double z = (y - mu) / sigma, s = inv_logit(z);
      if (upper) {
        d[0] = -s / sigma;
        d[1] = s / sigma;
        d[2] = s * z / sigma;
        return log1m_inv_logit(z);
      }
      d[0] = (1 - s) / sigma;
      d[1] = -(1 - s) / sigma;
      d[2] = -(1 - s) * z / sigma;
      return log_inv_logit(z);
    }
    case Dist::Lognormal: {
      double mu = x[1], sigma = x[2];
      if (!(sigma > 0) || y < 0) return kNaN;
      if (y == 0) return upper ? 0 : -kInf;
      double z = (std::log(y) - mu) / sigma, dz;
      double lp = upper ? log_Phi(-z, dz) : log_Phi(z, dz);
      if (upper) dz = -dz;
      d[0] = dz / (sigma * y);
      d[1] = -dz / sigma;
      d[2] = -dz * z / sigma;
      return lp;
    }
    case Dist::Weibull: {
      double a = x[1], s = x[2];
      if (!(a > 0) || !(s > 0) || y < 0) return kNaN;
      double pw = std::pow(y / s, a), lr = y > 0 ? std::log(y / s) : 0;
      if (upper) {
        d[0] = -a / y * pw;
        d[1] = -pw * lr;
        d[2] = a / s * pw;
        return -pw;
      }
      double e = std::exp(-pw), den = -std::expm1(-pw), f = e / den;
      d[0] = f * a / y * pw;
      d[1] = f * pw * lr;
      d[2] = -f * a / s * pw;
      return std::log(den);
    }
    case Dist::Uniform: {
      double a = x[1], b = x[2];
      if (!(b > a)) return kNaN;
      if (y <= a) return upper ? 0 : -kInf;
      if (y >= b) return upper ? -kInf : 0;
      double w = b - a;
      if (upper) {
        d[0] = -1 / (b - y);
        d[1] = 1 / w;                 // d/da log((b-y)/(b-a)) = 1/(b-a)
        d[2] = 1 / (b - y) - 1 / w;   // d/db
        return std::log((b - y) / w);
      }
      d[0] = 1 / (y - a);
      d[1] = -1 / (y - a) + 1 / w;
      d[2] = -1 / w;
      return std::log((y - a) / w);
    }
    case Dist::StudentT: {
      double nu = x[1], mu = x[2], sigma = x[3];
      if (!(nu > 0) || !(sigma > 0) || std::isnan(y) || std::isnan(mu)) return kNaN;
      // The tail beyond |t|: 0.5 I_{nu/(nu+t^2)}(nu/2, 1/2), from the complement when t^2 < nu.
      auto log_tail = [&](double n, double t, bool lower) {
        double t2 = t * t, tail;
        if (t2 < n) tail = 0.5 * boost::math::ibetac(0.5, n / 2, t2 / (n + t2), Pol());
        else tail = 0.5 * boost::math::ibeta(n / 2, 0.5, n / (n + t2), Pol());
        bool below = lower == (t < 0);  // the wanted side is the small tail
        return below ? std::log(tail) : graph::log1p(-tail);
      };
      double t = (y - mu) / sigma;
      double lp = log_tail(nu, t, !upper);
      double lpdf = std::lgamma((nu + 1) / 2) - std::lgamma(nu / 2) - 0.5 * std::log(nu * M_PI) -
                    (nu + 1) / 2 * graph::log1p(t * t / nu);
      double dt = (upper ? -1 : 1) * std::exp(lpdf - lp);
      d[0] = dt / sigma;
      d[1] = shape_derivative([&](double n) { return log_tail(n, t, !upper); }, nu);
      d[2] = -dt / sigma;
      d[3] = -dt * t / sigma;
      return lp;
    }
    case Dist::DoubleExponential: {
      double mu = x[1], sigma = x[2];
      if (!(sigma > 0) || std::isnan(y) || std::isnan(mu)) return kNaN;
      double z = (y - mu) / sigma, lp, dz;
      if ((z < 0) != upper) {  // the small tail: 0.5 exp(-|z|)
        lp = -kLog2 - std::fabs(z);
        dz = upper ? -1 : 1;
      } else {                 // 1 - 0.5 exp(-|z|)
        double h = 0.5 * std::exp(-std::fabs(z));
        lp = graph::log1p(-h);
        dz = (upper ? -1 : 1) * h / (1 - h);
      }
      d[0] = dz / sigma;
      d[1] = -dz / sigma;
      d[2] = -dz * z / sigma;
      return lp;
    }
    case Dist::Gamma:
    case Dist::ChiSquare: {
      // gamma: P(alpha, beta y); chi_square(nu): P(nu / 2, y / 2).
      const bool chi = dist == Dist::ChiSquare;
      double a = chi ? x[1] / 2 : x[1], b = chi ? 0.5 : x[2];
      if (!(a > 0) || !(b > 0) || std::isnan(y) || y < 0) return kNaN;
      if (y == 0) return upper ? 0 : -kInf;
      auto log_p = [&](double s) {
        return std::log(upper ? boost::math::gamma_q(s, b * y, Pol()) : boost::math::gamma_p(s, b * y, Pol()));
      };
      double lp = log_p(a);
      // d/dx P(a, x) = x^(a-1) e^-x / Gamma(a), over the tail probability.
      double r = (upper ? -1 : 1) * std::exp((a - 1) * std::log(b * y) - b * y - std::lgamma(a) - lp);
      d[0] = r * b;
      double da = shape_derivative(log_p, a);
      if (chi) {
        d[1] = 0.5 * da;
      } else {
        d[1] = da;
        d[2] = r * y;
      }
      return lp;
    }
    case Dist::InvGamma: {
      double a = x[1], b = x[2];
      if (!(a > 0) || !(b > 0) || std::isnan(y) || y < 0) return kNaN;
      if (y == 0) return upper ? 0 : -kInf;
      // P(Y <= y) = Q(alpha, beta / y).
      auto log_p = [&](double s) {
        return std::log(upper ? boost::math::gamma_p(s, b / y, Pol()) : boost::math::gamma_q(s, b / y, Pol()));
      };
      double lp = log_p(a), u = b / y;
      double r = (upper ? 1 : -1) * std::exp((a - 1) * std::log(u) - u - std::lgamma(a) - lp);  // d lp / du
      d[0] = -r * u / y;
      d[1] = shape_derivative(log_p, a);
      d[2] = r / y;
      return lp;
    }
    case Dist::Beta: {
      double a = x[1], b = x[2];
      if (!(a > 0) || !(b > 0) || !(y >= 0 && y <= 1)) return kNaN;
      if (y == 0) return upper ? 0 : -kInf;
      if (y == 1) return upper ? -kInf : 0;
      auto log_p = [&](double s, double t) {
        return std::log(upper ? boost::math::ibetac(s, t, y, Pol()) : boost::math::ibeta(s, t, y, Pol()));
      };
      double lp = log_p(a, b);
      double lpdf = (a - 1) * std::log(y) + (b - 1) * graph::log1p(-y) - apply(BinaryFn::Lbeta, a, b);
      d[0] = (upper ? -1 : 1) * std::exp(lpdf - lp);
      d[1] = shape_derivative([&](double s) { return log_p(s, b); }, a);
      d[2] = shape_derivative([&](double t) { return log_p(a, t); }, b);
      return lp;
    }
    case Dist::Poisson:
    case Dist::PoissonLog: {
      // poisson_log(alpha) is poisson(exp(alpha)); d/dalpha = lambda d/dlambda.
      const bool log_rate = dist == Dist::PoissonLog;
      double lam = log_rate ? std::exp(x[1]) : x[1];
      if (!(lam >= 0) || std::isinf(lam) || std::isnan(y)) return kNaN;
      if (y < 0) return upper ? 0 : -kInf;
      // P(Y <= y) = Q(y + 1, lambda); d/dlambda = -lambda^y e^-lambda / y!.
      double lp = std::log(upper ? boost::math::gamma_p(y + 1, lam, Pol()) : boost::math::gamma_q(y + 1, lam, Pol()));
      if (lam > 0)
        d[1] = (upper ? 1 : -1) * std::exp(y * std::log(lam) - lam - std::lgamma(y + 1) - lp);
      else
        d[1] = upper ? (y == 0 ? kInf : 0) : (y == 0 ? -1 : 0);
      if (log_rate) d[1] *= lam;
      return lp;
    }
    case Dist::Binomial:
    case Dist::BinomialLogit: {
      // binomial_logit(alpha) is binomial(inv_logit(alpha)); d/dalpha = theta (1 - theta) d/dtheta.
      const bool logit = dist == Dist::BinomialLogit;
      double n = x[1], th = logit ? inv_logit(x[2]) : x[2];
      if (!(th >= 0 && th <= 1) || !(n >= 0) || std::isnan(y)) return kNaN;
      if (y < 0) return upper ? 0 : -kInf;
      if (y >= n) return upper ? -kInf : 0;
      // P(Y <= y) = 1 - I_theta(y + 1, n - y); d/dtheta I_theta = theta^y (1-theta)^(n-y-1) / B.
      double p = upper ? boost::math::ibeta(y + 1, n - y, th, Pol()) : boost::math::ibetac(y + 1, n - y, th, Pol());
      double lp = std::log(p);
      if (th > 0 && th < 1) {
        double ldens = y * std::log(th) + (n - y - 1) * graph::log1p(-th) - apply(BinaryFn::Lbeta, y + 1, n - y);
        d[2] = (upper ? 1 : -1) * std::exp(ldens - lp);
        if (logit) d[2] *= th * (1 - th);
      }
      return lp;
    }
    case Dist::Bernoulli: {
      double th = x[1];
      if (!(th >= 0 && th <= 1) || std::isnan(y)) return kNaN;
      if (y < 0) return upper ? 0 : -kInf;
      if (y >= 1) return upper ? -kInf : 0;
      if (upper) {  // P(Y > 0) = theta
        d[1] = 1 / th;
        return std::log(th);
      }
      d[1] = -1 / (1 - th);
      return graph::log1p(-th);
    }
    case Dist::NegBinomial2: {
      double mu = x[1], phi = x[2];
      if (!(mu > 0) || !(phi > 0) || std::isnan(y)) return kNaN;
      if (y < 0) return upper ? 0 : -kInf;
      // P(Y <= y) = I_p(phi, y + 1) with p = phi / (mu + phi) (Stan's neg_binomial_2_cdf).
      auto log_p = [&](double m, double f) {
        double p = f / (m + f);
        return std::log(upper ? boost::math::ibetac(f, y + 1, p, Pol()) : boost::math::ibeta(f, y + 1, p, Pol()));
      };
      double lp = log_p(mu, phi), p = phi / (mu + phi);
      double ldens = (phi - 1) * std::log(p) + y * std::log(mu / (mu + phi)) - apply(BinaryFn::Lbeta, phi, y + 1);
      double dp = (upper ? -1 : 1) * std::exp(ldens - lp);  // d lp / dp
      d[1] = -dp * phi / ((mu + phi) * (mu + phi));
      d[2] = shape_derivative([&](double f) { return log_p(mu, f); }, phi);
      return lp;
    }
    case Dist::Gumbel: {  // F = exp(-exp(-z))
      double mu = x[1], beta = x[2];
      if (!(beta > 0) || std::isnan(y) || std::isnan(mu)) return kNaN;
      double z = (y - mu) / beta, e = std::exp(-z), lp, dz;
      if (upper) {
        lp = std::log(-std::expm1(-e));      // log(1 - F)
        dz = -e / std::expm1(e);             // -F e / (1 - F) = -e / (exp(e) - 1)
      } else {
        lp = -e;
        dz = e;
      }
      d[0] = dz / beta;
      d[1] = -dz / beta;
      d[2] = -dz * z / beta;
      return lp;
    }
    case Dist::Rayleigh: {  // F = 1 - exp(-t), t = y^2 / (2 sigma^2)
      double sigma = x[1];
      if (!(sigma > 0) || std::isnan(y) || y < 0) return kNaN;
      if (y == 0) return upper ? 0 : -kInf;
      double t = 0.5 * y * y / (sigma * sigma);
      double dt = upper ? -1 : 1 / std::expm1(t);  // d lp / dt
      d[0] = dt * y / (sigma * sigma);
      d[1] = -dt * 2 * t / sigma;
      return upper ? -t : std::log(-std::expm1(-t));
    }
    case Dist::Pareto: {  // F = 1 - exp(L), L = alpha log(ymin / y)
      double ymin = x[1], alpha = x[2];
      if (!(ymin > 0) || !(alpha > 0) || std::isnan(y)) return kNaN;
      if (y <= ymin) return upper ? 0 : -kInf;
      double lr = std::log(ymin / y), L = alpha * lr;
      double dL = upper ? 1 : std::exp(L) / std::expm1(L);  // d lp / dL
      d[0] = -dL * alpha / y;
      d[1] = dL * alpha / ymin;
      d[2] = dL * lr;
      return upper ? L : std::log(-std::expm1(L));
    }
    default: return cdf_more(dist, kind, x, d);
  }
  return kNaN;
}

}  // namespace mcmc::graph

// Log densities, log CDFs and their partial derivatives, one element at a time.
#include "graph/distributions.hpp"

#include <array>
#include <cmath>
#include <limits>
#include <string>

#include "graph/cdfs.hpp"
#include "graph/distributions_more.hpp"
#include "graph/functions.hpp"

namespace mcmc::graph {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kHalfLog2Pi = 0.91893853320467274178;
constexpr double kLogPi = 1.14472988584940017414;
constexpr double kLog2 = 0.69314718055994530942;

// name, arguments (variate first), discrete, has Lcdf / Lccdf.
const std::array<DistInfo, static_cast<int>(Dist::Count)> kInfo = {{
    {"normal", 3, false, true},
    {"std_normal", 1, false, true},
    {"student_t", 4, false, true},
    {"cauchy", 3, false, true},
    {"double_exponential", 3, false, true},
    {"logistic", 3, false, true},
    {"lognormal", 3, false, true},
    {"exponential", 2, false, true},
    {"gamma", 3, false, true},
    {"inv_gamma", 3, false, true},
    {"weibull", 3, false, true},
    {"chi_square", 2, false, true},
    {"beta", 3, false, true},
    {"uniform", 3, false, true},
    {"poisson", 2, true, true},
    {"poisson_log", 2, true, true},
    {"binomial", 3, true, true},
    {"binomial_logit", 3, true, true},
    {"bernoulli", 2, true, true},
    {"bernoulli_logit", 2, true, false},
    {"neg_binomial_2", 3, true, true},
    {"neg_binomial_2_log", 3, true, false},
    {"beta_binomial", 4, true, false},
    {"gumbel", 3, false, true},
    {"rayleigh", 2, false, true},
    {"pareto", 3, false, true},
    {"skew_normal", 4, false, true},
    {"exp_mod_normal", 4, false, true},
    {"frechet", 3, false, true},
    {"pareto_type_2", 4, false, true},
    {"beta_proportion", 3, false, true},
    {"von_mises", 3, false, false},
    {"loglogistic", 3, false, true},
    {"scaled_inv_chi_square", 3, false, true},
    {"inv_chi_square", 2, false, true},
    {"neg_binomial", 3, true, true},
    {"discrete_range", 3, true, true},
    {"hypergeometric", 4, true, false},
}};

// Which arguments a summand involves, as a bit mask (bit j = argument j).
struct Inc {
  unsigned var;
  bool propto;
  bool operator()(unsigned mask) const { return !propto || (var & mask) != 0; }
};

double lpdf(Dist dist, const double* x, double* d, Inc inc) {
  const double y = x[0];
  switch (dist) {
    case Dist::Normal: {
      double mu = x[1], sigma = x[2];
      if (!(sigma > 0) || std::isnan(y) || std::isnan(mu)) return kNaN;
      double z = (y - mu) / sigma;
      double lp = 0;
      if (inc(0)) lp -= kHalfLog2Pi;
      if (inc(4)) lp -= std::log(sigma);
      lp -= 0.5 * z * z;
      d[0] = -z / sigma;
      d[1] = z / sigma;
      d[2] = (z * z - 1) / sigma;
      return lp;
    }
    case Dist::StdNormal: {
      if (std::isnan(y)) return kNaN;
      d[0] = -y;
      return -0.5 * y * y - (inc(0) ? kHalfLog2Pi : 0);
    }
    case Dist::StudentT: {
      double nu = x[1], mu = x[2], sigma = x[3];
      if (!(nu > 0) || !(sigma > 0) || std::isnan(y) || std::isnan(mu)) return kNaN;
      double z = (y - mu) / sigma, r = z * z / nu, t = graph::log1p(r);
      double lp = 0;
      if (inc(2)) lp += std::lgamma((nu + 1) / 2) - std::lgamma(nu / 2) - 0.5 * std::log(nu);
      if (inc(0)) lp -= 0.5 * kLogPi;
      if (inc(8)) lp -= std::log(sigma);
      lp -= (nu + 1) / 2 * t;
      d[0] = -(nu + 1) * z / (sigma * nu * (1 + r));
      d[1] = 0.5 * (digamma((nu + 1) / 2) - digamma(nu / 2)) - 0.5 / nu - 0.5 * t +
             (nu + 1) / 2 * r / (nu * (1 + r));
      d[2] = -d[0];
      d[3] = -1 / sigma + (nu + 1) * r / (sigma * (1 + r));
      return lp;
    }
    case Dist::Cauchy: {
      double mu = x[1], sigma = x[2];
      if (!(sigma > 0) || std::isnan(y) || std::isnan(mu)) return kNaN;
      double z = (y - mu) / sigma;
      double lp = -graph::log1p(z * z);
      if (inc(0)) lp -= kLogPi;
      if (inc(4)) lp -= std::log(sigma);
      d[0] = -2 * z / (sigma * (1 + z * z));
      d[1] = -d[0];
      d[2] = -1 / sigma + 2 * z * z / (sigma * (1 + z * z));
      return lp;
    }
    case Dist::DoubleExponential: {
      double mu = x[1], sigma = x[2];
      if (!(sigma > 0) || std::isnan(y) || std::isnan(mu)) return kNaN;
      double a = std::fabs(y - mu), s = y > mu ? 1 : (y < mu ? -1 : 0);
      double lp = -a / sigma;
      if (inc(0)) lp -= kLog2;
      if (inc(4)) lp -= std::log(sigma);
      d[0] = -s / sigma;
      d[1] = s / sigma;
      d[2] = -1 / sigma + a / (sigma * sigma);
      return lp;
    }
    case Dist::Logistic: {
      double mu = x[1], sigma = x[2];
      if (!(sigma > 0) || std::isnan(y) || std::isnan(mu)) return kNaN;
      double z = (y - mu) / sigma, s = inv_logit(z);
      double lp = -z - 2 * log1p_exp(-z);
      if (inc(4)) lp -= std::log(sigma);
      d[0] = (1 - 2 * s) / sigma;
      d[1] = -d[0];
      d[2] = -1 / sigma - z * (1 - 2 * s) / sigma;
      return lp;
    }
    case Dist::Lognormal: {
      double mu = x[1], sigma = x[2];
      if (!(sigma > 0) || std::isnan(y) || std::isnan(mu) || y < 0) return kNaN;
      if (y == 0) return -kInf;
      double ly = std::log(y), z = (ly - mu) / sigma;
      double lp = -0.5 * z * z;
      if (inc(0)) lp -= kHalfLog2Pi;
      if (inc(4)) lp -= std::log(sigma);
      if (inc(1)) lp -= ly;
      d[0] = -(1 + z / sigma) / y;
      d[1] = z / sigma;
      d[2] = (z * z - 1) / sigma;
      return lp;
    }
    case Dist::Exponential: {
      double beta = x[1];
      if (!(beta > 0) || std::isnan(y) || y < 0) return kNaN;
      double lp = -beta * y;
      if (inc(2)) lp += std::log(beta);
      d[0] = -beta;
      d[1] = 1 / beta - y;
      return lp;
    }
    case Dist::Gamma: {
      double a = x[1], b = x[2];
      if (!(a > 0) || !(b > 0) || std::isnan(y) || y < 0) return kNaN;
      double ly = std::log(y), lp = 0;
      if (inc(2)) lp -= std::lgamma(a);
      if (inc(6)) lp += a * std::log(b);
      if (inc(3)) lp += (a - 1) * ly;
      if (inc(5)) lp -= b * y;
      d[0] = (a - 1) / y - b;
      d[1] = -digamma(a) + std::log(b) + ly;
      d[2] = a / b - y;
      return lp;
    }
    case Dist::InvGamma: {
      double a = x[1], b = x[2];
      if (!(a > 0) || !(b > 0) || std::isnan(y) || y < 0) return kNaN;
      if (y == 0) return -kInf;
      double ly = std::log(y), lp = 0;
      if (inc(2)) lp -= std::lgamma(a);
      if (inc(6)) lp += a * std::log(b);
      if (inc(3)) lp -= (a + 1) * ly;
      if (inc(5)) lp -= b / y;
      d[0] = -(a + 1) / y + b / (y * y);
      d[1] = -digamma(a) + std::log(b) - ly;
      d[2] = a / b - 1 / y;
      return lp;
    }
    case Dist::Weibull: {
      double a = x[1], s = x[2];
      if (!(a > 0) || !(s > 0) || std::isnan(y) || y < 0) return kNaN;
      double ly = std::log(y), ls = std::log(s), pw = std::pow(y / s, a), lp = -pw;
      if (inc(2)) lp += std::log(a);
      if (inc(3)) lp += (a - 1) * ly;
      if (inc(6)) lp -= a * ls;
      d[0] = (a - 1) / y - a / y * pw;
      d[1] = 1 / a + ly - ls - pw * (ly - ls);
      d[2] = -a / s + a / s * pw;
      return lp;
    }
    case Dist::ChiSquare: {
      double nu = x[1];
      if (!(nu > 0) || std::isnan(y) || y < 0) return kNaN;
      double ly = std::log(y), lp = 0;
      if (inc(2)) lp -= nu / 2 * kLog2 + std::lgamma(nu / 2);
      if (inc(3)) lp += (nu / 2 - 1) * ly;
      if (inc(1)) lp -= y / 2;
      d[0] = (nu / 2 - 1) / y - 0.5;
      d[1] = -0.5 * kLog2 - 0.5 * digamma(nu / 2) + 0.5 * ly;
      return lp;
    }
    case Dist::Beta: {
      double a = x[1], b = x[2];
      if (!(a > 0) || !(b > 0) || !(y >= 0 && y <= 1)) return kNaN;
      double ly = std::log(y), l1y = graph::log1p(-y), lp = 0;
      if (inc(6)) lp += std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b);
      if (inc(3)) lp += (a - 1) * ly;
      if (inc(5)) lp += (b - 1) * l1y;
      double dab = digamma(a + b);
      d[0] = (a - 1) / y - (b - 1) / (1 - y);
      d[1] = dab - digamma(a) + ly;
      d[2] = dab - digamma(b) + l1y;
      return lp;
    }
    case Dist::Uniform: {
      double a = x[1], b = x[2];
      if (!(b > a) || std::isnan(y)) return kNaN;
      d[0] = 0;
      d[1] = 1 / (b - a);
      d[2] = -1 / (b - a);
      if (y < a || y > b) return -kInf;
      return inc(6) ? -std::log(b - a) : 0;
    }
    case Dist::Poisson: {
      double lam = x[1];
      if (!(lam >= 0) || std::isinf(lam) || y < 0) return kNaN;
      double lp = 0;
      if (inc(0)) lp -= std::lgamma(y + 1);
      if (lam == 0) {
        d[1] = -1 + (y == 0 ? 0 : kInf);
        return y == 0 ? lp : -kInf;
      }
      lp += y * std::log(lam) - lam;
      d[0] = 0;
      d[1] = y / lam - 1;
      return lp;
    }
    case Dist::PoissonLog: {
      double a = x[1];
      if (std::isnan(a) || y < 0) return kNaN;
      double ea = std::exp(a), lp = 0;
      if (inc(0)) lp -= std::lgamma(y + 1);
      if (a == -kInf) return y == 0 ? lp : -kInf;
      lp += y * a - ea;
      d[1] = y - ea;
      return lp;
    }
    case Dist::Binomial: {
      double n = x[1], th = x[2];
      if (!(th >= 0 && th <= 1) || y < 0 || y > n) return kNaN;
      double lp = 0;
      if (inc(0)) lp += std::lgamma(n + 1) - std::lgamma(y + 1) - std::lgamma(n - y + 1);
      if (y > 0) lp += y * std::log(th);
      if (n - y > 0) lp += (n - y) * graph::log1p(-th);
      d[2] = (y > 0 ? y / th : 0) - (n - y > 0 ? (n - y) / (1 - th) : 0);
      return lp;
    }
    case Dist::BinomialLogit: {
      double n = x[1], a = x[2];
      if (std::isnan(a) || y < 0 || y > n) return kNaN;
      double lp = 0;
      if (inc(0)) lp += std::lgamma(n + 1) - std::lgamma(y + 1) - std::lgamma(n - y + 1);
      lp += y * log_inv_logit(a) + (n - y) * log1m_inv_logit(a);
      d[2] = y - n * inv_logit(a);
      return lp;
    }
    case Dist::Bernoulli: {
      double th = x[1];
      if (!(th >= 0 && th <= 1) || (y != 0 && y != 1)) return kNaN;
      d[1] = y == 1 ? 1 / th : -1 / (1 - th);
      return y == 1 ? std::log(th) : graph::log1p(-th);
    }
    case Dist::BernoulliLogit: {
      double a = x[1];
      if (std::isnan(a) || (y != 0 && y != 1)) return kNaN;
      d[1] = y - inv_logit(a);
      return y == 1 ? log_inv_logit(a) : log1m_inv_logit(a);
    }
    case Dist::NegBinomial2: {
      double mu = x[1], phi = x[2];
      if (!(mu > 0) || !(phi > 0) || y < 0) return kNaN;
      double lp = 0;
      if (inc(0)) lp -= std::lgamma(y + 1);
      if (inc(4)) lp += std::lgamma(y + phi) - std::lgamma(phi);
      if (inc(2)) lp += y * std::log(mu);
      lp += -phi * graph::log1p(mu / phi) - y * std::log(mu + phi);
      d[1] = y / mu - (y + phi) / (mu + phi);
      d[2] = digamma(y + phi) - digamma(phi) + std::log(phi) + 1 - std::log(mu + phi) -
             (y + phi) / (mu + phi);
      return lp;
    }
    case Dist::NegBinomial2Log: {
      double eta = x[1], phi = x[2];
      if (std::isnan(eta) || !(phi > 0) || y < 0) return kNaN;
      double lp = 0;
      if (inc(0)) lp -= std::lgamma(y + 1);
      if (inc(4)) lp += std::lgamma(y + phi) - std::lgamma(phi);
      double lmp = log_sum_exp(eta, std::log(phi));  // log(exp(eta) + phi)
      if (inc(2)) lp += y * eta;
      lp += phi * std::log(phi) - (y + phi) * lmp;
      double w = std::exp(eta - lmp);  // exp(eta) / (exp(eta) + phi)
      double v = std::exp(std::log(phi) - lmp);
      d[1] = y - (y + phi) * w;
      d[2] = digamma(y + phi) - digamma(phi) + std::log(phi) + 1 - lmp - (y + phi) / phi * v;
      return lp;
    }
    case Dist::BetaBinomial: {
      double n = x[1], a = x[2], b = x[3];
      if (!(a > 0) || !(b > 0) || y < 0 || y > n) return kNaN;
      double lp = 0;
      if (inc(0)) lp += std::lgamma(n + 1) - std::lgamma(y + 1) - std::lgamma(n - y + 1);
      lp += apply(BinaryFn::Lbeta, y + a, n - y + b) - apply(BinaryFn::Lbeta, a, b);
      double dn = digamma(n + a + b), dab = digamma(a + b);
      d[2] = digamma(y + a) - dn - digamma(a) + dab;
      d[3] = digamma(n - y + b) - dn - digamma(b) + dab;
      return lp;
    }
    case Dist::Gumbel: {
      double mu = x[1], beta = x[2];
      if (!(beta > 0) || std::isnan(y) || std::isnan(mu)) return kNaN;
      double z = (y - mu) / beta, e = std::exp(-z);
      double lp = -z - e;
      if (inc(4)) lp -= std::log(beta);
      d[0] = (e - 1) / beta;
      d[1] = -d[0];
      d[2] = (z - 1 - z * e) / beta;
      return lp;
    }
    case Dist::Rayleigh: {
      double sigma = x[1];
      if (!(sigma > 0) || std::isnan(y) || y < 0) return kNaN;
      if (y == 0) return -kInf;
      double lp = -0.5 * y * y / (sigma * sigma);
      if (inc(1)) lp += std::log(y);
      if (inc(2)) lp -= 2 * std::log(sigma);
      d[0] = 1 / y - y / (sigma * sigma);
      d[1] = -2 / sigma + y * y / (sigma * sigma * sigma);
      return lp;
    }
    case Dist::Pareto: {
      double ymin = x[1], alpha = x[2];
      if (!(ymin > 0) || !(alpha > 0) || std::isnan(y)) return kNaN;
      if (y < ymin) return -kInf;
      double ly = std::log(y), lm = std::log(ymin), lp = 0;
      if (inc(4)) lp += std::log(alpha);
      if (inc(6)) lp += alpha * lm;
      if (inc(5)) lp -= (alpha + 1) * ly;
      d[0] = -(alpha + 1) / y;
      d[1] = alpha / ymin;
      d[2] = 1 / alpha + lm - ly;
      return lp;
    }
    case Dist::Count: break;
    default: return lpdf_more(dist, x, d, inc.var, inc.propto);
  }
  return kNaN;
}

}  // namespace

const DistInfo& dist_info(Dist d) { return kInfo[static_cast<int>(d)]; }

bool dist_by_name(std::string_view name, Dist& out) {
  for (int i = 0; i < static_cast<int>(Dist::Count); ++i)
    if (name == kInfo[i].name) {
      out = static_cast<Dist>(i);
      return true;
    }
  return false;
}

bool has_cdf(Dist d) { return dist_info(d).cdf; }

double dist_term(Dist dist, DistKind kind, const double* x, double* d, unsigned var, bool propto) {
  int n = dist_info(dist).num_args;
  for (int j = 0; j < n; ++j) d[j] = 0;
  if (kind == DistKind::Lpdf) return lpdf(dist, x, d, Inc{var, propto});
  return cdf_term(dist, kind, x, d);
}

}  // namespace mcmc::graph

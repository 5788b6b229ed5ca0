// Log densities and log cdfs, with partials, of skew_normal, exp_mod_normal, frechet, pareto_type_2, beta_proportion, von_mises, loglogistic, (scaled_)inv_chi_square, neg_binomial, discrete_range and hypergeometric.
#include "graph/distributions_more.hpp"

#include <cmath>
#include <limits>
#include <numbers>

#include <boost/math/special_functions/bessel.hpp>
#include <boost/math/special_functions/owens_t.hpp>

#include "graph/boost_math.hpp"
#include "graph/functions.hpp"

namespace mcmc::graph {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kHalfLog2Pi = 0.91893853320467274178;
constexpr double kLog2 = 0.69314718055994530942;
constexpr double kPi = std::numbers::pi;
const double kSqrt2 = std::sqrt(2.0);

// log(erfc(u)) and its derivative; an asymptotic series where erfc underflows.
double log_erfc(double u, double& du) {
  if (u < 25) {
    double e = std::erfc(u);
    du = -2 / std::sqrt(kPi) * std::exp(-u * u) / e;
    return std::log(e);
  }
  double u2 = u * u;
  double lp = -u2 - std::log(u * std::sqrt(kPi)) + graph::log1p(-1 / (2 * u2) + 3 / (4 * u2 * u2));
  du = -2 / std::sqrt(kPi) * std::exp(-u2 - lp);
  return lp;
}

// Standard normal cdf and density.
double Phi(double z) { return 0.5 * std::erfc(-z / kSqrt2); }
double phi(double z) { return std::exp(-0.5 * z * z - kHalfLog2Pi); }

// log(I0(k)) and I1(k) / I0(k), for k >= 0 (the asymptotic expansion where I0 would overflow).
double log_bessel_i0(double k, double& ratio) {
  if (k < 500) {
    double i0 = boost::math::cyl_bessel_i(0, k, BoostPolicy()), i1 = boost::math::cyl_bessel_i(1, k, BoostPolicy());
    ratio = i1 / i0;
    return std::log(i0);
  }
  double r = 1 / k;
  ratio = 1 - r / 2 - r * r / 8 - r * r * r / 8;
  return k - 0.5 * std::log(2 * kPi * k) + graph::log1p(r / 8 + 9 * r * r / 128 + 225 * r * r * r / 3072);
}

// A log ccdf L (partials dL, n arguments) turned into the log cdf log(1 - exp(L)), or back.
double complement(double L, double* d, int n) {
  double f = -1 / std::expm1(-L);  // d log(1 - e^L) / dL
  for (int j = 0; j < n; ++j) d[j] *= f;
  return std::log(-std::expm1(L));
}

}  // namespace

double lpdf_more(Dist dist, const double* x, double* d, unsigned var, bool propto) {
  auto inc = [&](unsigned mask) { return !propto || (var & mask) != 0; };
  const double y = x[0];
  switch (dist) {
    case Dist::SkewNormal: {  // 2 phi(z) Phi(alpha z) / omega
      double xi = x[1], omega = x[2], alpha = x[3];
      if (!(omega > 0) || std::isnan(y) || std::isnan(xi) || std::isnan(alpha)) return kNaN;
      double z = (y - xi) / omega, dl;
      double lp = -0.5 * z * z + log_erfc(-alpha * z / kSqrt2, dl);
      if (inc(0)) lp -= kHalfLog2Pi;
      if (inc(4)) lp -= std::log(omega);
      double dz = -z - dl * alpha / kSqrt2;
      d[0] = dz / omega;
      d[1] = -d[0];
      d[2] = -1 / omega - dz * z / omega;
      d[3] = -dl * z / kSqrt2;
      return lp;
    }
    case Dist::ExpModNormal: {  // normal(mu, sigma) + exponential(lambda)
      double mu = x[1], sigma = x[2], lambda = x[3];
      if (!(sigma > 0) || !(lambda > 0) || std::isnan(y) || std::isnan(mu)) return kNaN;
      double s2 = sigma * sigma, v = (mu + lambda * s2 - y) / (sigma * kSqrt2), dl;
      double lp = lambda * (mu + 0.5 * lambda * s2 - y) + log_erfc(v, dl);
      if (inc(0)) lp -= kLog2;
      if (inc(8)) lp += std::log(lambda);
      d[0] = -lambda - dl / (sigma * kSqrt2);
      d[1] = lambda + dl / (sigma * kSqrt2);
      d[2] = lambda * lambda * sigma + dl * ((y - mu) / (s2 * kSqrt2) + lambda / kSqrt2);
      d[3] = 1 / lambda + (mu + lambda * s2 - y) + dl * sigma / kSqrt2;
      return lp;
    }
    case Dist::Frechet: {
      double alpha = x[1], sigma = x[2];
      if (!(alpha > 0) || !(sigma > 0) || std::isnan(y)) return kNaN;
      if (!(y > 0)) return -kInf;
      double ly = std::log(y), ls = std::log(sigma), w = std::exp(-alpha * (ly - ls));  // (y / sigma)^-alpha
      double lp = -w;
      if (inc(2)) lp += std::log(alpha);
      if (inc(6)) lp += alpha * ls;
      if (inc(3)) lp -= (1 + alpha) * ly;
      d[0] = (alpha * w - 1 - alpha) / y;
      d[1] = 1 / alpha + (ls - ly) * (1 - w);
      d[2] = alpha * (1 - w) / sigma;
      return lp;
    }
    case Dist::ParetoType2: {
      double mu = x[1], lambda = x[2], alpha = x[3];
      if (!(lambda > 0) || !(alpha > 0) || std::isnan(y) || std::isnan(mu)) return kNaN;
      if (y < mu) return -kInf;
      double u = (y - mu) / lambda, l1 = graph::log1p(u);
      double lp = -(alpha + 1) * l1;
      if (inc(8)) lp += std::log(alpha);
      if (inc(4)) lp -= std::log(lambda);
      d[0] = -(alpha + 1) / (lambda * (1 + u));
      d[1] = -d[0];
      d[2] = -1 / lambda + (alpha + 1) * u / (lambda * (1 + u));
      d[3] = 1 / alpha - l1;
      return lp;
    }
    case Dist::BetaProportion: {  // beta(mu kappa, (1 - mu) kappa)
      double mu = x[1], kappa = x[2];
      if (!(mu > 0 && mu < 1) || !(kappa > 0)) return kNaN;
      double xb[3] = {y, mu * kappa, (1 - mu) * kappa}, db[3] = {};
      double lp = dist_term(Dist::Beta, DistKind::Lpdf, xb, db, (var & 1) | ((var & 6) ? 6u : 0u), propto);
      d[0] = db[0];
      d[1] = kappa * (db[1] - db[2]);
      d[2] = mu * db[1] + (1 - mu) * db[2];
      return lp;
    }
    case Dist::VonMises: {
      double mu = x[1], kappa = x[2];
      if (!(kappa >= 0) || !std::isfinite(kappa) || !std::isfinite(y) || !std::isfinite(mu)) return kNaN;
      double c = std::cos(y - mu), s = std::sin(y - mu), ratio;
      double li0 = log_bessel_i0(kappa, ratio);
      double lp = kappa * c;
      if (inc(0)) lp -= std::log(2 * kPi);
      if (inc(4)) lp -= li0;
      d[0] = -kappa * s;
      d[1] = kappa * s;
      d[2] = c - ratio;
      return lp;
    }
    case Dist::Loglogistic: {  // alpha: scale, beta: shape
      double alpha = x[1], beta = x[2];
      if (!(alpha > 0) || !(beta > 0) || std::isnan(y)) return kNaN;
      if (!(y > 0)) return -kInf;
      double r = std::log(y) - std::log(alpha), w = std::exp(beta * r);  // (y / alpha)^beta
      double lp = (beta - 1) * r - 2 * graph::log1p(w);
      if (inc(4)) lp += std::log(beta);
      if (inc(2)) lp -= std::log(alpha);
      double q = w / (1 + w);
      d[0] = ((beta - 1) - 2 * beta * q) / y;
      d[1] = (-beta + 2 * beta * q) / alpha;
      d[2] = 1 / beta + r - 2 * r * q;
      return lp;
    }
    case Dist::ScaledInvChiSquare: {  // inv_gamma(nu / 2, nu s^2 / 2)
      double nu = x[1], s = x[2];
      if (!(nu > 0) || !(s > 0)) return kNaN;
      double xg[3] = {y, nu / 2, nu * s * s / 2}, dg[3] = {};
      unsigned vg = (var & 1) | ((var & 2) ? 6u : 0u) | ((var & 4) ? 4u : 0u);
      double lp = dist_term(Dist::InvGamma, DistKind::Lpdf, xg, dg, vg, propto);
      d[0] = dg[0];
      d[1] = 0.5 * dg[1] + 0.5 * s * s * dg[2];
      d[2] = nu * s * dg[2];
      return lp;
    }
    case Dist::InvChiSquare: {  // inv_gamma(nu / 2, 1 / 2)
      double nu = x[1];
      if (!(nu > 0)) return kNaN;
      double xg[3] = {y, nu / 2, 0.5}, dg[3] = {};
      double lp = dist_term(Dist::InvGamma, DistKind::Lpdf, xg, dg, (var & 1) | ((var & 2) ? 2u : 0u), propto);
      d[0] = dg[0];
      d[1] = 0.5 * dg[1];
      return lp;
    }
    case Dist::NegBinomial: {  // neg_binomial_2(alpha / beta, alpha)
      double alpha = x[1], beta = x[2];
      if (!(alpha > 0) || !(beta > 0)) return kNaN;
      double xn[3] = {y, alpha / beta, alpha}, dn[3] = {};
      unsigned vn = (var & 1) | ((var & 6) ? 2u : 0u) | ((var & 2) ? 4u : 0u);
      double lp = dist_term(Dist::NegBinomial2, DistKind::Lpdf, xn, dn, vn, propto);
      d[1] = dn[1] / beta + dn[2];
      d[2] = -alpha / (beta * beta) * dn[1];
      return lp;
    }
    case Dist::DiscreteRange: {
      double lo = x[1], hi = x[2];
      if (!(lo <= hi)) return kNaN;
      if (y < lo || y > hi) return -kInf;
      return inc(7) ? -std::log(hi - lo + 1) : 0.0;
    }
    case Dist::Hypergeometric: {  // n successes in N draws from a successes and b failures
      double N = x[1], a = x[2], b = x[3];
      if (!(N >= 0 && a >= 0 && b >= 0 && N <= a + b)) return kNaN;
      if (y < std::max(0.0, N - b) || y > std::min(a, N)) return -kInf;
      return apply(BinaryFn::Lchoose, a, y) + apply(BinaryFn::Lchoose, b, N - y) - apply(BinaryFn::Lchoose, a + b, N);
    }
    default: break;
  }
  return kNaN;
}

double cdf_more(Dist dist, DistKind kind, const double* x, double* d) {
  const double y = x[0];
  const bool upper = kind == DistKind::Lccdf;
  const double sgn = upper ? -1 : 1;
  switch (dist) {
    case Dist::SkewNormal: {  // F = Phi(z) - 2 T(z, alpha)
      double xi = x[1], omega = x[2], alpha = x[3];
      if (!(omega > 0) || std::isnan(y) || std::isnan(xi) || std::isnan(alpha)) return kNaN;
      double z = (y - xi) / omega;
      double F = Phi(z) - 2 * boost::math::owens_t(z, alpha, BoostPolicy());
      double P = upper ? 1 - F : F;
      if (!(P > 0)) return -kInf;
      double dens = 2 * phi(z) * Phi(alpha * z);  // density of z
      double dlz = sgn * dens / P;
      d[0] = dlz / omega;
      d[1] = -d[0];
      d[2] = -dlz * z / omega;
      d[3] = sgn * -std::exp(-0.5 * z * z * (1 + alpha * alpha)) / (kPi * (1 + alpha * alpha)) / P;
      return std::log(P);
    }
    case Dist::ExpModNormal: {  // F = Phi(z) - exp(E) Phi(z - lambda sigma)
      double mu = x[1], sigma = x[2], lambda = x[3];
      if (!(sigma > 0) || !(lambda > 0) || std::isnan(y) || std::isnan(mu)) return kNaN;
      double z = (y - mu) / sigma, w = z - lambda * sigma;
      double E = -lambda * (y - mu) + 0.5 * lambda * lambda * sigma * sigma;
      double pw = Phi(w);
      double G = pw > 0 ? std::exp(E + std::log(pw)) : 0.0, r = pw > 0 ? phi(w) / pw : 0.0;
      double F = Phi(z) - G, P = upper ? 1 - F : F;
      if (!(P > 0)) return upper ? -kInf : -kInf;
      double pz = phi(z);
      // dF = phi(z) dz - G (dE + r dw), per argument y, mu, sigma, lambda
      double dF[4] = {pz / sigma - G * (-lambda + r / sigma), -pz / sigma - G * (lambda - r / sigma),
                      -pz * z / sigma - G * (lambda * lambda * sigma + r * (-z / sigma - lambda)),
                      -G * (-(y - mu) + lambda * sigma * sigma - r * sigma)};
      for (int j = 0; j < 4; ++j) d[j] = sgn * dF[j] / P;
      return std::log(P);
    }
    case Dist::Frechet: {  // F = exp(-w), w = (y / sigma)^-alpha
      double alpha = x[1], sigma = x[2];
      if (!(alpha > 0) || !(sigma > 0) || std::isnan(y)) return kNaN;
      if (!(y > 0)) return upper ? 0.0 : -kInf;
      double r = std::log(y) - std::log(sigma), w = std::exp(-alpha * r);
      double dw[3] = {-alpha * w / y, -w * r, alpha * w / sigma};
      if (!upper) {
        for (int j = 0; j < 3; ++j) d[j] = -dw[j];
        return -w;
      }
      for (int j = 0; j < 3; ++j) d[j] = dw[j] / std::expm1(w);
      return std::log(-std::expm1(-w));
    }
    case Dist::ParetoType2: {  // 1 - F = (1 + (y - mu) / lambda)^-alpha
      double mu = x[1], lambda = x[2], alpha = x[3];
      if (!(lambda > 0) || !(alpha > 0) || std::isnan(y) || std::isnan(mu)) return kNaN;
      if (y < mu) return upper ? 0.0 : -kInf;
      double u = (y - mu) / lambda, l1 = graph::log1p(u), L = -alpha * l1;
      d[0] = -alpha / (lambda * (1 + u));
      d[1] = -d[0];
      d[2] = alpha * u / (lambda * (1 + u));
      d[3] = -l1;
      return upper ? L : complement(L, d, 4);
    }
    case Dist::BetaProportion: {
      double mu = x[1], kappa = x[2];
      if (!(mu > 0 && mu < 1) || !(kappa > 0)) return kNaN;
      double xb[3] = {y, mu * kappa, (1 - mu) * kappa}, db[3] = {};
      double lp = dist_term(Dist::Beta, kind, xb, db, 7, false);
      d[0] = db[0];
      d[1] = kappa * (db[1] - db[2]);
      d[2] = mu * db[1] + (1 - mu) * db[2];
      return lp;
    }
    case Dist::Loglogistic: {  // F = w / (1 + w), w = (y / alpha)^beta
      double alpha = x[1], beta = x[2];
      if (!(alpha > 0) || !(beta > 0) || std::isnan(y)) return kNaN;
      if (!(y > 0)) return upper ? 0.0 : -kInf;
      double r = std::log(y) - std::log(alpha), w = std::exp(beta * r), l1 = graph::log1p(w);
      double dlw[3] = {beta / y, -beta / alpha, r};  // d log w
      double f = upper ? -w / (1 + w) : 1 / (1 + w);
      for (int j = 0; j < 3; ++j) d[j] = f * dlw[j];
      return upper ? -l1 : beta * r - l1;
    }
    case Dist::ScaledInvChiSquare: {
      double nu = x[1], s = x[2];
      if (!(nu > 0) || !(s > 0)) return kNaN;
      double xg[3] = {y, nu / 2, nu * s * s / 2}, dg[3] = {};
      double lp = dist_term(Dist::InvGamma, kind, xg, dg, 7, false);
      d[0] = dg[0];
      d[1] = 0.5 * dg[1] + 0.5 * s * s * dg[2];
      d[2] = nu * s * dg[2];
      return lp;
    }
    case Dist::InvChiSquare: {
      double nu = x[1];
      if (!(nu > 0)) return kNaN;
      double xg[3] = {y, nu / 2, 0.5}, dg[3] = {};
      double lp = dist_term(Dist::InvGamma, kind, xg, dg, 3, false);
      d[0] = dg[0];
      d[1] = 0.5 * dg[1];
      return lp;
    }
    case Dist::NegBinomial: {
      double alpha = x[1], beta = x[2];
      if (!(alpha > 0) || !(beta > 0)) return kNaN;
      double xn[3] = {y, alpha / beta, alpha}, dn[3] = {};
      double lp = dist_term(Dist::NegBinomial2, kind, xn, dn, 7, false);
      d[1] = dn[1] / beta + dn[2];
      d[2] = -alpha / (beta * beta) * dn[1];
      return lp;
    }
    case Dist::DiscreteRange: {
      double lo = x[1], hi = x[2];
      if (!(lo <= hi)) return kNaN;
      double k = std::floor(y), n = hi - lo + 1;
      if (upper) return k < lo ? 0.0 : (k >= hi ? -kInf : std::log((hi - k) / n));
      return k < lo ? -kInf : (k >= hi ? 0.0 : std::log((k - lo + 1) / n));
    }
    default: break;
  }
  return kNaN;
}

}  // namespace mcmc::graph

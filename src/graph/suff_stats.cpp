// Sufficient statistics of iid likelihoods and their log densities, summed in twice working precision.
#include "graph/suff_stats.hpp"

#include <cmath>
#include <limits>

#include "graph/functions.hpp"

namespace mcmc::graph {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// s + e = a + b exactly (Knuth); e = 0 when s is not finite.
inline void two_sum(double a, double b, double& s, double& e) {
  s = a + b;
  if (!std::isfinite(s)) {
    e = 0;
    return;
  }
  double bb = s - a;
  e = (a - (s - bb)) + (b - bb);
}

// p + e = a * b exactly (Dekker); e = 0 when p is not finite or the split could overflow.
inline void two_prod(double a, double b, double& p, double& e) {
  p = a * b;
  e = 0;
  if (!std::isfinite(p) || !(std::fabs(a) < 1e300) || !(std::fabs(b) < 1e300)) return;
#ifdef FP_FAST_FMA
  e = std::fma(a, b, -p);
#else
  constexpr double kSplit = 134217729.0;  // 2^27 + 1
  double ca = kSplit * a, ah = ca - (ca - a), al = a - ah;
  double cb = kSplit * b, bh = cb - (cb - b), bl = b - bh;
  e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
#endif
}

// A sum carried as hi + lo: as accurate as summing in twice the working precision, so that the
// large terms of a density with its constants (which cancel) lose nothing to rounding.
struct Acc {
  double hi = 0, lo = 0;
  void add(double x) {
    double s, e;
    two_sum(hi, x, s, e);
    hi = s;
    lo += e;
  }
  void add_prod(double a, double b) {
    double p, e;
    two_prod(a, b, p, e);
    add(p);
    lo += e;
  }
  // a * (bh + bl) for a double-double bh + bl.
  void add_prod2(double a, double bh, double bl) {
    add_prod(a, bh);
    lo += a * bl;
  }
  double value() const { return std::isfinite(hi) ? hi + lo : hi; }
};

bool is_int(double v) { return std::isfinite(v) && v == std::floor(v); }

}  // namespace

int suff_first_param(Dist d) {
  switch (d) {
    case Dist::Poisson: case Dist::PoissonLog: case Dist::Bernoulli: case Dist::BernoulliLogit:
    case Dist::Exponential: case Dist::Gamma:
      return 1;
    case Dist::Binomial: case Dist::BinomialLogit:
      return 2;
    default:
      return 0;
  }
}

// Layouts of `stats` (hi/lo: a double-double):
//   poisson, poisson_log:        n, sum y, sum lgamma(y + 1) hi/lo
//   bernoulli, bernoulli_logit:  n, sum y
//   binomial, binomial_logit:    sum y, sum (N - y), sum log-choose hi/lo, #(y == 0), #(y == N)
//   exponential:                 n, sum y hi/lo
//   gamma:                       n, sum y hi/lo, sum log y hi/lo
bool suff_stats(Dist d, std::span<const double> y, std::span<const double> trials,
                std::vector<double>& stats) {
  const double n = static_cast<double>(y.size());
  stats.clear();
  switch (d) {
    case Dist::Poisson:
    case Dist::PoissonLog: {
      Acc s, c;
      for (double v : y) {
        if (!is_int(v) || v < 0) return false;
        s.add(v);
        c.add(std::lgamma(v + 1));
      }
      if (s.lo != 0) return false;  // sums of integers beyond 2^53
      stats = {n, s.hi, c.hi, c.lo};
      return true;
    }
    case Dist::Bernoulli:
    case Dist::BernoulliLogit: {
      double s = 0;
      for (double v : y) {
        if (v != 0 && v != 1) return false;
        s += v;
      }
      stats = {n, s};
      return true;
    }
    case Dist::Binomial:
    case Dist::BinomialLogit: {
      if (trials.size() != 1 && trials.size() != y.size()) return false;
      Acc s, f, c;
      double z0 = 0, zn = 0;
      for (std::size_t i = 0; i < y.size(); ++i) {
        double v = y[i], t = trials.size() == 1 ? trials[0] : trials[i];
        if (!is_int(v) || !is_int(t) || v < 0 || v > t) return false;
        s.add(v);
        f.add(t - v);
        // As the elementwise term computes it.
        c.add(std::lgamma(t + 1) - std::lgamma(v + 1) - std::lgamma(t - v + 1));
        z0 += v == 0;
        zn += t - v == 0;
      }
      if (s.lo != 0 || f.lo != 0) return false;
      stats = {s.hi, f.hi, c.hi, c.lo, z0, zn};
      return true;
    }
    case Dist::Exponential: {
      Acc s;
      for (double v : y) {
        if (!std::isfinite(v) || v < 0) return false;
        s.add(v);
      }
      stats = {n, s.hi, s.lo};
      return true;
    }
    case Dist::Gamma: {
      Acc s, l;
      for (double v : y) {
        if (!std::isfinite(v) || !(v > 0)) return false;  // y = 0: left to the elementwise path
        s.add(v);
        l.add(std::log(v));
      }
      stats = {n, s.hi, s.lo, l.hi, l.lo};
      return true;
    }
    default:
      return false;
  }
}

// normal(y | a + b * x, sigma): with the least-squares slope bh = Sxy / Sxx, every residual is
//   y_i - a - b x_i = e_i + d u_i + c,  u_i = x_i - xm, e_i = (y_i - ym) - bh u_i,
//   d = bh - b, c = ym - a - b xm,
// so the sum of squares is E + d^2 U + n c^2 + 2 d Seu + 2 c Se + 2 d c Su with the statistics
// below. E is the residual sum of squares computed elementwise, so a close fit (E much smaller
// than the spread of y) loses nothing to cancellation; Se, Su, Seu are zero but for rounding and
// are kept so that the identity holds for the rounded means and slope.
// Layout: n, xm, ym, bh, E, U, Seu, Se, Su.
bool normal_linear_stats(std::span<const double> y, std::span<const double> x, std::vector<double>& stats) {
  const std::size_t m = y.size();
  if (x.size() != m || m < 2) return false;
  Acc sy, sx;
  for (std::size_t i = 0; i < m; ++i) {
    if (!std::isfinite(y[i]) || !std::isfinite(x[i])) return false;
    sy.add(y[i]);
    sx.add(x[i]);
  }
  const double n = static_cast<double>(m), ym = sy.value() / n, xm = sx.value() / n;
  Acc sxx, sxy;
  for (std::size_t i = 0; i < m; ++i) {
    double u = x[i] - xm;
    sxx.add_prod(u, u);
    sxy.add_prod(u, y[i] - ym);
  }
  if (!(sxx.value() > 0) || !std::isfinite(sxx.value())) return false;
  const double bh = sxy.value() / sxx.value();
  Acc e2, u2, eu, se, su;
  for (std::size_t i = 0; i < m; ++i) {
    double u = x[i] - xm, e = (y[i] - ym) - bh * u;
    e2.add_prod(e, e);
    u2.add_prod(u, u);
    eu.add_prod(e, u);
    se.add(e);
    su.add(u);
  }
  stats = {n, xm, ym, bh, e2.value(), u2.value(), eu.value(), se.value(), su.value()};
  return true;
}

double suff_lpdf(Dist d, const double* st, const double* x, double* dx, unsigned var, bool propto) {
  auto inc = [&](unsigned mask) { return !propto || (var & mask) != 0; };
  Acc acc;
  switch (d) {
    case Dist::Normal: {  // the linear form
      double a = x[0], b = x[1], sigma = x[2];
      const double n = st[0], xm = st[1], ym = st[2], bh = st[3], E = st[4], U = st[5], Seu = st[6],
                   Se = st[7], Su = st[8];
      dx[0] = dx[1] = dx[2] = 0;
      if (!(sigma > 0) || std::isnan(a) || std::isnan(b)) return kNaN;
      double c = (ym - a) - b * xm, dd = bh - b;
      double gc = n * c + Se + dd * Su;    // half the derivative of the sum of squares in c
      double gd = dd * U + Seu + c * Su;   // and in d
      Acc ss;
      ss.add(E);
      ss.add_prod(dd * dd, U);
      ss.add_prod(n * c, c);
      ss.add_prod(2 * dd, Seu);
      ss.add_prod(2 * c, Se);
      ss.add_prod(2 * dd * c, Su);
      double sum_sq = ss.value(), s2 = sigma * sigma;
      double lp = -0.5 * sum_sq / s2;
      if (inc(4)) lp -= n * std::log(sigma);
      if (inc(0)) lp -= n * 0.91893853320467274178;
      dx[0] = gc / s2;
      dx[1] = (xm * gc + gd) / s2;
      dx[2] = -n / sigma + sum_sq / (s2 * sigma);
      return lp;
    }
    case Dist::Poisson: {
      double lam = x[0], n = st[0], s = st[1];
      dx[0] = 0;
      if (!(lam >= 0) || std::isinf(lam)) return kNaN;
      if (inc(0)) acc.add_prod2(-1.0, st[2], st[3]);
      if (lam == 0) {
        dx[0] = s > 0 ? kInf : -n;
        return s > 0 ? -kInf : acc.value();
      }
      acc.add_prod(s, std::log(lam));
      acc.add_prod(-n, lam);
      dx[0] = s / lam - n;
      return acc.value();
    }
    case Dist::PoissonLog: {
      double a = x[0], n = st[0], s = st[1];
      dx[0] = 0;
      if (std::isnan(a)) return kNaN;
      if (inc(0)) acc.add_prod2(-1.0, st[2], st[3]);
      if (a == -kInf) return s == 0 ? acc.value() : -kInf;
      double ea = std::exp(a);
      acc.add_prod(s, a);
      acc.add_prod(-n, ea);
      dx[0] = s - n * ea;
      return acc.value();
    }
    case Dist::Bernoulli: {
      double th = x[0], n = st[0], s = st[1], f = n - s;
      dx[0] = 0;
      if (!(th >= 0 && th <= 1)) return kNaN;
      if (s > 0) acc.add_prod(s, std::log(th));
      if (f > 0) acc.add_prod(f, std::log1p(-th));
      dx[0] = (s > 0 ? s / th : 0) - (f > 0 ? f / (1 - th) : 0);
      return acc.value();
    }
    case Dist::BernoulliLogit: {
      double a = x[0], n = st[0], s = st[1], f = n - s;
      dx[0] = 0;
      if (std::isnan(a)) return kNaN;
      if (s > 0) acc.add_prod(s, log_inv_logit(a));
      if (f > 0) acc.add_prod(f, log1m_inv_logit(a));
      dx[0] = s - n * inv_logit(a);
      return acc.value();
    }
    case Dist::Binomial: {
      double th = x[0], s = st[0], f = st[1];
      dx[0] = 0;
      if (!(th >= 0 && th <= 1)) return kNaN;
      if (inc(0)) acc.add_prod2(1.0, st[2], st[3]);
      if (s > 0) acc.add_prod(s, std::log(th));
      if (f > 0) acc.add_prod(f, std::log1p(-th));
      dx[0] = (s > 0 ? s / th : 0) - (f > 0 ? f / (1 - th) : 0);
      return acc.value();
    }
    case Dist::BinomialLogit: {
      double a = x[0], s = st[0], f = st[1];
      dx[0] = 0;
      if (std::isnan(a)) return kNaN;
      double li = log_inv_logit(a), l1 = log1m_inv_logit(a);
      // Elementwise, 0 * -inf is NaN: an element with y = 0 (or N - y = 0) at a = -inf (+inf).
      if ((li == -kInf && st[4] > 0) || (l1 == -kInf && st[5] > 0)) return kNaN;
      if (inc(0)) acc.add_prod2(1.0, st[2], st[3]);
      acc.add_prod(s, li);
      acc.add_prod(f, l1);
      dx[0] = s - (s + f) * inv_logit(a);
      return acc.value();
    }
    case Dist::Exponential: {
      double beta = x[0], n = st[0];
      dx[0] = 0;
      if (!(beta > 0)) return kNaN;
      acc.add_prod2(-beta, st[1], st[2]);
      if (inc(2)) acc.add_prod(n, std::log(beta));
      dx[0] = n / beta - (st[1] + st[2]);
      return acc.value();
    }
    case Dist::Gamma: {
      double a = x[0], b = x[1], n = st[0];
      dx[0] = dx[1] = 0;
      if (!(a > 0) || !(b > 0)) return kNaN;
      double lb = std::log(b);
      if (inc(2)) acc.add_prod(-n, std::lgamma(a));
      if (inc(6)) acc.add_prod(n, a * lb);
      if (inc(3)) acc.add_prod2(a - 1, st[3], st[4]);
      if (inc(5)) acc.add_prod2(-b, st[1], st[2]);
      dx[0] = n * (-digamma(a) + lb) + (st[3] + st[4]);
      dx[1] = n * (a / b) - (st[1] + st[2]);
      return acc.value();
    }
    default:
      return kNaN;
  }
}

}  // namespace mcmc::graph

// Phase-space points and the Hamiltonian with a diagonal Euclidean metric (Stan's diag_e_metric).
#pragma once

#include <cmath>
#include <limits>
#include <span>
#include <vector>

#include "sampler/rng.hpp"

namespace mcmc::sampler {

/// A position with its momentum and the log density and gradient there (never recomputed).
struct Point {
  std::vector<double> q, p, grad;
  double logp = 0;
  bool bad = false;  // non-finite log density or gradient: infinite energy
};

/// log(exp(a) + exp(b)) exactly as Stan's math::log_sum_exp(double, double).
inline double log_sum_exp(double a, double b) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (a == -inf) return b;
  if (a == inf && b == inf) return inf;
  const double hi = a > b ? a : b;
  const double d = a > b ? b - a : a - b;  // <= 0
  return hi + std::log1p(std::exp(d));
}

inline double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

/// Stan's generalized no-U-turn criterion between two ends with summed momentum rho.
inline bool no_u_turn(const std::vector<double>& p_sharp_minus,
                      const std::vector<double>& p_sharp_plus, const std::vector<double>& rho) {
  return dot(p_sharp_plus, rho) > 0 && dot(p_sharp_minus, rho) > 0;
}

class Hamiltonian {
 public:
  explicit Hamiltonian(std::vector<double> inv_metric) : inv_metric_(std::move(inv_metric)) { update_sqrt(); }

  const std::vector<double>& inv_metric() const { return inv_metric_; }
  /// sqrt(inv_metric), elementwise (kept with it: every transition's momentum needs it).
  const std::vector<double>& sqrt_inv_metric() const { return sqrt_inv_metric_; }
  void set_inv_metric(std::span<const double> m) {
    inv_metric_.assign(m.begin(), m.end());
    update_sqrt();
  }

  double kinetic(const std::vector<double>& p) const {
    double s = 0;
    for (std::size_t i = 0; i < p.size(); ++i) s += p[i] * (inv_metric_[i] * p[i]);
    return 0.5 * s;
  }

  /// H = -logp + kinetic; +inf for a bad point or a NaN (Stan maps NaN to +inf).
  double energy(const Point& z) const {
    if (z.bad) return std::numeric_limits<double>::infinity();
    const double h = -z.logp + kinetic(z.p);
    return std::isnan(h) ? std::numeric_limits<double>::infinity() : h;
  }

  void sample_p(Point& z, Rng& rng) const {
    z.p.resize(z.q.size());
    for (std::size_t i = 0; i < z.p.size(); ++i) z.p[i] = rng.normal() / sqrt_inv_metric_[i];
  }

  /// p_sharp = dtau/dp = inv_metric .* p.
  void p_sharp(const std::vector<double>& p, std::vector<double>& out) const {
    out.resize(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) out[i] = inv_metric_[i] * p[i];
  }

  /// Leapfrog up to the new position: p += eps/2 grad; q += eps inv_metric .* p.
  void begin_leapfrog(Point& z, double eps) const {
    const double half = 0.5 * eps;
    for (std::size_t i = 0; i < z.q.size(); ++i) {
      z.p[i] += half * z.grad[i];
      z.q[i] += eps * (inv_metric_[i] * z.p[i]);
    }
  }

  /// Leapfrog's last half step, once the log density and gradient at the new position are known:
  /// stores them in z (z.bad if either is not finite) and does p += eps/2 grad, in one pass.
  void end_leapfrog(Point& z, double logp, std::span<const double> grad, double eps) const {
    z.logp = logp;
    z.grad.resize(grad.size());
    bool finite = std::isfinite(logp);
    const double half = 0.5 * eps;
    double* g = z.grad.data();
    double* p = z.p.data();
    for (std::size_t i = 0; i < grad.size(); ++i) {
      g[i] = grad[i];
      finite = finite && std::isfinite(grad[i]);
      p[i] += half * g[i];
    }
    z.bad = !finite;
  }

 private:
  void update_sqrt() {
    sqrt_inv_metric_.resize(inv_metric_.size());
    for (std::size_t i = 0; i < inv_metric_.size(); ++i) sqrt_inv_metric_[i] = std::sqrt(inv_metric_[i]);
  }

  std::vector<double> inv_metric_, sqrt_inv_metric_;
};

}  // namespace mcmc::sampler

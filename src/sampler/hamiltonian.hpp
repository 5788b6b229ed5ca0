// Phase-space points and the Hamiltonian with a Euclidean metric (diagonal inline, others via sampler/metric.hpp).
#pragma once

#include <cmath>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "sampler/metric.hpp"
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

/// The Hamiltonian -logp(q) + p' M^-1 p / 2 with any metric (sampler/metric.hpp). A diagonal
/// metric takes inline loops (the arithmetic of Stan's diag_e_metric); the others go through
/// the Metric interface.
class Hamiltonian {
 public:
  /// A diagonal metric with these inverse-metric entries.
  explicit Hamiltonian(std::vector<double> inv_metric)
      : Hamiltonian(make_metric("diag", inv_metric.size(), inv_metric)) {}
  explicit Hamiltonian(std::unique_ptr<Metric> metric) : metric_(std::move(metric)) { refresh(); }

  Metric& metric() { return *metric_; }
  const Metric& metric() const { return *metric_; }
  /// Call after changing metric()'s values.
  void refresh() {
    diag_ = metric_->dense() ? nullptr : metric_->inverse_diagonal().data();
    const auto& d = metric_->inverse_diagonal();
    sqrt_inv_metric_.resize(d.size());
    for (std::size_t i = 0; i < d.size(); ++i) sqrt_inv_metric_[i] = std::sqrt(d[i]);
  }

  /// The diagonal of the inverse metric.
  const std::vector<double>& inv_metric() const { return metric_->inverse_diagonal(); }
  /// The diagonal metric's inverse entries that the leapfrog uses; nullptr for the other metrics.
  const double* diagonal() const { return diag_; }
  /// sqrt(inv_metric), elementwise (MEADS' whitened momentum).
  const std::vector<double>& sqrt_inv_metric() const { return sqrt_inv_metric_; }
  /// Replaces the inverse metric by a diagonal one.
  void set_inv_metric(std::span<const double> m) {
    metric_->set_inverse_diagonal(m);
    refresh();
  }

  double kinetic(const std::vector<double>& p) const {
    if (!diag_) return metric_->kinetic(p);
    double s = 0;
    for (std::size_t i = 0; i < p.size(); ++i) s += p[i] * (diag_[i] * p[i]);
    return 0.5 * s;
  }

  /// H = -logp + kinetic; +inf for a bad point or a NaN (Stan maps NaN to +inf).
  double energy(const Point& z) const {
    if (z.bad) return std::numeric_limits<double>::infinity();
    const double h = -z.logp + kinetic(z.p);
    return std::isnan(h) ? std::numeric_limits<double>::infinity() : h;
  }

  void sample_p(Point& z, Rng& rng) const {
    if (!diag_) {
      metric_->sample_momentum(z.p, rng);
      return;
    }
    z.p.resize(z.q.size());
    for (std::size_t i = 0; i < z.p.size(); ++i) z.p[i] = rng.normal() / sqrt_inv_metric_[i];
  }

  /// p_sharp = dtau/dp = M^-1 p.
  void p_sharp(const std::vector<double>& p, std::vector<double>& out) const {
    if (!diag_) {
      metric_->velocity(p, out);
      return;
    }
    out.resize(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) out[i] = diag_[i] * p[i];
  }

  /// Leapfrog up to the new position: p += eps/2 grad; q += eps M^-1 p.
  void begin_leapfrog(Point& z, double eps) const {
    const double half = 0.5 * eps;
    if (!diag_) {
      for (std::size_t i = 0; i < z.q.size(); ++i) z.p[i] += half * z.grad[i];
      metric_->velocity(z.p, velocity_);
      for (std::size_t i = 0; i < z.q.size(); ++i) z.q[i] += eps * velocity_[i];
      return;
    }
    for (std::size_t i = 0; i < z.q.size(); ++i) {
      z.p[i] += half * z.grad[i];
      z.q[i] += eps * (diag_[i] * z.p[i]);
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
  std::unique_ptr<Metric> metric_;
  const double* diag_ = nullptr;  // the diagonal metric's entries (nullptr for the others)
  std::vector<double> sqrt_inv_metric_;
  mutable std::vector<double> velocity_;  // scratch of begin_leapfrog
};

}  // namespace mcmc::sampler

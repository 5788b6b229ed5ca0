// Welford running variance and Stan's regularized diagonal-metric estimate (var_adaptation).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

#include "util/state_io.hpp"

namespace mcmc::sampler {

class WelfordVariance {
 public:
  explicit WelfordVariance(std::size_t n) : m_(n, 0.0), m2_(n, 0.0) {}

  void restart() {
    num_samples_ = 0;
    std::fill(m_.begin(), m_.end(), 0.0);
    std::fill(m2_.begin(), m2_.end(), 0.0);
  }

  void add_sample(std::span<const double> q) {
    ++num_samples_;
    const double n = static_cast<double>(num_samples_);
    for (std::size_t i = 0; i < m_.size(); ++i) {
      const double delta = q[i] - m_[i];
      m_[i] += delta / n;
      m2_[i] += (q[i] - m_[i]) * delta;
    }
  }

  std::size_t num_samples() const { return num_samples_; }

  /// --checkpoint: the count and the running sums.
  void save(StateWriter& w) const {
    w.tag("welford");
    w.u64(num_samples_);
    w.vec(m_);
    w.vec(m2_);
  }
  void restore(StateReader& r) {
    r.tag("welford");
    num_samples_ = r.u64();
    m_ = r.vec(m_.size());
    m2_ = r.vec(m2_.size());
  }

  /// The sample variances (m2 / (n - 1)); zeros with fewer than two samples.
  std::vector<double> variance() const {
    std::vector<double> v(m2_.size(), 0.0);
    if (num_samples_ > 1)
      for (std::size_t i = 0; i < v.size(); ++i) v[i] = m2_[i] / (static_cast<double>(num_samples_) - 1.0);
    return v;
  }

  /// Adds the samples another accumulator has seen (Chan, Golub & LeVeque's pairwise update).
  void merge(const WelfordVariance& o) {
    if (o.num_samples_ == 0) return;
    const double na = static_cast<double>(num_samples_), nb = static_cast<double>(o.num_samples_);
    const double n = na + nb;
    for (std::size_t i = 0; i < m_.size(); ++i) {
      const double delta = o.m_[i] - m_[i];
      m_[i] += delta * (nb / n);
      m2_[i] += o.m2_[i] + delta * delta * (na * nb / n);
    }
    num_samples_ += o.num_samples_;
  }

  /// Stan's regularized estimate written into `var`: the sample variance (left unchanged
  /// with fewer than two samples), shrunk towards 1e-3: (n / (n + 5)) var + 1e-3 (5 / (n + 5)).
  /// Returns false if the result is not finite.
  bool regularized_variance(std::vector<double>& var) const {
    if (num_samples_ > 1) {
      const double denom = static_cast<double>(num_samples_) - 1.0;
      for (std::size_t i = 0; i < var.size(); ++i) var[i] = m2_[i] / denom;
    }
    const double n = static_cast<double>(num_samples_);
    bool finite = true;
    for (double& v : var) {
      v = (n / (n + 5.0)) * v + 1e-3 * (5.0 / (n + 5.0));
      finite = finite && std::isfinite(v);
    }
    return finite;
  }

 private:
  std::size_t num_samples_ = 0;
  std::vector<double> m_, m2_;
};

}  // namespace mcmc::sampler

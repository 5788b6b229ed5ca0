// Welford running variance and Stan's regularized diagonal-metric estimate (var_adaptation).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace mcmc::sampler {

class WelfordVariance {
 public:
  explicit WelfordVariance(std::size_t n) : m_(n, 0.0), m2_(n, 0.0) {}

  void restart() {
    num_samples_ = 0;
    std::fill(m_.begin(), m_.end(), 0.0);
    std::fill(m2_.begin(), m2_.end(), 0.0);
  }

  void add_sample(const std::vector<double>& q) {
    ++num_samples_;
    const double n = static_cast<double>(num_samples_);
    for (std::size_t i = 0; i < m_.size(); ++i) {
      const double delta = q[i] - m_[i];
      m_[i] += delta / n;
      m2_[i] += (q[i] - m_[i]) * delta;
    }
  }

  std::size_t num_samples() const { return num_samples_; }

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

// The diagonal metric (Stan's diag_e_metric) and its estimators: Stan's regularized draw variances,
// and nutpie's sqrt(var(draws) / var(gradients)).
#include <cmath>
#include <stdexcept>
#include <string>

#include "sampler/metric.hpp"
#include "sampler/metric_adaptation.hpp"
#include "sampler/metric_util.hpp"

namespace mcmc::sampler {

namespace {

class DiagMetric final : public Metric {
 public:
  explicit DiagMetric(std::vector<double> inv) { set(std::move(inv)); }

  std::size_t dim() const override { return inv_.size(); }
  void velocity(std::span<const double> p, std::vector<double>& out) const override {
    out.resize(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) out[i] = inv_[i] * p[i];
  }
  double kinetic(std::span<const double> p) const override {
    double s = 0;
    for (std::size_t i = 0; i < p.size(); ++i) s += p[i] * (inv_[i] * p[i]);
    return 0.5 * s;
  }
  void sample_momentum(std::vector<double>& p, Rng& rng) const override {
    p.resize(inv_.size());
    for (std::size_t i = 0; i < p.size(); ++i) p[i] = rng.normal() / sqrt_inv_[i];
  }
  const std::vector<double>& inverse_diagonal() const override { return inv_; }
  void set_inverse_diagonal(std::span<const double> v) override { set(std::vector<double>(v.begin(), v.end())); }
  std::vector<double> elements() const override { return inv_; }
  bool dense() const override { return false; }
  std::unique_ptr<MetricEstimator> estimator(const std::string& adaptation) const override;
  void save(StateWriter& w) const override {
    w.tag("diag_metric");
    w.vec(inv_);
  }
  void restore(StateReader& r) override {
    r.tag("diag_metric");
    set(r.vec(inv_.size()));
  }

  const std::vector<double>& sqrt_inv() const { return sqrt_inv_; }

 private:
  void set(std::vector<double> inv) {
    inv_ = std::move(inv);
    sqrt_inv_.resize(inv_.size());
    for (std::size_t i = 0; i < inv_.size(); ++i) sqrt_inv_[i] = std::sqrt(inv_[i]);
  }
  std::vector<double> inv_, sqrt_inv_;
};

/// Stan's var_adaptation: Welford variances of the window's draws, shrunk towards 1e-3.
class StanVariance final : public MetricEstimator {
 public:
  explicit StanVariance(std::size_t n) : welford_(n) {}
  void add(std::span<const double> q, std::span<const double>) override { welford_.add_sample(q); }
  std::size_t count() const override { return welford_.num_samples(); }
  void restart() override { welford_.restart(); }
  void save(StateWriter& w) const override { welford_.save(w); }
  void restore(StateReader& r) override { welford_.restore(r); }
  bool update(Metric& metric) const override {
    std::vector<double> var = metric.inverse_diagonal();
    const bool finite = welford_.regularized_variance(var);
    metric.set_inverse_diagonal(var);
    return finite;
  }

 private:
  WelfordVariance welford_;
};

/// nutpie's diagonal estimate: sqrt(var(draws) / var(gradients)), which is exact for a Gaussian
/// with independent coordinates after any number (>= 2) of draws; kept within [1e-20, 1e20],
/// coordinates without a finite positive estimate keep their value. Needs 3 draws.
class GradientVariance final : public MetricEstimator {
 public:
  explicit GradientVariance(std::size_t n) : draws_(n), grads_(n) {}
  void add(std::span<const double> q, std::span<const double> g) override {
    draws_.add_sample(q);
    grads_.add_sample(g);
  }
  std::size_t count() const override { return draws_.num_samples(); }
  void restart() override {
    draws_.restart();
    grads_.restart();
  }
  void save(StateWriter& w) const override {
    draws_.save(w);
    grads_.save(w);
  }
  void restore(StateReader& r) override {
    draws_.restore(r);
    grads_.restore(r);
  }
  bool update(Metric& metric) const override {
    if (count() < 3) return true;
    std::vector<double> var = metric.inverse_diagonal();
    const std::vector<double> vq = draws_.variance(), vg = grads_.variance();
    for (std::size_t i = 0; i < var.size(); ++i) {
      const double v = std::sqrt(vq[i] / vg[i]);
      if (std::isfinite(v) && v > 0) var[i] = std::clamp(v, kMinVariance, kMaxVariance);
    }
    metric.set_inverse_diagonal(var);
    return true;
  }

 private:
  WelfordVariance draws_, grads_;
};

std::unique_ptr<MetricEstimator> DiagMetric::estimator(const std::string& adaptation) const {
  if (adaptation == "gradient") return std::make_unique<GradientVariance>(dim());
  return std::make_unique<StanVariance>(dim());
}

}  // namespace

std::unique_ptr<Metric> make_diag_metric(std::size_t dim, std::span<const double> elements) {
  if (elements.empty()) return std::make_unique<DiagMetric>(std::vector<double>(dim, 1.0));
  if (elements.size() != dim)
    throw std::invalid_argument(dim * dim == elements.size() && dim > 1
                                    ? "a dense inverse metric needs --metric dense"
                                    : "the inverse metric has " + std::to_string(elements.size()) +
                                          " values but the model has " + std::to_string(dim) +
                                          " unconstrained parameters");
  check_positive_diagonal(elements);
  return std::make_unique<DiagMetric>(std::vector<double>(elements.begin(), elements.end()));
}

}  // namespace mcmc::sampler

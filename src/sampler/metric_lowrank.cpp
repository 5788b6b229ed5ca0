// The low-rank metric (nutpie's): M^-1 = S (I + U (diag(lambda) - I) U') S from the draws and gradients
// (sampler/draw_grad_estimate.hpp), keeping the eigenvalues outside [1/2, 2].
#include <Eigen/Dense>

#include <cmath>
#include <stdexcept>
#include <string>

#include "sampler/metric.hpp"
#include "sampler/draw_grad_estimate.hpp"
#include "sampler/metric_util.hpp"

namespace mcmc::sampler {

namespace {

using Matrix = Eigen::MatrixXd;
using Vector = Eigen::VectorXd;
using Map = Eigen::Map<const Vector>;

constexpr double kEigvalCutoff = 2.0;     // eigenvalues within [1/cutoff, cutoff] are dropped (nuts-rs default)

class LowRankMetric final : public Metric {
 public:
  explicit LowRankMetric(std::vector<double> variance) {
    set(Map(variance.data(), variance.size()).cwiseSqrt(), Matrix(variance.size(), 0), Vector(0));
  }

  std::size_t dim() const override { return static_cast<std::size_t>(stds_.size()); }
  void velocity(std::span<const double> p, std::vector<double>& out) const override {
    out.resize(p.size());
    const Vector x = stds_.cwiseProduct(Map(p.data(), p.size()));
    Vector y = x;
    if (vecs_.cols() > 0) y.noalias() += vecs_ * (vals_minus_one_.cwiseProduct(vecs_.transpose() * x));
    Eigen::Map<Vector>(out.data(), out.size()) = stds_.cwiseProduct(y);
  }
  double kinetic(std::span<const double> p) const override {
    std::vector<double> v;
    velocity(p, v);
    return 0.5 * Map(p.data(), p.size()).dot(Map(v.data(), v.size()));
  }
  /// p = S^-1 (z + U (lambda^-1/2 - 1) U' z), z ~ normal(0, I): covariance M.
  void sample_momentum(std::vector<double>& p, Rng& rng) const override {
    const std::size_t n = dim();
    p.resize(n);
    Vector z(n);
    for (std::size_t i = 0; i < n; ++i) z[i] = rng.normal();
    if (vecs_.cols() > 0) z += vecs_ * (inv_sqrt_vals_minus_one_.cwiseProduct(vecs_.transpose() * z));
    Eigen::Map<Vector>(p.data(), n) = z.cwiseQuotient(stds_);
  }
  const std::vector<double>& inverse_diagonal() const override { return diag_; }
  void set_inverse_diagonal(std::span<const double> v) override {
    set(Map(v.data(), v.size()).cwiseSqrt(), Matrix(v.size(), 0), Vector(0));
  }
  std::vector<double> elements() const override {
    DrawGradEstimate e;
    e.stds = stds_;
    e.vecs = vecs_;
    e.vals = vals_minus_one_.array() + 1.0;
    const Matrix inv = estimate_matrix(e);
    std::vector<double> out(dim() * dim());
    Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(out.data(), dim(), dim()) = inv;
    return out;
  }
  bool dense() const override { return true; }
  std::unique_ptr<MetricEstimator> estimator(const std::string& adaptation) const override;

  void set(Vector stds, Matrix vecs, Vector vals) {
    stds_ = std::move(stds);
    vecs_ = std::move(vecs);
    vals_minus_one_ = vals.array() - 1.0;
    inv_sqrt_vals_minus_one_ = vals.array().rsqrt() - 1.0;
    diag_.resize(dim());
    for (std::size_t i = 0; i < diag_.size(); ++i) {
      double inner = 1.0;
      for (Eigen::Index k = 0; k < vecs_.cols(); ++k) inner += vecs_(i, k) * vecs_(i, k) * vals_minus_one_[k];
      diag_[i] = stds_[i] * stds_[i] * inner;
    }
  }

 private:
  Vector stds_, vals_minus_one_, inv_sqrt_vals_minus_one_;
  Matrix vecs_;
  std::vector<double> diag_;
};

/// nutpie's low-rank estimate from the window's draws and gradients.
class LowRankEstimator final : public MetricEstimator {
 public:
  explicit LowRankEstimator(std::size_t n) : n_(n) {}
  void add(std::span<const double> q, std::span<const double> g) override {
    draws_.emplace_back(q.begin(), q.end());
    grads_.emplace_back(g.begin(), g.end());
  }
  std::size_t count() const override { return draws_.size(); }
  void restart() override {
    draws_.clear();
    grads_.clear();
  }
  int refresh_interval() const override { return 10; }

  bool update(Metric& metric) const override {
    if (draws_.size() < 3) return true;
    DrawGradEstimate e = draw_grad_estimate(draws_, grads_, kEigvalCutoff);
    if (!e.ok) return false;
    static_cast<LowRankMetric&>(metric).set(std::move(e.stds), std::move(e.vecs), std::move(e.vals));
    return true;
  }

 private:
  std::size_t n_;
  std::vector<std::vector<double>> draws_, grads_;
};

std::unique_ptr<MetricEstimator> LowRankMetric::estimator(const std::string&) const {
  return std::make_unique<LowRankEstimator>(dim());
}

}  // namespace

std::unique_ptr<Metric> make_lowrank_metric(std::size_t dim, std::span<const double> elements) {
  if (elements.empty()) return std::make_unique<LowRankMetric>(std::vector<double>(dim, 1.0));
  if (elements.size() != dim)
    throw std::invalid_argument(elements.size() == dim * dim && dim > 1
                                    ? "a dense inverse metric needs --metric dense (the low-rank metric starts from a diagonal)"
                                    : "the inverse metric has " + std::to_string(elements.size()) +
                                          " values but the model has " + std::to_string(dim) +
                                          " unconstrained parameters");
  check_positive_diagonal(elements);
  return std::make_unique<LowRankMetric>(std::vector<double>(elements.begin(), elements.end()));
}

}  // namespace mcmc::sampler

// The dense metric (Stan's dense_e_metric) and its estimators: Stan's regularized window covariance,
// and nutpie's draw-and-gradient estimate with every eigenvalue kept.
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

class DenseMetric final : public Metric {
 public:
  /// `inv` must be symmetric positive definite (make_dense_metric checks).
  explicit DenseMetric(Matrix inv) { set(std::move(inv)); }

  std::size_t dim() const override { return static_cast<std::size_t>(inv_.rows()); }
  void velocity(std::span<const double> p, std::vector<double>& out) const override {
    out.resize(p.size());
    Eigen::Map<Vector>(out.data(), out.size()).noalias() = inv_ * Map(p.data(), p.size());
  }
  double kinetic(std::span<const double> p) const override {
    const Map m(p.data(), p.size());
    return 0.5 * m.dot(inv_ * m);
  }
  /// Stan's dense_e_metric: p = L^-T u with u ~ normal(0, I) and M^-1 = L L^T.
  void sample_momentum(std::vector<double>& p, Rng& rng) const override {
    const std::size_t n = dim();
    p.resize(n);
    Vector u(n);
    for (std::size_t i = 0; i < n; ++i) u[i] = rng.normal();
    Eigen::Map<Vector>(p.data(), n) = chol_.matrixU().solve(u);
  }
  const std::vector<double>& inverse_diagonal() const override { return diag_; }
  void set_inverse_diagonal(std::span<const double> v) override {
    set(Map(v.data(), v.size()).asDiagonal().toDenseMatrix());
  }
  std::vector<double> elements() const override {
    std::vector<double> e(dim() * dim());
    Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(e.data(), dim(), dim()) = inv_;
    return e;
  }
  bool dense() const override { return true; }
  std::unique_ptr<MetricEstimator> estimator(const std::string& adaptation) const override;
  // The matrix; its Cholesky factor is computed again from it, as set() always does.
  void save(StateWriter& w) const override {
    w.tag("dense_metric");
    w.vec(std::span<const double>(inv_.data(), static_cast<std::size_t>(inv_.size())));
  }
  void restore(StateReader& r) override {
    r.tag("dense_metric");
    const std::vector<double> v = r.vec(static_cast<std::size_t>(inv_.size()));
    if (!set(Eigen::Map<const Matrix>(v.data(), inv_.rows(), inv_.cols())))
      throw StateError("saved dense metric is not positive definite");
  }

  /// False (and no change) unless `inv` is positive definite.
  bool set(Matrix inv) {
    Eigen::LLT<Matrix> chol(inv);
    if (chol.info() != Eigen::Success || !inv.allFinite()) return false;
    inv_ = std::move(inv);
    chol_ = std::move(chol);
    diag_.resize(dim());
    for (std::size_t i = 0; i < diag_.size(); ++i) diag_[i] = inv_(i, i);
    return true;
  }

 private:
  Matrix inv_;
  Eigen::LLT<Matrix> chol_;
  std::vector<double> diag_;
};

/// Stan's covar_adaptation: the Welford covariance of the window's draws, regularized as
/// (n / (n + 5)) Sigma + 1e-3 (5 / (n + 5)) I.
class StanCovariance final : public MetricEstimator {
 public:
  explicit StanCovariance(std::size_t n) : mean_(Vector::Zero(n)), m2_(Matrix::Zero(n, n)) {}
  void add(std::span<const double> q, std::span<const double>) override {
    ++n_;
    const Vector x = Map(q.data(), q.size());
    const Vector delta = x - mean_;
    mean_ += delta / static_cast<double>(n_);
    m2_ += (x - mean_) * delta.transpose();
  }
  std::size_t count() const override { return n_; }
  void restart() override {
    n_ = 0;
    mean_.setZero();
    m2_.setZero();
  }
  bool update(Metric& metric) const override {
    if (n_ < 2) return true;
    const double n = static_cast<double>(n_);
    Matrix cov = m2_ / (n - 1.0);
    cov = (n / (n + 5.0)) * cov;
    cov.diagonal().array() += 1e-3 * (5.0 / (n + 5.0));
    cov = (0.5 * (cov + cov.transpose())).eval();  // Welford's m2 is symmetric only up to rounding
    return static_cast<DenseMetric&>(metric).set(std::move(cov));
  }
  int refresh_interval() const override { return 10; }
  void save(StateWriter& w) const override {
    w.tag("stan_covariance");
    w.u64(n_);
    w.vec(std::span<const double>(mean_.data(), static_cast<std::size_t>(mean_.size())));
    w.vec(std::span<const double>(m2_.data(), static_cast<std::size_t>(m2_.size())));
  }
  void restore(StateReader& r) override {
    r.tag("stan_covariance");
    n_ = r.u64();
    const std::vector<double> mean = r.vec(static_cast<std::size_t>(mean_.size()));
    const std::vector<double> m2 = r.vec(static_cast<std::size_t>(m2_.size()));
    mean_ = Eigen::Map<const Vector>(mean.data(), mean_.size());
    m2_ = Eigen::Map<const Matrix>(m2.data(), m2_.rows(), m2_.cols());
  }

 private:
  std::size_t n_ = 0;
  Vector mean_;
  Matrix m2_;
};

/// For the gradient-based adaptation: nutpie's estimate from draws and gradients with every
/// eigenvalue kept (sampler/draw_grad_estimate.hpp), good from a few draws on.
class DrawGradCovariance final : public MetricEstimator {
 public:
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
    const DrawGradEstimate e = draw_grad_estimate(draws_, grads_, 1.0);
    return e.ok && static_cast<DenseMetric&>(metric).set(estimate_matrix(e));
  }

 private:
  std::vector<std::vector<double>> draws_, grads_;
};

std::unique_ptr<MetricEstimator> DenseMetric::estimator(const std::string& adaptation) const {
  if (adaptation == "gradient") return std::make_unique<DrawGradCovariance>();
  return std::make_unique<StanCovariance>(dim());
}

}  // namespace

std::unique_ptr<Metric> make_dense_metric(std::size_t dim, std::span<const double> elements) {
  const Eigen::Index n = static_cast<Eigen::Index>(dim);
  Matrix inv = Matrix::Identity(n, n);
  if (elements.size() == dim) {
    check_positive_diagonal(elements);
    inv = Map(elements.data(), n).asDiagonal();
  } else if (elements.size() == dim * dim) {
    check_positive_diagonal(elements, dim + 1);
    inv = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(elements.data(), n, n);
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index j = 0; j < i; ++j)
        if (!(std::abs(inv(i, j) - inv(j, i)) <= 1e-8 * std::sqrt(inv(i, i) * inv(j, j))))
          throw std::invalid_argument("the inverse metric is not symmetric (element [" + std::to_string(i + 1) + "," +
                                      std::to_string(j + 1) + "] differs from [" + std::to_string(j + 1) + "," +
                                      std::to_string(i + 1) + "])");
    inv = 0.5 * (inv + inv.transpose()).eval();
  } else if (!elements.empty()) {
    throw std::invalid_argument("the inverse metric has " + std::to_string(elements.size()) + " values; the model has " +
                                std::to_string(dim) + " unconstrained parameters, so it needs " + std::to_string(dim) +
                                " (diagonal) or " + std::to_string(dim * dim) + " (dense)");
  }
  auto m = std::make_unique<DenseMetric>(Matrix::Identity(n, n));
  if (!m->set(std::move(inv))) throw std::invalid_argument("the inverse metric is not positive definite");
  return m;
}

}  // namespace mcmc::sampler

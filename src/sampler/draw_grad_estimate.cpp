// nutpie's draw-and-gradient metric estimate (nuts-rs low_rank.rs), with Eigen.
#include "sampler/draw_grad_estimate.hpp"

#include <algorithm>
#include <cmath>

#include "sampler/metric_util.hpp"

namespace mcmc::sampler {

namespace {

using Matrix = Eigen::MatrixXd;
using Vector = Eigen::VectorXd;

constexpr double kGamma = 1e-5;  // nutpie's regularization of the covariances

/// Symmetric square root and inverse square root of an SPD matrix.
void spd_sqrt(const Matrix& a, Matrix& sqrt, Matrix* inv_sqrt) {
  Eigen::SelfAdjointEigenSolver<Matrix> eig(a);
  const Vector s = eig.eigenvalues().cwiseMax(0.0).cwiseSqrt();
  sqrt = eig.eigenvectors() * s.asDiagonal() * eig.eigenvectors().transpose();
  if (inv_sqrt) *inv_sqrt = eig.eigenvectors() * s.cwiseInverse().asDiagonal() * eig.eigenvectors().transpose();
}

}  // namespace

DrawGradEstimate draw_grad_estimate(const std::vector<std::vector<double>>& draws,
                                    const std::vector<std::vector<double>>& grads, double cutoff) {
  DrawGradEstimate out;
  const Eigen::Index k = static_cast<Eigen::Index>(draws.size());
  const Eigen::Index n = k > 0 ? static_cast<Eigen::Index>(draws.front().size()) : 0;
  Matrix x(n, k), g(n, k);
  for (Eigen::Index j = 0; j < k; ++j) {
    x.col(j) = Eigen::Map<const Vector>(draws[j].data(), n);
    g.col(j) = Eigen::Map<const Vector>(grads[j].data(), n);
  }
  // Scale each coordinate by sqrt(sd(draws) / sd(gradients)) (centred, divided by the count).
  out.stds.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    x.row(i).array() -= x.row(i).mean();
    g.row(i).array() -= g.row(i).mean();
    double s = std::sqrt(std::sqrt(x.row(i).squaredNorm()) / std::sqrt(g.row(i).squaredNorm()));
    if (!std::isfinite(s) || !(s > 0)) s = 1.0;
    s = std::clamp(s, std::sqrt(kMinVariance), std::sqrt(kMaxVariance));
    out.stds[i] = s;
    x.row(i) /= s * static_cast<double>(k);
    g.row(i) *= s / static_cast<double>(k);
  }
  // Work in the span of the draws and gradients when it is smaller than the space (outside it
  // both covariances are the identity: eigenvalue 1).
  Matrix basis;
  if (2 * k < n) {
    Matrix both(n, 2 * k);
    both << x, g;
    Eigen::ColPivHouseholderQR<Matrix> qr(both);
    basis = qr.householderQ() * Matrix::Identity(n, qr.rank());
    x = (basis.transpose() * x).eval();
    g = (basis.transpose() * g).eval();
  }
  const Eigen::Index m = x.rows();
  Matrix cd = (x * x.transpose()) / kGamma, cg = (g * g.transpose()) / kGamma;
  cd.diagonal().array() += 1.0;
  cg.diagonal().array() += 1.0;
  // The SPD mean of cd and cg^-1: cg^-1/2 (cg^1/2 cd cg^1/2)^1/2 cg^-1/2.
  Matrix cg_sqrt, cg_inv_sqrt, mid_sqrt;
  spd_sqrt(cg, cg_sqrt, &cg_inv_sqrt);
  spd_sqrt(cg_sqrt * cd * cg_sqrt, mid_sqrt, nullptr);
  const Matrix mean = cg_inv_sqrt * mid_sqrt * cg_inv_sqrt;
  Eigen::SelfAdjointEigenSolver<Matrix> eig(mean);
  if (eig.info() != Eigen::Success || !out.stds.allFinite()) return out;
  std::vector<Eigen::Index> keep;
  for (Eigen::Index j = 0; j < m; ++j) {
    const double v = eig.eigenvalues()[j];
    if (v > cutoff || v < 1.0 / cutoff) keep.push_back(j);
  }
  out.vecs.resize(m, static_cast<Eigen::Index>(keep.size()));
  out.vals.resize(static_cast<Eigen::Index>(keep.size()));
  for (std::size_t j = 0; j < keep.size(); ++j) {
    out.vecs.col(static_cast<Eigen::Index>(j)) = eig.eigenvectors().col(keep[j]);
    out.vals[static_cast<Eigen::Index>(j)] = eig.eigenvalues()[keep[j]];
  }
  if (basis.size() > 0) out.vecs = (basis * out.vecs).eval();
  if (!out.vals.allFinite() || !out.vecs.allFinite() || !(out.vals.array() > 0).all()) {
    out.vecs.resize(n, 0);
    out.vals.resize(0);
  }
  out.ok = true;
  return out;
}

Eigen::MatrixXd estimate_matrix(const DrawGradEstimate& e) {
  Matrix inner = Matrix::Identity(e.stds.size(), e.stds.size());
  if (e.vecs.cols() > 0) inner += e.vecs * (e.vals.array() - 1.0).matrix().asDiagonal() * e.vecs.transpose();
  return e.stds.asDiagonal() * inner * e.stds.asDiagonal();
}

}  // namespace mcmc::sampler

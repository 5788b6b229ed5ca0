// nutpie's metric estimate from draws and gradients: diagonal scales and the eigenpairs of the SPD
// mean of the scaled draw covariance and inverse gradient covariance.
#pragma once

#include <Eigen/Dense>

#include <vector>

namespace mcmc::sampler {

/// M^-1 = S (I + U (diag(vals) - I) U') S with S = diag(stds).
struct DrawGradEstimate {
  Eigen::VectorXd stds, vals;
  Eigen::MatrixXd vecs;
  bool ok = false;  // false: not finite
};

/// From >= 3 draws and their gradients (equal counts, each of the same dimension): stds =
/// sqrt(sd(draws) / sd(gradients)) per coordinate; then, in those scaled coordinates, the SPD
/// mean of (C_draws / gamma + I) and (C_gradients / gamma + I)^-1 (gamma 1e-5, C divided by the
/// squared count, as nuts-rs); its eigenpairs with eigenvalues outside [1 / cutoff, cutoff]
/// (cutoff 1: all of them).
DrawGradEstimate draw_grad_estimate(const std::vector<std::vector<double>>& draws,
                                    const std::vector<std::vector<double>>& grads, double cutoff);

/// The estimate as a dense matrix, row-major.
Eigen::MatrixXd estimate_matrix(const DrawGradEstimate& e);

}  // namespace mcmc::sampler

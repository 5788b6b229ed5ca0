// The multivariate distributions and the GLMs: one record each (the model compiler builds them from graph nodes: model/multivariate.cpp).
#include "catalog/multivariate_distributions.hpp"

namespace mcmc::catalog {

std::vector<Distribution> multivariate_distributions() {
  constexpr ArgKind R = ArgKind::Reals, I = ArgKind::Ints, V = ArgKind::Vector, Vs = ArgKind::Vectors,
                    M = ArgKind::Matrix;
  auto no_rng = [](Distribution d) {
    d.has_rng = false;
    return d;
  };
  return {
      no_rng({"dirichlet", V, {{"alpha", V, "of concentrations"}}, std::nullopt,
              "Dirichlet on the simplex"}),
      no_rng({"multi_normal", Vs, {{"mu", Vs, "(means)"}, {"Sigma", M, "(covariance)"}}, std::nullopt,
              "multivariate normal (each of an array of vectors)"}),
      no_rng({"multi_normal_cholesky", Vs, {{"mu", Vs, "(means)"}, {"L", M, "(Cholesky factor of the covariance)"}},
              std::nullopt, "multivariate normal with covariance L * L'"}),
      no_rng({"lkj_corr_cholesky", M, {{"eta", R, "(shape)"}}, std::nullopt,
              "LKJ on the Cholesky factor of a correlation matrix"}),
      no_rng({"bernoulli_logit_glm", I, {{"x", M, "(predictors)"}, {"alpha", R, "(intercept)"}, {"beta", V, "of coefficients"}},
              std::nullopt, "bernoulli_logit(y | alpha + x * beta)"}),
      no_rng({"poisson_log_glm", I, {{"x", M, "(predictors)"}, {"alpha", R, "(intercept)"}, {"beta", V, "of coefficients"}},
              std::nullopt, "poisson_log(y | alpha + x * beta)"}),
      no_rng({"normal_id_glm", R,
              {{"x", M, "(predictors)"}, {"alpha", R, "(intercept)"}, {"beta", V, "of coefficients"}, {"sigma", R, "(scale)"}},
              std::nullopt, "normal(y | alpha + x * beta, sigma)"}),
  };
}

}  // namespace mcmc::catalog

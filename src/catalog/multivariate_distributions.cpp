// The multivariate distributions and the GLMs: one record each (the model compiler builds them from graph nodes: model/multivariate.cpp).
#include "catalog/multivariate_distributions.hpp"

#include "catalog/signatures.hpp"

namespace mcmc::catalog {

std::vector<Distribution> multivariate_distributions() {
  constexpr ArgKind R = ArgKind::Reals, I = ArgKind::Ints, V = ArgKind::Vector, Vs = ArgKind::Vectors,
                    M = ArgKind::Matrix;
  auto no_rng = [](Distribution d) {
    d.has_rng = false;
    return d;
  };
  // The _rng of a distribution on vectors: a vector, an array of them for an array of locations.
  auto vector_rng = [](Distribution d) {
    d.rng_type = [d](const std::vector<Type>& a) -> std::optional<Type> {
      if (a.size() != d.params.size()) return std::nullopt;
      for (std::size_t i = 0; i < a.size(); ++i)
        if (!sig::matches(d.params[i].kind, a[i])) return std::nullopt;
      return Type{BaseType::Vector, a[0].array_dims};
    };
    return d;
  };
  return {
      vector_rng({"dirichlet", V, {{"alpha", V, "of concentrations"}}, std::nullopt,
                  "Dirichlet on the simplex"}),
      vector_rng({"multi_normal", Vs, {{"mu", Vs, "(means)"}, {"Sigma", M, "(covariance)"}}, std::nullopt,
                  "multivariate normal (each of an array of vectors)"}),
      vector_rng({"multi_normal_cholesky", Vs, {{"mu", Vs, "(means)"}, {"L", M, "(Cholesky factor of the covariance)"}},
                  std::nullopt, "multivariate normal with covariance L * L'"}),
      no_rng({"lkj_corr_cholesky", M, {{"eta", R, "(shape)"}}, std::nullopt,
              "LKJ on the Cholesky factor of a correlation matrix"}),
      no_rng({"multi_normal_prec", Vs, {{"mu", Vs, "(means)"}, {"Omega", M, "(precision)"}}, std::nullopt,
              "multivariate normal with covariance Omega^-1"}),
      no_rng({"multi_student_t", Vs, {{"nu", R, "(degrees of freedom)"}, {"mu", Vs, "(locations)"}, {"Sigma", M, "(scale)"}},
              std::nullopt, "multivariate Student t"}),
      no_rng({"multi_student_t_cholesky", Vs,
              {{"nu", R, "(degrees of freedom)"}, {"mu", Vs, "(locations)"}, {"L", M, "(Cholesky factor of the scale)"}},
              std::nullopt, "multivariate Student t with scale L * L'"}),
      no_rng({"lkj_corr", M, {{"eta", R, "(shape)"}}, std::nullopt, "LKJ on correlation matrices"}),
      no_rng({"wishart", M, {{"nu", R, "(degrees of freedom)"}, {"S", M, "(scale)"}}, std::nullopt,
              "Wishart on symmetric positive-definite matrices"}),
      no_rng({"inv_wishart", M, {{"nu", R, "(degrees of freedom)"}, {"S", M, "(scale)"}}, std::nullopt,
              "inverse Wishart on symmetric positive-definite matrices"}),
      no_rng({"multinomial", I, {{"theta", V, "of probabilities"}}, std::nullopt,
              "multinomial counts (array[] int) with probabilities theta"}),
      no_rng({"multinomial_logit", I, {{"gamma", V, "of log-odds"}}, std::nullopt,
              "multinomial with probabilities softmax(gamma)"}),
      no_rng({"ordered_logistic", I, {{"eta", R, "(locations)"}, {"c", Vs, "(ascending cut-points)"}}, std::nullopt,
              "ordinal logistic regression: y in 1..K with K - 1 cut-points"}),
      no_rng({"ordered_probit", I, {{"eta", R, "(locations)"}, {"c", Vs, "(ascending cut-points)"}}, std::nullopt,
              "ordinal probit regression: y in 1..K with K - 1 cut-points"}),
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

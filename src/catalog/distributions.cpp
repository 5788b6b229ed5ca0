// The built-in distributions: one record each (name, arguments, graph kernel, one line of documentation).
#include "catalog/catalog.hpp"
#include "catalog/multivariate_distributions.hpp"

namespace mcmc::catalog {
namespace {

using graph::Dist;
constexpr ArgKind R = ArgKind::Reals, I = ArgKind::Ints, V = ArgKind::Vector;

std::vector<Distribution> make_distributions() {
  return {
      {"normal", R, {{"mu", R, ""}, {"sigma", R, "(scale)"}}, Dist::Normal, "normal"},
      {"std_normal", R, {}, Dist::StdNormal, "normal(0, 1)"},
      {"student_t", R, {{"nu", R, ""}, {"mu", R, ""}, {"sigma", R, ""}}, Dist::StudentT,
       "Student's t with nu degrees of freedom"},
      {"cauchy", R, {{"mu", R, ""}, {"sigma", R, ""}}, Dist::Cauchy, "Cauchy"},
      {"double_exponential", R, {{"mu", R, ""}, {"sigma", R, ""}}, Dist::DoubleExponential,
       "Laplace"},
      {"logistic", R, {{"mu", R, ""}, {"sigma", R, ""}}, Dist::Logistic, "logistic"},
      {"lognormal", R, {{"mu", R, ""}, {"sigma", R, ""}}, Dist::Lognormal,
       "log(y) is normal(mu, sigma)"},
      {"exponential", R, {{"beta", R, "(rate)"}}, Dist::Exponential, "exponential"},
      {"gamma", R, {{"alpha", R, "(shape)"}, {"beta", R, "(rate)"}}, Dist::Gamma, "gamma"},
      {"inv_gamma", R, {{"alpha", R, "(shape)"}, {"beta", R, "(scale)"}}, Dist::InvGamma,
       "inverse gamma"},
      {"weibull", R, {{"alpha", R, "(shape)"}, {"sigma", R, "(scale)"}}, Dist::Weibull,
       "Weibull"},
      {"chi_square", R, {{"nu", R, ""}}, Dist::ChiSquare, "chi-square"},
      {"beta", R, {{"alpha", R, ""}, {"beta", R, ""}}, Dist::Beta, "beta on [0, 1]"},
      {"uniform", R, {{"alpha", R, "(lower)"}, {"beta", R, "(upper)"}}, Dist::Uniform, "uniform"},
      {"poisson", I, {{"lambda", R, "(rate)"}}, Dist::Poisson, "Poisson"},
      {"poisson_log", I, {{"alpha", R, "(log rate)"}}, Dist::PoissonLog, "Poisson with log rate"},
      {"binomial", I, {{"N", I, ""}, {"theta", R, ""}}, Dist::Binomial, "binomial"},
      {"binomial_logit", I, {{"N", I, ""}, {"alpha", R, "(log odds)"}}, Dist::BinomialLogit,
       "binomial with log-odds"},
      {"bernoulli", I, {{"theta", R, ""}}, Dist::Bernoulli, "Bernoulli"},
      {"bernoulli_logit", I, {{"alpha", R, "(log odds)"}}, Dist::BernoulliLogit,
       "Bernoulli with log-odds"},
      {"neg_binomial_2", I, {{"mu", R, "(mean)"}, {"phi", R, "(precision)"}}, Dist::NegBinomial2,
       "negative binomial by mean and precision"},
      {"neg_binomial_2_log", I, {{"eta", R, "(log mean)"}, {"phi", R, "(precision)"}},
       Dist::NegBinomial2Log, "negative binomial by log mean and precision"},
      {"beta_binomial", I, {{"N", I, ""}, {"alpha", R, ""}, {"beta", R, ""}}, Dist::BetaBinomial,
       "binomial with a beta-distributed probability"},
      {"gumbel", R, {{"mu", R, ""}, {"beta", R, "(scale)"}}, Dist::Gumbel, "Gumbel (type I extreme value)"},
      {"rayleigh", R, {{"sigma", R, "(scale)"}}, Dist::Rayleigh, "Rayleigh"},
      {"pareto", R, {{"y_min", R, "(scale)"}, {"alpha", R, "(shape)"}}, Dist::Pareto, "Pareto on [y_min, inf)"},
      // issue 14's remainder (kernels in graph/distributions_more.cpp)
      {"skew_normal", R, {{"xi", R, "(location)"}, {"omega", R, "(scale)"}, {"alpha", R, "(shape)"}}, Dist::SkewNormal,
       "skew normal"},
      {"exp_mod_normal", R, {{"mu", R, ""}, {"sigma", R, "(scale)"}, {"lambda", R, "(rate)"}}, Dist::ExpModNormal,
       "normal(mu, sigma) plus exponential(lambda)"},
      {"frechet", R, {{"alpha", R, "(shape)"}, {"sigma", R, "(scale)"}}, Dist::Frechet, "Frechet (type II extreme value)"},
      {"pareto_type_2", R, {{"mu", R, "(location)"}, {"lambda", R, "(scale)"}, {"alpha", R, "(shape)"}},
       Dist::ParetoType2, "Pareto type II (Lomax) on [mu, inf)"},
      {"beta_proportion", R, {{"mu", R, "(mean)"}, {"kappa", R, "(precision)"}}, Dist::BetaProportion,
       "beta(mu kappa, (1 - mu) kappa)"},
      {"von_mises", R, {{"mu", R, "(location)"}, {"kappa", R, "(concentration)"}}, Dist::VonMises,
       "von Mises (circular; no cdfs here)"},
      {"loglogistic", R, {{"alpha", R, "(scale)"}, {"beta", R, "(shape)"}}, Dist::Loglogistic, "log-logistic"},
      {"scaled_inv_chi_square", R, {{"nu", R, ""}, {"s", R, "(scale)"}}, Dist::ScaledInvChiSquare,
       "scaled inverse chi-square"},
      {"inv_chi_square", R, {{"nu", R, ""}}, Dist::InvChiSquare, "inverse chi-square"},
      {"neg_binomial", I, {{"alpha", R, "(shape)"}, {"beta", R, "(inverse scale)"}}, Dist::NegBinomial,
       "negative binomial (gamma-Poisson with rate gamma(alpha, beta))"},
      {"discrete_range", I, {{"lower", I, ""}, {"upper", I, ""}}, Dist::DiscreteRange,
       "uniform on the integers lower..upper"},
      {"hypergeometric", I, {{"N", I, "(draws)"}, {"a", I, "(successes)"}, {"b", I, "(failures)"}}, Dist::Hypergeometric,
       "successes in N draws without replacement"},
      {"categorical", I, {{"theta", V, "of probabilities"}}, std::nullopt,
       "one of 1..K with probabilities theta"},
      {"categorical_logit", I, {{"beta", V, "of log-odds"}}, std::nullopt,
       "one of 1..K with probabilities softmax(beta)"},
  };
}

}  // namespace

const std::vector<Distribution>& distributions() {
  static const std::vector<Distribution> t = [] {
    std::vector<Distribution> all = make_distributions();
    for (Distribution& d : multivariate_distributions()) all.push_back(std::move(d));
    return all;
  }();
  return t;
}

}  // namespace mcmc::catalog

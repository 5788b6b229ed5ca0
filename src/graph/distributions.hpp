// Elementwise log densities of the built-in distributions with analytic partials and Stan's propto rules.
#pragma once

#include <cstdint>
#include <string_view>

namespace mcmc::graph {

enum class Dist : std::uint16_t {
  Normal, StdNormal, StudentT, Cauchy, DoubleExponential, Logistic, Lognormal, Exponential, Gamma,
  InvGamma, Weibull, ChiSquare, Beta, Uniform, Poisson, PoissonLog, Binomial, BinomialLogit,
  Bernoulli, BernoulliLogit, NegBinomial2, NegBinomial2Log, BetaBinomial, Gumbel, Rayleigh, Pareto,
  // distributions_more.cpp's kernels (issue 14's remainder)
  SkewNormal, ExpModNormal, Frechet, ParetoType2, BetaProportion, VonMises, Loglogistic,
  ScaledInvChiSquare, InvChiSquare, NegBinomial, DiscreteRange, Hypergeometric,
  Count
};

/// What a distribution node computes per element: the log density, or the log CDF / CCDF.
enum class DistKind : std::uint8_t { Lpdf, Lcdf, Lccdf };

struct DistInfo {
  const char* name;  // "normal"
  int num_args;      // including the variate
  bool discrete;     // _lpmf
  bool cdf;          // whether dist_term computes Lcdf / Lccdf
};

const DistInfo& dist_info(Dist d);
bool dist_by_name(std::string_view name, Dist& out);  // "normal" -> Normal
bool has_cdf(Dist d);  // dist_info(d).cdf

/// One element's contribution. `x` holds num_args values (variate first), `d` receives the partial
/// derivative with respect to each. `var` has bit j set when argument j depends on parameters;
/// with `propto`, terms that depend on no such argument are dropped (Stan's include_summand).
/// Out-of-support parameters give NaN (a rejection), a variate outside the support gives -inf.
double dist_term(Dist dist, DistKind kind, const double* x, double* d, unsigned var, bool propto);

}  // namespace mcmc::graph

// Random variates for the language's `_rng` functions, drawn from a chain's own stream.
#pragma once

#include <span>

#include "graph/distributions.hpp"
#include "sampler/rng.hpp"

namespace mcmc::model {

/// One draw of distribution `d` given its parameters (the distribution's arguments after the
/// variate, in Stan's order: normal -> {mu, sigma}, binomial -> {N, theta}, ...). Integer-valued
/// distributions return an integral double. Invalid parameters throw std::domain_error with a
/// Stan-like message ("normal_rng: Scale parameter is -1, but must be positive!").
double random_variate(graph::Dist d, std::span<const double> params, sampler::Rng& rng);

/// categorical_rng(theta): a 1-based category drawn with probabilities theta (a simplex: entries
/// >= 0 summing to 1 within 1e-8, else std::domain_error).
int categorical_variate(std::span<const double> theta, sampler::Rng& rng);

}  // namespace mcmc::model

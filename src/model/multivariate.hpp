// Log densities of the multivariate distributions and GLMs (catalog/multivariate_distributions.cpp), built from graph nodes.
#pragma once

#include <vector>

#include "catalog/catalog.hpp"
#include "model/interp.hpp"

namespace mcmc::model {

/// Whether `d` is one of the distributions multivariate_density() evaluates.
bool is_multivariate(const catalog::Distribution& d);

/// The log density `d_lpdf(args[0] | args[1], ...)`; with `propto`, terms that do not depend on
/// parameters are dropped (as `~` does).
Value multivariate_density(Interp& in, const lang::Expr& e, const catalog::Distribution& d, bool propto,
                           std::vector<Value>& args);

/// `d_rng(args...)` of a multivariate distribution with constant arguments (multi_normal,
/// multi_normal_cholesky: a vector, or an array of vectors for an array of locations; dirichlet:
/// a simplex); invalid arguments fail naming the call.
Value multivariate_rng(Interp& in, const lang::Expr& e, const catalog::Distribution& d, std::vector<Value>& args,
                       sampler::Rng& rng);

}  // namespace mcmc::model

// Which data variables a model observes: the outcomes of its sampling statements (for ArviZ's observed_data).
#pragma once

#include <set>
#include <string>

#include "lang/ast.hpp"

namespace mcmc::lang {

/// Names of data-block variables that appear as the outcome of a model-block statement:
/// `y ~ dist(...)`, `y[n] ~ ...`, or `target += dist_lpdf(y | ...)` (also _lpmf, _lupdf, _lupmf),
/// at any nesting of loops and conditionals. The other data variables are constants.
std::set<std::string> observed_data(const Program& program);

}  // namespace mcmc::lang

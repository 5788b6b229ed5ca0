// The table of built-in functions and distributions: which argument types each accepts and what it returns.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lang/ast.hpp"

namespace mcmc::lang {

/// The return type of calling built-in `name` with arguments of types `args`, or nullopt when no
/// signature matches (int arguments promote to real, as in Stan). Distribution functions are
/// named with their suffix: "normal_lpdf", "poisson_lpmf", "normal_rng", "normal_lcdf", ...
std::optional<Type> builtin_return_type(const std::string& name, const std::vector<Type>& args);

/// Whether `name` is a known built-in function (any signature).
bool is_builtin(const std::string& name);

/// For `y ~ dist(...)`: "dist_lpdf" or "dist_lpmf", whichever exists; "" if `dist` is unknown.
std::string distribution_function(const std::string& dist);

/// Human-readable list of the signatures of `name`, for "no matching signature" messages.
std::string describe_signatures(const std::string& name);

}  // namespace mcmc::lang

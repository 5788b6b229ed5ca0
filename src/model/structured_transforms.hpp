// Stan's transforms of constrained vector types (simplex, ordered, positive_ordered) and the unconstrained order of matrix parameters.
#pragma once

#include <string>
#include <vector>

#include "lang/ast.hpp"
#include "model/interp.hpp"
#include "model/value.hpp"

namespace mcmc::model {

/// Number of unconstrained coordinates of a parameter of shape `shape` (simplex[K]: K - 1 per
/// vector; everything else one per element).
std::size_t unconstrained_size(lang::Structure s, const Value& shape);

/// For each position of the constrained values in Stan's order (arrays row-major, a matrix's
/// elements column-major), the row-major element of `shape` it is. The identity without matrices.
std::vector<std::size_t> stan_order(const Value& shape);

/// x = constrain(u) for a structured type (Stan's transforms: stick-breaking simplex,
/// ordered, positive_ordered); with `jacobian`, adds log |dx/du| to the interpreter's target.
Value constrain_structured(Interp& in, lang::Structure s, const Value& shape, graph::NodeId u, bool jacobian);

/// The inverse of constant values (initial values; row-major like `shape`). Throws mcmc::Error
/// naming `name` when the values do not satisfy the constraint.
std::vector<double> unconstrain_structured(lang::Structure s, const Value& shape, const std::vector<double>& x,
                                           const std::string& name);

/// "" when constant values satisfy the structure, else a message ("theta[2] is not a valid simplex: ...").
std::string check_structure(lang::Structure s, const Value& v, const std::string& name);

/// Adds graph checks (rejecting evaluations) that parameter-dependent values satisfy the structure.
void check_structure_nodes(Interp& in, lang::Structure s, const Value& v);

}  // namespace mcmc::model

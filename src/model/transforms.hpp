// Stan's constraining transforms for declared bounds, their Jacobians, and their inverses.
#pragma once

#include <optional>
#include <string>

#include "lang/ast.hpp"
#include "model/interp.hpp"
#include "model/value.hpp"

namespace mcmc::model {

/// The evaluated bounds of a declaration (absent ones are nullopt; infinite ones are dropped).
struct Bounds {
  std::optional<Value> lower, upper, offset, multiplier;
  bool any() const { return lower || upper || offset || multiplier; }
};

Bounds eval_bounds(Interp& in, const lang::VarDecl& d);

/// The bounds with matrix-shaped values permuted into Stan's unconstrained order (a matrix's
/// elements column-major; structured_transforms.hpp's stan_order).
Bounds in_stan_order(const Bounds& b, const Value& shape);

/// x = constrain(u) elementwise for a parameter of shape `shape`; with `jacobian`, adds
/// log |dx/du| to the interpreter's target. `u` is a graph node of shape.size() elements.
Value constrain(Interp& in, const Bounds& b, const Value& shape, graph::NodeId u, bool jacobian);

/// The inverse transform of constant values (initial values). Throws mcmc::Error naming `name`
/// when a value lies outside its bounds.
std::vector<double> unconstrain(const Bounds& b, const std::vector<double>& x, const std::string& name);

/// Checks constant values against bounds; returns "" or a message like
/// "sigma is -1, but must be greater than or equal to 0".
std::string check_bounds(const Bounds& b, const Value& v, const std::string& name);

}  // namespace mcmc::model

// Argument classes and signature resolvers shared by the catalogue's records (Stan's `reals`, `ints`, elementwise shapes).
#pragma once

#include <optional>
#include <vector>

#include "catalog/catalog.hpp"

namespace mcmc::catalog::sig {

using Args = std::vector<Type>;
using Result = std::optional<Type>;

inline const Type kInt{BaseType::Int, 0};
inline const Type kReal{BaseType::Real, 0};
inline const Type kVector{BaseType::Vector, 0};
inline const Type kRowVector{BaseType::RowVector, 0};

bool is_int_array1(const Type& t);
/// vector, row_vector or a one-dimensional array of reals (ints promote).
bool is_real_sequence(const Type& t);
/// Stan's vectorized `reals`: a scalar or a one-dimensional sequence of reals.
bool is_reals(const Type& t);
/// Stan's vectorized `ints`: int or array[] int.
bool is_ints(const Type& t);
/// Any value that holds numbers (not a string / void).
bool is_numeric(const Type& t);
bool is_container(const Type& t);
bool matches(ArgKind kind, const Type& t);
const char* arg_name(ArgKind kind);

/// The type with every int promoted to real (same shape).
Type promoted(const Type& t);

/// Elementwise real function of any numeric shape: int/real -> real, containers keep their shape.
Result vectorized_unary(const Args& a);
/// A fixed arity, every argument a scalar (int promotes); returns `result`.
Resolver scalars(int arity, Type result);
/// A fixed arity, every argument an int; returns `result`.
Resolver ints_only(int arity, Type result);
/// Two scalars, or broadcast shapes of the same kind (vectorized binary functions): real result
/// of the container's shape.
Result vectorized_binary(const Args& a);

/// `dist_lpdf(variate | params...)` and the cdfs: every argument of its kind, result real.
Result density(const Distribution& d, const Args& a);
/// `dist_rng(params...)`: a scalar when every argument is a scalar, else an array.
Result rng(const Distribution& d, const Args& a);

}  // namespace mcmc::catalog::sig

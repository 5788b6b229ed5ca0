// The catalogue of built-in functions and distributions: one record each, from which the checker's signatures, the model compiler's dispatch and the documentation's tables are derived.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/type.hpp"
#include "graph/distributions.hpp"
#include "graph/functions.hpp"

namespace mcmc::catalog {

/// Maps the argument types of a call to its return type; nullopt when no signature matches
/// (int arguments promote to real, as in Stan).
using Resolver = std::function<std::optional<Type>(const std::vector<Type>&)>;

/// How the model compiler evaluates a function.
enum class Impl {
  Unary,     // the elementwise graph function `unary`, on any numeric shape
  Binary,    // the elementwise graph function `binary`, on two scalars (or broadcast shapes)
  Constant,  // the number `value`, no arguments
  Special,   // a handler of the model compiler found by the function's name (model/builtin_calls.cpp)
};

/// Which table of docs/language.md lists a function.
enum class Group { Elementwise, Scalar, Container, Constant, Matrix };

/// One built-in function (not a distribution).
struct Function {
  std::string name;
  Group group;
  Resolver resolve;
  std::vector<std::string> signatures;  // human-readable, for messages and the docs
  std::string doc;                      // one line
  Impl impl;
  graph::UnaryFn unary = graph::UnaryFn::Count;
  graph::BinaryFn binary = graph::BinaryFn::Count;
  double value = 0;
};

/// The kind of one distribution argument: `reals` (a real or a one-dimensional sequence of
/// reals, ints promote), `ints` (int or array[] int), a vector, `vectors` (a vector or
/// row_vector, or an array of them) or a matrix.
enum class ArgKind { Reals, Ints, Vector, Vectors, Matrix };

struct Param {
  std::string name;  // "mu"
  ArgKind kind;
  std::string doc;   // "(rate)"; for a vector or ints argument the words after its kind ("of probabilities"); may be empty
};

/// The functions that exist for a distribution, as a bit set.
enum Suffix : unsigned {
  kDensity = 1,      // _lpdf / _lpmf
  kUnnormalized = 2, // _lupdf / _lupmf
  kCdf = 4,          // _cdf
  kLcdf = 8,         // _lcdf
  kLccdf = 16,       // _lccdf
  kRng = 32,         // _rng
};

/// One distribution.
struct Distribution {
  std::string name;
  ArgKind variate;
  std::vector<Param> params;
  /// The graph's elementwise kernel (forward, reverse and batched evaluation); nullopt for the
  /// categorical family, which the model compiler builds from other nodes.
  std::optional<graph::Dist> kernel;
  std::string doc;
  /// Whether `_rng` exists (the GLMs have none).
  bool has_rng = true;
  /// The `_rng`'s return type when it is not the scalar rule's (the multivariate distributions):
  /// its arguments are the parameters.
  Resolver rng_type = nullptr;

  bool discrete() const { return variate == ArgKind::Ints; }
  /// Which suffixes exist: the densities and _rng always; the cdfs when the kernel has them.
  unsigned suffixes() const;
  /// The name of the function with suffix `s` ("normal_lpdf", "poisson_lpmf", "normal_cdf").
  std::string function_name(Suffix s) const;
};

const std::vector<Function>& functions();
const std::vector<Distribution>& distributions();
const Function* find_function(std::string_view name);
const Distribution* find_distribution(std::string_view name);

/// A call name resolved against the catalogue: a function, or a distribution with a suffix.
struct Builtin {
  const Function* function = nullptr;
  const Distribution* distribution = nullptr;
  Suffix suffix = kDensity;
};
/// "normal_lupdf" -> {normal, kUnnormalized}; "exp" -> {exp}; nullopt for unknown names and
/// suffixes a distribution does not have.
std::optional<Builtin> resolve(std::string_view name);

/// The return type of calling built-in `name` with arguments of types `args`, or nullopt when no
/// signature matches.
std::optional<Type> return_type(std::string_view name, const std::vector<Type>& args);
/// Whether `name` is a known built-in function (any signature).
bool is_builtin(std::string_view name);
/// For `y ~ dist(...)`: "dist_lpdf" or "dist_lpmf"; "" if `dist` is unknown.
std::string distribution_function(std::string_view dist);
/// Human-readable list of the signatures of `name`, for "no matching signature" messages.
std::string describe_signatures(std::string_view name);

/// The Markdown of one of docs/language.md's generated tables: "elementwise", "scalar",
/// "constants", "containers" or "distributions" ("" for any other name).
std::string markdown_table(std::string_view which);

}  // namespace mcmc::catalog

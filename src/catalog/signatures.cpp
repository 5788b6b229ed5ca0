// Argument classes and signature resolvers shared by the catalogue's records.
#include "catalog/signatures.hpp"

namespace mcmc::catalog::sig {

bool is_int_array1(const Type& t) { return t.base == BaseType::Int && t.array_dims == 1; }

bool is_real_sequence(const Type& t) {
  return t.is_vector_like() ||
         ((t.base == BaseType::Real || t.base == BaseType::Int) && t.array_dims == 1);
}

bool is_reals(const Type& t) { return t.is_scalar() || is_real_sequence(t); }

bool is_ints(const Type& t) { return t.is_int() || is_int_array1(t); }

bool is_numeric(const Type& t) {
  return t.base == BaseType::Int || t.base == BaseType::Real || t.base == BaseType::Vector ||
         t.base == BaseType::RowVector || t.base == BaseType::Matrix;
}

bool is_container(const Type& t) { return is_numeric(t) && (t.array_dims > 0 || t.is_linear_algebra()); }

bool matches(ArgKind kind, const Type& t) {
  switch (kind) {
    case ArgKind::Reals: return is_reals(t);
    case ArgKind::Ints: return is_ints(t);
    case ArgKind::Vector: return t == kVector;
    case ArgKind::Vectors:
      return (t.base == BaseType::Vector || t.base == BaseType::RowVector) && t.array_dims <= 1;
    case ArgKind::Matrix: return t.is_matrix();
  }
  return false;
}

const char* arg_name(ArgKind kind) {
  switch (kind) {
    case ArgKind::Reals: return "reals";
    case ArgKind::Ints: return "ints";
    case ArgKind::Vector: return "vector";
    case ArgKind::Vectors: return "vectors";
    case ArgKind::Matrix: return "matrix";
  }
  return "?";
}

Type promoted(const Type& t) {
  return t.base == BaseType::Int ? Type{BaseType::Real, t.array_dims} : t;
}

Result vectorized_unary(const Args& a) {
  if (a.size() != 1 || !is_numeric(a[0])) return std::nullopt;
  return promoted(a[0]);
}

Resolver scalars(int arity, Type result) {
  return [arity, result](const Args& a) -> Result {
    if (static_cast<int>(a.size()) != arity) return std::nullopt;
    for (const Type& t : a)
      if (!t.is_scalar()) return std::nullopt;
    return result;
  };
}

Resolver ints_only(int arity, Type result) {
  return [arity, result](const Args& a) -> Result {
    if (static_cast<int>(a.size()) != arity) return std::nullopt;
    for (const Type& t : a)
      if (!t.is_int()) return std::nullopt;
    return result;
  };
}

Result vectorized_binary(const Args& a) {
  if (a.size() != 2 || !is_numeric(a[0]) || !is_numeric(a[1])) return std::nullopt;
  if (a[0].is_scalar() && a[1].is_scalar()) return kReal;
  if (a[0].is_scalar()) return promoted(a[1]);
  if (a[1].is_scalar() || promoted(a[0]) == promoted(a[1])) return promoted(a[0]);
  return std::nullopt;
}

Result density(const Distribution& d, const Args& a) {
  if (a.size() != d.params.size() + 1 || !matches(d.variate, a[0])) return std::nullopt;
  for (std::size_t i = 0; i < d.params.size(); ++i)
    if (!matches(d.params[i].kind, a[i + 1])) return std::nullopt;
  return kReal;
}

Result rng(const Distribution& d, const Args& a) {
  if (a.size() != d.params.size()) return std::nullopt;
  bool any_container = false;
  for (std::size_t i = 0; i < d.params.size(); ++i) {
    if (!matches(d.params[i].kind, a[i])) return std::nullopt;
    if (d.params[i].kind != ArgKind::Vector && !a[i].is_scalar()) any_container = true;
  }
  BaseType base = d.discrete() ? BaseType::Int : BaseType::Real;
  return Type{base, any_container ? 1 : 0};
}

}  // namespace mcmc::catalog::sig

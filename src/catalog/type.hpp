// The types of the language's values, as far as the built-in catalogue's signatures need them.
#pragma once

namespace mcmc::catalog {

/// Element type of a value; containers are `array_dims` levels of arrays around it.
enum class BaseType { Int, Real, Vector, RowVector, Matrix, String, Void, Error };

/// A Stan type: `array[N, M] vector[K]` is {Vector, 2}.
struct Type {
  BaseType base = BaseType::Error;
  int array_dims = 0;

  friend bool operator==(const Type&, const Type&) = default;
  bool is_int() const { return base == BaseType::Int && array_dims == 0; }
  bool is_real() const { return base == BaseType::Real && array_dims == 0; }
  bool is_scalar() const { return array_dims == 0 && (base == BaseType::Int || base == BaseType::Real); }
  bool is_vector_like() const {
    return array_dims == 0 && (base == BaseType::Vector || base == BaseType::RowVector);
  }
  bool is_matrix() const { return array_dims == 0 && base == BaseType::Matrix; }
  /// vector, row_vector or matrix, not in an array.
  bool is_linear_algebra() const { return is_vector_like() || is_matrix(); }
};

}  // namespace mcmc::catalog

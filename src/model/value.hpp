// Values of the partial evaluator: shaped arrays whose elements are constants or graph node elements.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "graph/graph.hpp"
#include "lang/ast.hpp"

namespace mcmc::model {

/// One scalar: a constant (node < 0) or element `idx` of graph node `node`.
struct Ref {
  graph::NodeId node = graph::kNoNode;
  std::uint32_t idx = 0;
  double c = 0;

  bool is_const() const { return node < 0; }
  static Ref constant(double v) { return Ref{graph::kNoNode, 0, v}; }
  static Ref of(graph::NodeId n, std::uint32_t i) { return Ref{n, i, 0}; }
};

/// A value of any supported Stan type. `dims` are the array dimensions (outermost first)
/// followed, for vector and row_vector, by the vector length, for matrix by the rows and the
/// columns. Elements are row-major (a matrix's too; output columns are column-major as Stan's).
struct Value {
  lang::BaseType base = lang::BaseType::Real;
  std::vector<std::size_t> dims;
  std::vector<Ref> elems;

  bool is_vector_like() const {
    return base == lang::BaseType::Vector || base == lang::BaseType::RowVector;
  }
  bool is_matrix() const { return base == lang::BaseType::Matrix; }
  /// How many of `dims` belong to the element type: 1 for vectors, 2 for matrices, else 0.
  int own_dims() const { return is_matrix() ? 2 : is_vector_like() ? 1 : 0; }
  int array_dims() const { return static_cast<int>(dims.size()) - own_dims(); }
  std::size_t rows() const { return is_matrix() ? dims[dims.size() - 2] : base == lang::BaseType::RowVector ? 1 : dims.back(); }
  std::size_t cols() const { return is_matrix() || base == lang::BaseType::RowVector ? dims.back() : 1; }
  bool is_scalar() const { return dims.empty(); }
  bool is_int() const { return base == lang::BaseType::Int; }
  bool all_const() const {
    for (const Ref& r : elems)
      if (!r.is_const()) return false;
    return true;
  }
  std::size_t size() const { return elems.size(); }
  lang::Type type() const { return lang::Type{base, array_dims()}; }

  static Value scalar(double c, bool is_int = false) {
    Value v;
    v.base = is_int ? lang::BaseType::Int : lang::BaseType::Real;
    v.elems.push_back(Ref::constant(c));
    return v;
  }
  static Value scalar(Ref r) {
    Value v;
    v.base = lang::BaseType::Real;
    v.elems.push_back(r);
    return v;
  }
};

}  // namespace mcmc::model

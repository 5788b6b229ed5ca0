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
/// followed, for vector and row_vector, by the vector length. Elements are row-major.
struct Value {
  lang::BaseType base = lang::BaseType::Real;
  std::vector<std::size_t> dims;
  std::vector<Ref> elems;

  bool is_vector_like() const {
    return base == lang::BaseType::Vector || base == lang::BaseType::RowVector;
  }
  int array_dims() const { return static_cast<int>(dims.size()) - (is_vector_like() ? 1 : 0); }
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

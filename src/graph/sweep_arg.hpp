// One argument of a tape node as a sweep's kernels see it: values and adjoints of K chains with their strides.
#pragma once

#include <cstddef>

namespace mcmc::graph {

/// An argument's view: value pointer, adjoint pointer (null if constant), element and chain
/// strides (a constant has chain stride 0; a size-1 argument element stride 0).
struct Arg {
  const double* v;
  double* a;
  std::size_t es;
  std::size_t ks;
  double operator()(std::size_t i, std::size_t k) const { return v[i * es + k * ks]; }
  double& adj(std::size_t i, std::size_t k) const { return a[i * es + k * ks]; }
};

}  // namespace mcmc::graph

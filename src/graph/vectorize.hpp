// Loops over data as vector nodes: groups of scalar log-density terms with the same arithmetic become one vector expression.
#pragma once

#include <span>
#include <vector>

#include "graph/graph.hpp"

namespace mcmc::graph {

/// Rewrites the terms of a log density (to be summed) so that a loop's per-iteration scalar
/// terms cost one vector node per operation instead of one node per operation and iteration.
///
/// Terms are grouped when they compute the same scalar expression tree (elementwise Unary,
/// Binary, and one-element Dist nodes with the same functions and flags) and differ only in
/// their leaves. Each group becomes one tree of vector nodes: a leaf that is the same node in
/// every term stays a broadcast scalar, constant leaves become a constant vector (the data),
/// other leaves a Gather of the terms' nodes; a Dist inside the tree becomes DistElems, a Dist
/// at the root a summed Dist (so that the sufficient-statistics rewrites of Graph::dist apply).
/// A subtree whose terms depend on each other (a recursion such as x[t] = f(x[t-1])) stays
/// scalar and enters as a Gather.
///
/// Every element is computed by the same operations on the same values as in its scalar term,
/// so only the order of the final summation changes. Groups of fewer than `min_group` terms,
/// and terms of any other shape, are returned unchanged. The scalar nodes replaced stay in the
/// graph and are dropped by the tape as dead.
std::vector<NodeId> vectorize_terms(Graph& g, std::span<const NodeId> terms, std::size_t min_group = 8);

}  // namespace mcmc::graph

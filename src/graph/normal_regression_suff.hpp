// normal(y | X * beta [+ alpha], sigma) with data y and X (also normal_id_glm) reduced to sufficient statistics: O(K^2) per gradient, not O(N K).
#pragma once

#include "graph/graph.hpp"

namespace mcmc::graph {

/// The normal log density of constant y (size N > 1) with mean `mu` = X * beta, X * beta + alpha
/// or alpha + X * beta (a MatMul node of a constant N x K matrix X and a K-vector beta, N > K,
/// alpha scalar) and scalar `sigma`, summed over the elements, as graph nodes over statistics of
/// the data: with Xc, yc the centred X and y and b the least-squares fit of yc on Xc,
///   sum (y - mu)^2 = |yc - Xc b|^2 + (beta - b)' Xc'Xc (beta - b) + N (mean(y) - mean(X) beta - alpha)^2,
/// each term non-negative and the first computed from the residuals (no cancellation). The same
/// terms as Dist::Normal's are kept under `propto`. kNoNode when the form does not match or the
/// data do not allow it (non-finite values, X of rank < K, a constant sigma <= 0).
NodeId normal_regression_suff(Graph& g, NodeId y, NodeId mu, NodeId sigma, bool propto);

}  // namespace mcmc::graph

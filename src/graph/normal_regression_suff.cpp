// normal(y | X * beta [+ alpha], sigma) with data y and X (also normal_id_glm) reduced to sufficient statistics: O(K^2) per gradient, not O(N K).
#include "graph/normal_regression_suff.hpp"

#include <cmath>
#include <vector>

#include <Eigen/Dense>

namespace mcmc::graph {

NodeId normal_regression_suff(Graph& g, NodeId y, NodeId mu, NodeId sigma, bool propto) {
  if (!g.is_const(y) || g.is_const(mu) || g.size(sigma) != 1) return kNoNode;
  const std::uint32_t N = g.size(y);
  if (N < 2 || g.size(mu) != N) return kNoNode;
  // mu: X * beta, or X * beta + alpha either way round.
  NodeId prod = mu, alpha = kNoNode;
  const Node& m = g.nodes()[mu];
  if (m.op == Op::Binary && m.fn == static_cast<std::uint16_t>(BinaryFn::Add)) {
    auto a = g.args(m);
    for (int k = 0; k < 2 && prod == mu; ++k)
      if (g.size(a[k]) == 1 && g.nodes()[a[1 - k]].op == Op::MatMul) {
        alpha = a[k];
        prod = a[1 - k];
      }
    if (prod == mu) return kNoNode;
  }
  const Node& p = g.nodes()[prod];
  if (p.op != Op::MatMul) return kNoNode;
  auto pa = g.args(p);
  const std::uint32_t K = p.flags;
  if (!g.is_const(pa[0]) || g.is_const(pa[1]) || K == 0 || N <= K || g.size(pa[0]) != N * K || g.size(pa[1]) != K ||
      p.size != N)
    return kNoNode;
  if (g.is_const(sigma) && !(g.const_values(sigma)[0] > 0)) return kNoNode;
  const NodeId beta = pa[1];

  // The statistics, in Eigen: column means, the centred data, the least-squares fit by QR.
  auto xs = g.const_values(pa[0]);
  auto ys = g.const_values(y);
  Eigen::MatrixXd X(N, K);
  Eigen::VectorXd Y(N);
  for (std::uint32_t i = 0; i < N; ++i) {
    Y(i) = ys[i];
    for (std::uint32_t j = 0; j < K; ++j) X(i, j) = xs[static_cast<std::size_t>(i) * K + j];
  }
  if (!X.allFinite() || !Y.allFinite()) return kNoNode;
  const Eigen::RowVectorXd xbar = X.colwise().mean();
  const double ybar = Y.mean();
  const Eigen::MatrixXd Xc = X.rowwise() - xbar;
  const Eigen::VectorXd Yc = Y.array() - ybar;
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(Xc);
  if (qr.rank() < static_cast<Eigen::Index>(K)) return kNoNode;
  const Eigen::VectorXd b = qr.solve(Yc);
  const double ssr = (Yc - Xc * b).squaredNorm();
  const Eigen::MatrixXd C = Xc.transpose() * Xc;
  if (!b.allFinite() || !std::isfinite(ssr) || !C.allFinite()) return kNoNode;

  std::vector<double> cv(static_cast<std::size_t>(K) * K), bv(K), xv(K);
  for (std::uint32_t i = 0; i < K; ++i) {
    bv[i] = b(i);
    xv[i] = xbar(i);
    for (std::uint32_t j = 0; j < K; ++j) cv[static_cast<std::size_t>(i) * K + j] = C(i, j);
  }
  const double n = static_cast<double>(N);
  // (beta - b)' C (beta - b)
  const NodeId db = g.binary(BinaryFn::Sub, beta, g.constant(bv));
  const NodeId cdb = g.matmul(g.constant(cv), db, K, K, 1);
  const NodeId quad = g.sum(std::vector<NodeId>{g.binary(BinaryFn::Mul, db, cdb)});
  // mean(y) - mean(X) beta - alpha
  NodeId d = g.binary(BinaryFn::Sub, g.constant(ybar), g.matmul(g.constant(xv), beta, 1, K, 1));
  if (alpha != kNoNode) d = g.binary(BinaryFn::Sub, d, alpha);
  const NodeId nd2 = g.binary(BinaryFn::Mul, g.constant(n), g.binary(BinaryFn::Mul, d, d));
  const NodeId ss = g.sum(std::vector<NodeId>{g.constant(ssr), quad, nd2});
  std::vector<NodeId> terms{
      g.binary(BinaryFn::Mul, g.constant(-0.5), g.binary(BinaryFn::Div, ss, g.binary(BinaryFn::Mul, sigma, sigma)))};
  if (!propto || !g.is_const(sigma))
    terms.push_back(g.binary(BinaryFn::Mul, g.constant(-n), g.unary(UnaryFn::Log, sigma)));
  if (!propto) terms.push_back(g.constant(-n * 0.91893853320467274178));
  return g.sum(terms);
}

}  // namespace mcmc::graph

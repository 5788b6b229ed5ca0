// The graph's matrix operations: products and the Cholesky factor, their construction with constant folding and their kernels (Eigen for the factorization and the triangular solves of its adjoint).
#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <vector>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include "graph/graph.hpp"
#include "graph/matrix_kernels.hpp"

namespace mcmc::graph {

namespace {
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Stan's check_symmetric tolerance (absolute, 1e-8).
constexpr double kSymmetryTolerance = 1e-8;

// The lower Cholesky factor of one symmetric matrix; false when it is not symmetric or not
// positive definite.
bool cholesky_of(const RowMatrix& a, RowMatrix& l) {
  const Eigen::Index n = a.rows();
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < i; ++j)
      if (!(std::fabs(a(i, j) - a(j, i)) <= kSymmetryTolerance)) return false;
  Eigen::LLT<RowMatrix> llt(a);
  if (llt.info() != Eigen::Success) return false;
  l = llt.matrixL();
  for (Eigen::Index i = 0; i < n; ++i)
    if (!(l(i, i) > 0) || !std::isfinite(l(i, i))) return false;
  return true;
}
}  // namespace

NodeId Graph::matmul(NodeId a, NodeId b, std::uint32_t m, std::uint32_t k, std::uint32_t n) {
  if (is_const(a) && is_const(b)) {
    auto x = const_values(a), y = const_values(b);
    std::vector<double> out(static_cast<std::size_t>(m) * n, 0.0);
    for (std::uint32_t i = 0; i < m; ++i)
      for (std::uint32_t l = 0; l < k; ++l)
        for (std::uint32_t j = 0; j < n; ++j) out[i * n + j] += x[i * k + l] * y[l * n + j];
    return constant(out);
  }
  Node nd;
  nd.op = Op::MatMul;
  nd.flags = k;
  nd.size = m * n;
  NodeId args[] = {a, b};
  return add(nd, args);
}

NodeId Graph::cholesky(NodeId a, std::uint32_t n) {
  if (is_const(a)) {
    const auto N = static_cast<Eigen::Index>(n);
    RowMatrix m(N, N), l(N, N);
    auto v = const_values(a);
    std::copy(v.begin(), v.end(), m.data());
    if (!cholesky_of(m, l)) l.setConstant(std::numeric_limits<double>::quiet_NaN());
    return constant(std::span<const double>(l.data(), static_cast<std::size_t>(N * N)));
  }
  Node nd;
  nd.op = Op::Cholesky;
  nd.flags = n;
  nd.size = n * n;
  NodeId args[] = {a};
  return add(nd, args);
}

void matmul_forward(const Arg& A, const Arg& B, double* out, std::size_t m, std::size_t k,
                    std::size_t n, std::size_t K) {
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      double* o = out + (i * n + j) * K;
      for (std::size_t c = 0; c < K; ++c) o[c] = 0;
      for (std::size_t l = 0; l < k; ++l)
        for (std::size_t c = 0; c < K; ++c) o[c] += A(i * k + l, c) * B(l * n + j, c);
    }
}

void matmul_reverse(const Arg& A, const Arg& B, const double* g, std::size_t m, std::size_t k,
                    std::size_t n, std::size_t K) {
  if (A.a)
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t l = 0; l < k; ++l)
        for (std::size_t j = 0; j < n; ++j)
          for (std::size_t c = 0; c < K; ++c) A.adj(i * k + l, c) += g[(i * n + j) * K + c] * B(l * n + j, c);
  if (B.a)
    for (std::size_t l = 0; l < k; ++l)
      for (std::size_t j = 0; j < n; ++j)
        for (std::size_t i = 0; i < m; ++i)
          for (std::size_t c = 0; c < K; ++c) B.adj(l * n + j, c) += A(i * k + l, c) * g[(i * n + j) * K + c];
}

void cholesky_forward(const Arg& A, double* out, std::size_t n, std::size_t K, std::uint8_t* reject) {
  const auto N = static_cast<Eigen::Index>(n);
  RowMatrix a(N, N), l(N, N);
  for (std::size_t c = 0; c < K; ++c) {
    for (std::size_t i = 0; i < n * n; ++i) a.data()[i] = A(i, c);
    bool ok = cholesky_of(a, l);
    if (!ok) reject[c] = 1;
    for (std::size_t i = 0; i < n * n; ++i)
      out[i * K + c] = ok ? l.data()[i] : std::numeric_limits<double>::quiet_NaN();
  }
}

void cholesky_reverse(const Arg& A, const double* L, const double* g, std::size_t n, std::size_t K) {
  if (!A.a) return;
  const auto N = static_cast<Eigen::Index>(n);
  RowMatrix l(N, N), lbar(N, N);
  for (std::size_t c = 0; c < K; ++c) {
    for (std::size_t i = 0; i < n * n; ++i) {
      l.data()[i] = L[i * K + c];
      lbar.data()[i] = g[i * K + c];
    }
    RowMatrix lower_bar = lbar.triangularView<Eigen::Lower>();
    RowMatrix phi = (l.transpose() * lower_bar).triangularView<Eigen::Lower>();
    phi.diagonal() *= 0.5;
    // Y = L^-T phi L^-1: solve L^T Z = phi, then L^T Y^T = Z^T.
    RowMatrix z = l.transpose().triangularView<Eigen::Upper>().solve(phi);
    RowMatrix y = l.transpose().triangularView<Eigen::Upper>().solve(z.transpose()).transpose();
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j <= i; ++j) {
        double d = i == j ? y(i, i) : y(i, j) + y(j, i);
        A.adj(i * n + j, c) += d;
      }
  }
}

}  // namespace mcmc::graph

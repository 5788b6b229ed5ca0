// The graph's matrix operations: products and the Cholesky factor, their construction with constant folding and their kernels (Eigen for the factorization and the triangular solves of its adjoint).
#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <vector>

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/Eigenvalues>
#include <Eigen/LU>
#include <Eigen/SVD>

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
// The symmetric matrix whose lower triangle is a's (what the eigen-solver reads).
RowMatrix lower_symmetric(const RowMatrix& a) {
  RowMatrix s = a;
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = i + 1; j < a.cols(); ++j) s(i, j) = a(j, i);
  return s;
}

std::size_t linalg_size(LinAlgFn f, std::size_t m, std::size_t n) {
  switch (f) {
    case LinAlgFn::Inverse: case LinAlgFn::EigenvectorsSym: return m * n;
    case LinAlgFn::Determinant: return 1;
    case LinAlgFn::EigenvaluesSym: return m;
    case LinAlgFn::SingularValues: return std::min(m, n);
  }
  return 0;
}

// f(a) into y (linalg_size values, row-major); false when a is singular (Inverse) or the
// decomposition fails.
bool linalg_of(LinAlgFn f, const RowMatrix& a, double* y) {
  const Eigen::Index m = a.rows(), n = a.cols();
  switch (f) {
    case LinAlgFn::Inverse: {
      Eigen::PartialPivLU<RowMatrix> lu(a);
      double det = m == 0 ? 1.0 : lu.determinant();
      if (det == 0 || !std::isfinite(det)) return false;
      RowMatrix inv = lu.inverse();
      std::copy(inv.data(), inv.data() + m * n, y);
      return true;
    }
    case LinAlgFn::Determinant:
      y[0] = m == 0 ? 1.0 : a.partialPivLu().determinant();
      return std::isfinite(y[0]);
    case LinAlgFn::EigenvaluesSym:
    case LinAlgFn::EigenvectorsSym: {
      if (m == 0) return true;
      Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(Eigen::MatrixXd(lower_symmetric(a)));
      if (es.info() != Eigen::Success) return false;
      if (f == LinAlgFn::EigenvaluesSym) {
        for (Eigen::Index i = 0; i < m; ++i) y[i] = es.eigenvalues()(i);
      } else {
        for (Eigen::Index i = 0; i < m; ++i)
          for (Eigen::Index j = 0; j < m; ++j) y[i * m + j] = es.eigenvectors()(i, j);
      }
      return true;
    }
    case LinAlgFn::SingularValues: {
      if (m == 0 || n == 0) return true;
      Eigen::JacobiSVD<Eigen::MatrixXd> svd{Eigen::MatrixXd(a)};
      for (Eigen::Index i = 0; i < std::min(m, n); ++i) y[i] = svd.singularValues()(i);
      return true;
    }
  }
  return false;
}
}  // namespace

NodeId Graph::linalg(LinAlgFn f, NodeId a, std::uint32_t rows) {
  const std::size_t m = rows, n = rows == 0 ? 0 : size(a) / rows;
  if (is_const(a)) {
    RowMatrix x(static_cast<Eigen::Index>(m), static_cast<Eigen::Index>(n));
    auto v = const_values(a);
    std::copy(v.begin(), v.end(), x.data());
    std::vector<double> y(linalg_size(f, m, n));
    if (!linalg_of(f, x, y.data())) std::fill(y.begin(), y.end(), std::numeric_limits<double>::quiet_NaN());
    return constant(y);
  }
  Node nd;
  nd.op = Op::LinAlg;
  nd.fn = static_cast<std::uint16_t>(f);
  nd.flags = rows;
  nd.size = static_cast<std::uint32_t>(linalg_size(f, m, n));
  NodeId args[] = {a};
  return add(nd, args);
}

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

NodeId Graph::log_determinant(NodeId a, std::uint32_t n) {
  if (is_const(a)) {
    const auto N = static_cast<Eigen::Index>(n);
    RowMatrix m(N, N);
    auto v = const_values(a);
    std::copy(v.begin(), v.end(), m.data());
    return constant(N == 0 ? 0.0 : std::log(std::fabs(m.partialPivLu().determinant())));
  }
  Node nd;
  nd.op = Op::LogDet;
  nd.flags = n;
  nd.size = 1;
  NodeId args[] = {a};
  return add(nd, args);
}

NodeId Graph::tri_solve(NodeId l, NodeId b, std::uint32_t n) {
  const std::uint32_t m = n == 0 ? 0 : size(b) / n;
  if (is_const(l) && is_const(b)) {
    const auto N = static_cast<Eigen::Index>(n), M = static_cast<Eigen::Index>(m);
    RowMatrix lm(N, N), bm(N, M);
    auto lv = const_values(l), bv = const_values(b);
    std::copy(lv.begin(), lv.end(), lm.data());
    std::copy(bv.begin(), bv.end(), bm.data());
    RowMatrix x = lm.triangularView<Eigen::Lower>().solve(bm);
    return constant(std::span<const double>(x.data(), static_cast<std::size_t>(N * M)));
  }
  Node nd;
  nd.op = Op::TriSolve;
  nd.flags = n;
  nd.size = n * m;
  NodeId args[] = {l, b};
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

void logdet_forward(const Arg& A, double* out, std::size_t n, std::size_t K, std::uint8_t* reject) {
  const auto N = static_cast<Eigen::Index>(n);
  RowMatrix a(N, N);
  for (std::size_t c = 0; c < K; ++c) {
    for (std::size_t i = 0; i < n * n; ++i) a.data()[i] = A(i, c);
    double d = N == 0 ? 1.0 : a.partialPivLu().determinant();
    if (d == 0 || !std::isfinite(d)) reject[c] = 1;
    out[c] = std::log(std::fabs(d));
  }
}

void logdet_reverse(const Arg& A, const double* g, std::size_t n, std::size_t K) {
  if (!A.a || n == 0) return;
  const auto N = static_cast<Eigen::Index>(n);
  RowMatrix a(N, N);
  for (std::size_t c = 0; c < K; ++c) {
    for (std::size_t i = 0; i < n * n; ++i) a.data()[i] = A(i, c);
    RowMatrix inv_t = a.partialPivLu().inverse().transpose();
    for (std::size_t i = 0; i < n * n; ++i) A.adj(i, c) += g[c] * inv_t.data()[i];
  }
}

void trisolve_forward(const Arg& L, const Arg& B, double* out, std::size_t n, std::size_t m, std::size_t K,
                      std::uint8_t* reject) {
  const auto N = static_cast<Eigen::Index>(n), M = static_cast<Eigen::Index>(m);
  RowMatrix l(N, N), b(N, M);
  for (std::size_t c = 0; c < K; ++c) {
    for (std::size_t i = 0; i < n * n; ++i) l.data()[i] = L(i, c);
    for (std::size_t i = 0; i < n * m; ++i) b.data()[i] = B(i, c);
    for (Eigen::Index i = 0; i < N; ++i)
      if (l(i, i) == 0) reject[c] = 1;
    RowMatrix x = l.triangularView<Eigen::Lower>().solve(b);
    for (std::size_t i = 0; i < n * m; ++i) out[i * K + c] = x.data()[i];
  }
}

void trisolve_reverse(const Arg& L, const Arg& B, const double* X, const double* g, std::size_t n, std::size_t m,
                      std::size_t K) {
  if (!L.a && !B.a) return;
  const auto N = static_cast<Eigen::Index>(n), M = static_cast<Eigen::Index>(m);
  RowMatrix l(N, N), x(N, M), xbar(N, M);
  for (std::size_t c = 0; c < K; ++c) {
    for (std::size_t i = 0; i < n * n; ++i) l.data()[i] = L(i, c);
    for (std::size_t i = 0; i < n * m; ++i) {
      x.data()[i] = X[i * K + c];
      xbar.data()[i] = g[i * K + c];
    }
    // X = L^-1 B: Bbar = L^-T Xbar, Lbar = -tril(Bbar X^T).
    RowMatrix bbar = l.triangularView<Eigen::Lower>().transpose().solve(xbar);
    if (B.a)
      for (std::size_t i = 0; i < n * m; ++i) B.adj(i, c) += bbar.data()[i];
    if (L.a) {
      RowMatrix lbar = bbar * x.transpose();
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j <= i; ++j) L.adj(i * n + j, c) -= lbar(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
    }
  }
}

void linalg_forward(LinAlgFn f, const Arg& A, double* out, std::size_t m, std::size_t n, std::size_t K,
                    std::uint8_t* reject) {
  RowMatrix a(static_cast<Eigen::Index>(m), static_cast<Eigen::Index>(n));
  const std::size_t size = linalg_size(f, m, n);
  std::vector<double> y(size);
  for (std::size_t c = 0; c < K; ++c) {
    for (std::size_t i = 0; i < m * n; ++i) a.data()[i] = A(i, c);
    if (!linalg_of(f, a, y.data())) {
      reject[c] = 1;
      std::fill(y.begin(), y.end(), std::numeric_limits<double>::quiet_NaN());
    }
    for (std::size_t i = 0; i < size; ++i) out[i * K + c] = y[i];
  }
}

void linalg_reverse(LinAlgFn f, const Arg& A, const double* Y, const double* g, std::size_t m, std::size_t n,
                    std::size_t K) {
  if (!A.a || m == 0 || n == 0) return;
  const auto M = static_cast<Eigen::Index>(m), N = static_cast<Eigen::Index>(n);
  RowMatrix a(M, N), abar(M, N);
  for (std::size_t c = 0; c < K; ++c) {
    for (std::size_t i = 0; i < m * n; ++i) a.data()[i] = A(i, c);
    bool lower_only = false;  // the symmetric eigen-solver reads the lower triangle
    switch (f) {
      case LinAlgFn::Inverse: {
        RowMatrix y(M, N), ybar(M, N);
        for (std::size_t i = 0; i < m * n; ++i) {
          y.data()[i] = Y[i * K + c];
          ybar.data()[i] = g[i * K + c];
        }
        abar = -(y.transpose() * ybar * y.transpose());
        break;
      }
      case LinAlgFn::Determinant: {
        const double det = Y[c];
        if (det == 0) abar.setZero();
        else abar = (g[c] * det) * RowMatrix(a.partialPivLu().inverse().transpose());
        break;
      }
      case LinAlgFn::EigenvaluesSym:
      case LinAlgFn::EigenvectorsSym: {
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(Eigen::MatrixXd(lower_symmetric(a)));
        const Eigen::MatrixXd& v = es.eigenvectors();
        const Eigen::VectorXd& lambda = es.eigenvalues();
        if (f == LinAlgFn::EigenvaluesSym) {
          Eigen::VectorXd lbar(M);
          for (Eigen::Index i = 0; i < M; ++i) lbar(i) = g[static_cast<std::size_t>(i) * K + c];
          abar = v * lbar.asDiagonal() * v.transpose();
        } else {
          Eigen::MatrixXd vbar(M, M);
          for (Eigen::Index i = 0; i < M; ++i)
            for (Eigen::Index j = 0; j < M; ++j) vbar(i, j) = g[static_cast<std::size_t>(i * M + j) * K + c];
          Eigen::MatrixXd inner = v.transpose() * vbar;
          for (Eigen::Index i = 0; i < M; ++i)
            for (Eigen::Index j = 0; j < M; ++j) inner(i, j) = i == j ? 0.0 : inner(i, j) / (lambda(j) - lambda(i));
          abar = v * inner * v.transpose();
        }
        lower_only = true;
        break;
      }
      case LinAlgFn::SingularValues: {
        Eigen::JacobiSVD<Eigen::MatrixXd> svd(Eigen::MatrixXd(a), Eigen::ComputeThinU | Eigen::ComputeThinV);
        const Eigen::Index r = std::min(M, N);
        Eigen::VectorXd sbar(r);
        for (Eigen::Index i = 0; i < r; ++i) sbar(i) = g[static_cast<std::size_t>(i) * K + c];
        abar = svd.matrixU() * sbar.asDiagonal() * svd.matrixV().transpose();
        break;
      }
    }
    for (Eigen::Index i = 0; i < M; ++i)
      for (Eigen::Index j = 0; j < N; ++j) {
        if (lower_only && j > i) continue;
        double d = lower_only && j < i ? abar(i, j) + abar(j, i) : abar(i, j);
        A.adj(static_cast<std::size_t>(i * N + j), c) += d;
      }
  }
}

}  // namespace mcmc::graph

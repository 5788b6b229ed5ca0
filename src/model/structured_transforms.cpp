// Stan's simplex (stick-breaking), ordered and positive_ordered transforms with their Jacobians and inverses, and the column-major unconstrained order of matrices.
#include "model/structured_transforms.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <Eigen/Dense>

#include <fmt/format.h>

#include "graph/functions.hpp"
#include "util/error.hpp"

namespace mcmc::model {

using graph::BinaryFn;
using graph::NodeId;
using graph::UnaryFn;
using lang::Structure;

namespace {
// Stan's tolerance for |sum(simplex) - 1|.
constexpr double kSimplexTolerance = 1e-8;

std::size_t vector_length(const Value& shape) { return shape.dims.empty() ? 1 : shape.dims.back(); }
std::size_t vector_count(const Value& shape) {
  std::size_t k = vector_length(shape);
  return k == 0 ? 0 : shape.size() / k;
}
std::string element_name(const std::string& name, const Value& shape, std::size_t v) {
  if (shape.array_dims() == 0) return name;
  std::string idx;
  std::size_t rest = v;
  std::vector<std::size_t> parts(static_cast<std::size_t>(shape.array_dims()));
  for (std::size_t d = parts.size(); d-- > 0;) {
    parts[d] = rest % shape.dims[d] + 1;
    rest /= shape.dims[d];
  }
  return fmt::format("{}[{}]", name, fmt::join(parts, ","));
}
}  // namespace

namespace {
// cholesky_factor_corr[K]: K x K blocks.
std::size_t corr_count(const Value& shape) {
  std::size_t k = shape.dims.back();
  return k == 0 ? 0 : shape.size() / (k * k);
}

// Stan's cholesky_corr_constrain: z = tanh(u) (the canonical partial correlations, row by row
// below the diagonal), L[i, 0] = z, L[i, j] = z sqrt(1 - sum of squares so far), L[i, i] the
// rest; the Jacobian log(1 - z^2) per z plus 0.5 log(1 - sum of squares) per inner element.
Value cholesky_corr_constrain(Interp& in, const Value& shape, NodeId u, bool jacobian) {
  graph::Graph& g = in.graph();
  const std::size_t K = shape.dims.back(), nm = corr_count(shape), per = K * (K - 1) / 2;
  Value out = shape;
  std::vector<NodeId> jac;
  NodeId one = g.constant(1.0);
  for (std::size_t m = 0; m < nm; ++m) {
    std::size_t next = m * per;
    Ref* L = out.elems.data() + m * K * K;
    for (std::size_t i = 0; i < K; ++i)
      for (std::size_t j = 0; j < K; ++j) L[i * K + j] = Ref::constant(i == j && i == 0 ? 1.0 : 0.0);
    for (std::size_t i = 1; i < K; ++i) {
      NodeId sum_sqs = graph::kNoNode;
      for (std::size_t j = 0; j < i; ++j) {
        NodeId y = g.element(u, static_cast<std::uint32_t>(next++));
        NodeId z = g.unary(UnaryFn::Tanh, y);
        if (jacobian) jac.push_back(g.unary(UnaryFn::Log1m, g.unary(UnaryFn::Square, z)));
        NodeId x = z;
        if (j > 0) {
          NodeId rest = g.binary(BinaryFn::Sub, one, sum_sqs);
          if (jacobian) jac.push_back(g.binary(BinaryFn::Mul, g.constant(0.5), g.unary(UnaryFn::Log, rest)));
          x = g.binary(BinaryFn::Mul, z, g.unary(UnaryFn::Sqrt, rest));
        }
        NodeId sq = g.unary(UnaryFn::Square, x);
        sum_sqs = j == 0 ? sq : g.binary(BinaryFn::Add, sum_sqs, sq);
        L[i * K + j] = in.ref_of(x);
      }
      L[i * K + i] = in.ref_of(g.unary(UnaryFn::Sqrt, g.binary(BinaryFn::Sub, one, sum_sqs)));
    }
  }
  if (!jac.empty()) {
    in.target_terms().push_back(g.sum(jac));
    in.target_sources().push_back(lang::Pos{});
  }
  return out;
}
}  // namespace

namespace {
std::size_t matrix_count(const Value& shape) {
  std::size_t block = shape.rows() * shape.cols();
  return block == 0 ? 0 : shape.size() / block;
}

/// Per matrix of a cholesky_factor_cov[M, N], cov_matrix[K] (M = N = K): Stan's row-by-row
/// lower triangle, the diagonal through exp (cholesky_factor_constrain / cov_matrix_constrain).
std::size_t cholesky_cov_size(std::size_t M, std::size_t N) { return N * (N + 1) / 2 + (M - N) * N; }

/// The lower-triangular M x N factor from u[base..]: row m < N holds m free values then log L[m, m];
/// rows m >= N are free. `diag` receives the free values of the diagonal.
Value cholesky_cov_factor(Interp& in, std::size_t M, std::size_t N, NodeId u, std::size_t base, std::vector<NodeId>& diag) {
  graph::Graph& g = in.graph();
  Value L;
  L.base = lang::BaseType::Matrix;
  L.dims = {M, N};
  L.elems.assign(M * N, Ref::constant(0.0));
  std::size_t pos = base;
  for (std::size_t m = 0; m < M; ++m) {
    const std::size_t free_cols = m < N ? m : N;
    for (std::size_t n = 0; n < free_cols; ++n) L.elems[m * N + n] = in.ref_of(g.element(u, static_cast<std::uint32_t>(pos++)));
    if (m < N) {
      NodeId y = g.element(u, static_cast<std::uint32_t>(pos++));
      diag.push_back(y);
      L.elems[m * N + m] = in.ref_of(g.unary(UnaryFn::Exp, y));
    }
  }
  return L;
}

void put_matrix(Value& out, std::size_t m, const Value& x) {
  std::copy(x.elems.begin(), x.elems.end(), out.elems.begin() + static_cast<std::ptrdiff_t>(m * x.size()));
}

Value lower_times_transpose(Interp& in, const Value& L) { return in.matrix_product(L, Interp::transpose(L), lang::Pos{}); }

void add_jacobian(Interp& in, const std::vector<NodeId>& jac) {
  if (jac.empty()) return;
  in.target_terms().push_back(in.graph().sum(jac));
  in.target_sources().push_back(lang::Pos{});
}

Value cholesky_cov_constrain(Interp& in, const Value& shape, NodeId u, bool jacobian) {
  const std::size_t M = shape.rows(), N = shape.cols();
  if (N > M) in.fail(lang::Pos{}, fmt::format("cholesky_factor_cov[{}, {}]: the rows must be at least the columns", M, N));
  Value out = shape;
  std::vector<NodeId> jac;
  for (std::size_t m = 0; m < matrix_count(shape); ++m)
    put_matrix(out, m, cholesky_cov_factor(in, M, N, u, m * cholesky_cov_size(M, N), jac));
  if (jacobian) add_jacobian(in, jac);  // log |dL/du| = the free values of the diagonal
  return out;
}

// Stan's cov_matrix_constrain: Sigma = L L', log |J| = K log 2 + sum_k (K - k + 1) u_kk (0-based k).
Value cov_matrix_constrain(Interp& in, const Value& shape, NodeId u, bool jacobian) {
  graph::Graph& g = in.graph();
  const std::size_t K = shape.rows();
  Value out = shape;
  std::vector<NodeId> jac;
  for (std::size_t m = 0; m < matrix_count(shape); ++m) {
    std::vector<NodeId> diag;
    Value L = cholesky_cov_factor(in, K, K, u, m * cholesky_cov_size(K, K), diag);
    put_matrix(out, m, lower_times_transpose(in, L));
    if (!jacobian) continue;
    jac.push_back(g.constant(static_cast<double>(K) * std::log(2.0)));
    for (std::size_t k = 0; k < K; ++k)
      jac.push_back(g.binary(BinaryFn::Mul, g.constant(static_cast<double>(K - k + 1)), diag[k]));
  }
  add_jacobian(in, jac);
  return out;
}

// Stan's corr_matrix_constrain: canonical partial correlations z = tanh(u), taken column by
// column below the diagonal (read_corr_L), L[r, c] = z sqrt(acc_r) with acc_r the product of
// (1 - z^2) of row r so far, Omega = L L'. log |J| = sum log(1 - z^2)
// + 0.5 sum_c (K - c - 2) sum_{r > c} log(1 - z_rc^2) (0-based c).
Value corr_matrix_constrain(Interp& in, const Value& shape, NodeId u, bool jacobian) {
  graph::Graph& g = in.graph();
  const std::size_t K = shape.rows(), per = K * (K - 1) / 2;
  Value out = shape;
  std::vector<NodeId> jac;
  NodeId one = g.constant(1.0);
  for (std::size_t m = 0; m < matrix_count(shape); ++m) {
    Value L;
    L.base = lang::BaseType::Matrix;
    L.dims = {K, K};
    L.elems.assign(K * K, Ref::constant(0.0));
    if (K > 0) L.elems[0] = Ref::constant(1.0);
    std::vector<NodeId> acc(K, graph::kNoNode);  // acc[r]: 1 - sum of squares of row r so far
    std::size_t pos = m * per;
    for (std::size_t c = 0; c + 1 < K; ++c) {
      if (c > 0) L.elems[c * K + c] = in.ref_of(g.unary(UnaryFn::Sqrt, acc[c]));
      for (std::size_t r = c + 1; r < K; ++r) {
        NodeId z = g.unary(UnaryFn::Tanh, g.element(u, static_cast<std::uint32_t>(pos++)));
        NodeId l1mz2 = g.binary(BinaryFn::Sub, one, g.unary(UnaryFn::Square, z));
        if (jacobian) {
          jac.push_back(g.unary(UnaryFn::Log, l1mz2));
          if (K >= c + 3)
            jac.push_back(g.binary(BinaryFn::Mul, g.constant(0.5 * static_cast<double>(K - c - 2)), g.unary(UnaryFn::Log, l1mz2)));
        }
        L.elems[r * K + c] = in.ref_of(c == 0 ? z : g.binary(BinaryFn::Mul, z, g.unary(UnaryFn::Sqrt, acc[r])));
        acc[r] = c == 0 ? l1mz2 : g.binary(BinaryFn::Mul, acc[r], l1mz2);
      }
    }
    if (K > 1) L.elems[K * K - 1] = in.ref_of(g.unary(UnaryFn::Sqrt, acc[K - 1]));
    put_matrix(out, m, lower_times_transpose(in, L));
  }
  add_jacobian(in, jac);
  return out;
}

// Stan's unit_vector_constrain: x = u / |u|, log |J| = -0.5 u'u.
Value unit_vector_constrain(Interp& in, const Value& shape, NodeId u, bool jacobian) {
  graph::Graph& g = in.graph();
  const std::size_t K = shape.dims.empty() ? 1 : shape.dims.back();
  const std::size_t nv = K == 0 ? 0 : shape.size() / K;
  Value out = shape;
  std::vector<NodeId> jac;
  for (std::size_t v = 0; v < nv; ++v) {
    std::vector<NodeId> sq;
    for (std::size_t k = 0; k < K; ++k) sq.push_back(g.unary(UnaryFn::Square, g.element(u, static_cast<std::uint32_t>(v * K + k))));
    NodeId sn = g.sum(sq);
    g.check(sn, g.constant(std::numeric_limits<double>::min()), true);  // Stan: |u|^2 positive
    NodeId inv_norm = g.binary(BinaryFn::Div, g.constant(1.0), g.unary(UnaryFn::Sqrt, sn));
    for (std::size_t k = 0; k < K; ++k)
      out.elems[v * K + k] = in.ref_of(g.binary(BinaryFn::Mul, g.element(u, static_cast<std::uint32_t>(v * K + k)), inv_norm));
    if (jacobian) jac.push_back(g.binary(BinaryFn::Mul, g.constant(-0.5), sn));
  }
  add_jacobian(in, jac);
  return out;
}

// Stan's (2.36) sum_to_zero_constrain, the inverse isometric log-ratio transform: K - 1 free
// values, w_i = u_i / sqrt(i (i + 1)), x_{i-1} += sum_{j >= i} w_j, x_i -= i w_i (1-based i);
// linear, no Jacobian.
Value sum_to_zero_constrain(Interp& in, const Value& shape, NodeId u) {
  graph::Graph& g = in.graph();
  const std::size_t K = shape.dims.empty() ? 1 : shape.dims.back();
  const std::size_t nv = K == 0 ? 0 : shape.size() / K;
  Value out = shape;
  for (std::size_t v = 0; v < nv; ++v) {
    const std::size_t N = K - 1;
    std::vector<NodeId> z(K, graph::kNoNode);
    NodeId sum_w = graph::kNoNode;
    for (std::size_t i = N; i > 0; --i) {
      const double n = static_cast<double>(i);
      NodeId w = g.binary(BinaryFn::Mul, g.element(u, static_cast<std::uint32_t>(v * N + i - 1)), g.constant(1.0 / std::sqrt(n * (n + 1))));
      sum_w = sum_w == graph::kNoNode ? w : g.binary(BinaryFn::Add, sum_w, w);
      z[i - 1] = sum_w;
      NodeId minus = g.binary(BinaryFn::Mul, w, g.constant(-n));
      z[i] = z[i] == graph::kNoNode ? minus : g.binary(BinaryFn::Add, z[i], minus);
    }
    for (std::size_t k = 0; k < K; ++k) out.elems[v * K + k] = z[k] == graph::kNoNode ? Ref::constant(0.0) : in.ref_of(z[k]);
  }
  return out;
}
}  // namespace

namespace {
std::string check_cholesky_corr(const Value& v, const std::string& name) {
  const std::size_t K = v.dims.back(), nm = corr_count(v);
  for (std::size_t m = 0; m < nm; ++m) {
    std::string who = nm == 1 && v.array_dims() == 0 ? name : fmt::format("{}[{}]", name, m + 1);
    auto x = [&](std::size_t i, std::size_t j) { return v.elems[m * K * K + i * K + j].c; };
    for (std::size_t i = 0; i < K; ++i) {
      double ss = 0;
      for (std::size_t j = 0; j < K; ++j) {
        if (j > i && x(i, j) != 0)
          return fmt::format("{} is not a valid Cholesky factor of a correlation matrix: element [{},{}] is {}, but must be 0", who, i + 1, j + 1, x(i, j));
        if (j <= i) ss += x(i, j) * x(i, j);
      }
      if (!(x(i, i) > 0))
        return fmt::format("{} is not a valid Cholesky factor of a correlation matrix: diagonal element {} is {}, but must be > 0", who, i + 1, x(i, i));
      if (!(std::fabs(ss - 1) <= 1e-8))
        return fmt::format("{} is not a valid Cholesky factor of a correlation matrix: row {} has squared length {}, but must have 1", who, i + 1, ss);
    }
  }
  return "";
}
}  // namespace

namespace {
// Stan's check_cholesky_factor, check_cov_matrix and check_corr_matrix on constant values
// (symmetry and the unit diagonal within 1e-8, positive definiteness by a Cholesky factorization).
std::string check_matrix_structure(Structure s, const Value& v, const std::string& name) {
  const std::size_t M = v.rows(), N = v.cols(), nm = matrix_count(v);
  for (std::size_t m = 0; m < nm; ++m) {
    std::string who = v.array_dims() == 0 ? name : fmt::format("{}[{}]", name, m + 1);
    const char* what = s == Structure::CholeskyCov ? "Cholesky factor of a covariance matrix"
                       : s == Structure::CovMatrix ? "covariance matrix"
                                                   : "correlation matrix";
    auto x = [&](std::size_t i, std::size_t j) { return v.elems[m * M * N + i * N + j].c; };
    if (s == Structure::CholeskyCov) {
      if (M < N) return fmt::format("{} is not a valid {}: it has {} rows and {} columns", who, what, M, N);
      for (std::size_t i = 0; i < M; ++i)
        for (std::size_t j = 0; j < N; ++j) {
          if (j > i && x(i, j) != 0)
            return fmt::format("{} is not a valid {}: element [{},{}] is {}, but must be 0", who, what, i + 1, j + 1, x(i, j));
          if (j == i && !(x(i, i) > 0))
            return fmt::format("{} is not a valid {}: diagonal element {} is {}, but must be > 0", who, what, i + 1, x(i, i));
        }
      continue;
    }
    Eigen::MatrixXd a(static_cast<Eigen::Index>(M), static_cast<Eigen::Index>(N));
    for (std::size_t i = 0; i < M; ++i)
      for (std::size_t j = 0; j < N; ++j) {
        a(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = x(i, j);
        if (!(std::fabs(x(i, j) - x(j, i)) <= 1e-8))
          return fmt::format("{} is not a valid {}: it is not symmetric (element [{},{}] is {}, element [{},{}] is {})", who,
                             what, i + 1, j + 1, x(i, j), j + 1, i + 1, x(j, i));
        if (s == Structure::CorrMatrix && i == j && !(std::fabs(x(i, i) - 1) <= 1e-8))
          return fmt::format("{} is not a valid {}: diagonal element {} is {}, but must be 1", who, what, i + 1, x(i, i));
      }
    Eigen::LLT<Eigen::MatrixXd> llt(a);
    if (llt.info() != Eigen::Success || !llt.matrixL().toDenseMatrix().allFinite())
      return fmt::format("{} is not a valid {}: it is not positive definite", who, what);
  }
  return "";
}
}  // namespace

std::size_t unconstrained_size(Structure s, const Value& shape) {
  if (s == Structure::CholeskyCorr || s == Structure::CorrMatrix) {
    std::size_t K = shape.dims.back();
    return corr_count(shape) * (K * (K - 1) / 2);
  }
  if (s == Structure::CovMatrix || s == Structure::CholeskyCov)
    return matrix_count(shape) * cholesky_cov_size(shape.rows(), std::min(shape.rows(), shape.cols()));
  if (s == Structure::Simplex || s == Structure::SumToZero) {
    std::size_t k = vector_length(shape);
    return k == 0 ? 0 : vector_count(shape) * (k - 1);
  }
  return shape.size();
}

std::vector<std::size_t> stan_order(const Value& shape) {
  std::vector<std::size_t> order(shape.size());
  if (!shape.is_matrix()) {
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    return order;
  }
  std::size_t r = shape.rows(), c = shape.cols(), block = r * c, p = 0;
  for (std::size_t b = 0; block && b < shape.size() / block; ++b)
    for (std::size_t j = 0; j < c; ++j)
      for (std::size_t i = 0; i < r; ++i) order[p++] = b * block + i * c + j;
  return order;
}

Value constrain_structured(Interp& in, Structure s, const Value& shape, NodeId u, bool jacobian) {
  if (s == Structure::CholeskyCorr) return cholesky_corr_constrain(in, shape, u, jacobian);
  if (s == Structure::CholeskyCov) return cholesky_cov_constrain(in, shape, u, jacobian);
  if (s == Structure::CovMatrix) return cov_matrix_constrain(in, shape, u, jacobian);
  if (s == Structure::CorrMatrix) return corr_matrix_constrain(in, shape, u, jacobian);
  if (s == Structure::UnitVector) return unit_vector_constrain(in, shape, u, jacobian);
  if (s == Structure::SumToZero) return sum_to_zero_constrain(in, shape, u);
  graph::Graph& g = in.graph();
  const std::size_t K = vector_length(shape), nv = vector_count(shape);
  const std::size_t per = s == Structure::Simplex ? K - 1 : K;
  Value out = shape;
  std::vector<NodeId> jac;
  auto el = [&](std::size_t i) { return g.element(u, static_cast<std::uint32_t>(i)); };
  for (std::size_t v = 0; v < nv; ++v) {
    const std::size_t base = v * per;
    std::vector<NodeId> x(K);
    if (s == Structure::Simplex) {
      // Stick-breaking: z_k = inv_logit(y_k - log(K - 1 - k)), x_k = stick * z_k.
      NodeId stick = g.constant(1.0);
      for (std::size_t k = 0; k + 1 < K; ++k) {
        NodeId adj = g.binary(BinaryFn::Sub, el(base + k), g.constant(std::log(static_cast<double>(K - 1 - k))));
        x[k] = g.binary(BinaryFn::Mul, stick, g.unary(UnaryFn::InvLogit, adj));
        if (jacobian) {
          jac.push_back(g.unary(UnaryFn::Log, stick));
          jac.push_back(g.unary(UnaryFn::LogInvLogit, adj));
          jac.push_back(g.unary(UnaryFn::Log1mInvLogit, adj));
        }
        stick = g.binary(BinaryFn::Sub, stick, x[k]);
      }
      x[K - 1] = stick;
    } else {
      // ordered: x_0 = y_0, x_k = x_{k-1} + exp(y_k); positive_ordered: x_0 = exp(y_0).
      for (std::size_t k = 0; k < K; ++k) {
        NodeId y = el(base + k);
        if (k == 0) {
          x[0] = s == Structure::PositiveOrdered ? g.unary(UnaryFn::Exp, y) : y;
          if (jacobian && s == Structure::PositiveOrdered) jac.push_back(y);
        } else {
          x[k] = g.binary(BinaryFn::Add, x[k - 1], g.unary(UnaryFn::Exp, y));
          if (jacobian) jac.push_back(y);
        }
      }
    }
    for (std::size_t k = 0; k < K; ++k) out.elems[v * K + k] = in.ref_of(x[k]);
  }
  if (!jac.empty()) {
    in.target_terms().push_back(g.sum(jac));
    in.target_sources().push_back(lang::Pos{});
  }
  return out;
}

std::vector<double> unconstrain_structured(Structure s, const Value& shape, const std::vector<double>& x,
                                           const std::string& name) {
  Value v = shape;
  for (std::size_t i = 0; i < x.size(); ++i) v.elems[i] = Ref::constant(x[i]);
  std::string msg = check_structure(s, v, name);
  if (!msg.empty()) throw Error(ExitCode::ModelOrData, "initial value of " + msg);
  if (s == Structure::CholeskyCorr) {  // Stan's cholesky_corr_free
    const std::size_t K = shape.dims.back();
    std::vector<double> u;
    for (std::size_t m = 0; m < corr_count(shape); ++m) {
      const double* L = x.data() + m * K * K;
      for (std::size_t i = 1; i < K; ++i) {
        u.push_back(std::atanh(L[i * K]));
        double ss = L[i * K] * L[i * K];
        for (std::size_t j = 1; j < i; ++j) {
          u.push_back(std::atanh(L[i * K + j] / std::sqrt(1 - ss)));
          ss += L[i * K + j] * L[i * K + j];
        }
      }
    }
    return u;
  }
  if (s == Structure::CholeskyCov || s == Structure::CovMatrix) {  // Stan's cholesky_factor_free / cov_matrix_free
    const std::size_t M = shape.rows(), N = shape.cols();
    std::vector<double> u;
    for (std::size_t m = 0; m < matrix_count(shape); ++m) {
      Eigen::MatrixXd L = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
          x.data() + m * M * N, static_cast<Eigen::Index>(M), static_cast<Eigen::Index>(N));
      if (s == Structure::CovMatrix) L = Eigen::MatrixXd(L.llt().matrixL());
      for (std::size_t i = 0; i < M; ++i)
        for (std::size_t j = 0; j <= std::min(i, N - 1); ++j) {
          double v = L(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
          u.push_back(i == j ? std::log(v) : v);
        }
    }
    return u;
  }
  if (s == Structure::CorrMatrix) {  // the partial correlations of the Cholesky factor, column by column
    const std::size_t K = shape.rows();
    std::vector<double> u;
    for (std::size_t m = 0; m < matrix_count(shape); ++m) {
      Eigen::MatrixXd O = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
          x.data() + m * K * K, static_cast<Eigen::Index>(K), static_cast<Eigen::Index>(K));
      Eigen::MatrixXd L = O.llt().matrixL();
      std::vector<double> acc(K, 1.0);
      for (std::size_t c = 0; c + 1 < K; ++c)
        for (std::size_t r = c + 1; r < K; ++r) {
          double z = L(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) / std::sqrt(acc[r]);
          u.push_back(std::atanh(z));
          acc[r] *= 1 - z * z;
        }
    }
    return u;
  }
  const std::size_t K = vector_length(shape), nv = vector_count(shape);
  std::vector<double> u;
  u.reserve(unconstrained_size(s, shape));
  for (std::size_t b = 0; b < nv; ++b) {
    const double* xv = x.data() + b * K;
    if (s == Structure::Simplex) {
      std::vector<double> y(K - 1);
      double stick = xv[K - 1];
      for (std::size_t k = K - 1; k-- > 0;) {
        stick += xv[k];
        double z = xv[k] / stick;
        y[k] = std::log(z / (1 - z)) + std::log(static_cast<double>(K - 1 - k));
      }
      u.insert(u.end(), y.begin(), y.end());
    } else if (s == Structure::UnitVector) {
      u.insert(u.end(), xv, xv + K);
    } else if (s == Structure::SumToZero) {  // Stan's sum_to_zero_free
      const std::size_t N = K - 1;
      std::vector<double> y(N);
      if (N > 0) {
        double sum_w = 0, w = -xv[N] / static_cast<double>(N);
        y[N - 1] = w * std::sqrt(static_cast<double>(N) * static_cast<double>(N + 1));
        for (std::size_t i = N - 1; i > 0; --i) {
          sum_w += w;
          const double n = static_cast<double>(i);
          w = (sum_w - xv[i]) / n;
          y[i - 1] = w * std::sqrt(n * (n + 1));
        }
      }
      u.insert(u.end(), y.begin(), y.end());
    } else {
      for (std::size_t k = 0; k < K; ++k)
        u.push_back(k == 0 ? (s == Structure::PositiveOrdered ? std::log(xv[0]) : xv[0]) : std::log(xv[k] - xv[k - 1]));
    }
  }
  return u;
}

std::string check_structure(Structure s, const Value& v, const std::string& name) {
  if (s == Structure::CholeskyCorr) return check_cholesky_corr(v, name);
  if (s == Structure::CholeskyCov || s == Structure::CovMatrix || s == Structure::CorrMatrix)
    return check_matrix_structure(s, v, name);
  const std::size_t K = vector_length(v), nv = vector_count(v);
  for (std::size_t b = 0; b < nv; ++b) {
    std::string who = element_name(name, v, b);
    auto x = [&](std::size_t k) { return v.elems[b * K + k].c; };
    if (s == Structure::Simplex) {
      if (K == 0) return who + " is not a valid simplex: it has size 0";
      double sum = 0;
      for (std::size_t k = 0; k < K; ++k) {
        if (!(x(k) >= 0)) return fmt::format("{} is not a valid simplex: element {} is {}, but must be >= 0", who, k + 1, x(k));
        sum += x(k);
      }
      if (!(std::fabs(sum - 1) <= kSimplexTolerance))
        return fmt::format("{} is not a valid simplex: its elements sum to {}, but must sum to 1", who, sum);
    } else if (s == Structure::UnitVector || s == Structure::SumToZero) {
      double sum = 0;
      for (std::size_t k = 0; k < K; ++k) sum += s == Structure::UnitVector ? x(k) * x(k) : x(k);
      if (s == Structure::UnitVector && !(std::fabs(sum - 1) <= kSimplexTolerance))
        return fmt::format("{} is not a valid unit vector: its squared length is {}, but must be 1", who, sum);
      if (s == Structure::SumToZero && !(std::fabs(sum) <= kSimplexTolerance))
        return fmt::format("{} is not a valid sum_to_zero_vector: its elements sum to {}, but must sum to 0", who, sum);
    } else {
      for (std::size_t k = 0; k < K; ++k) {
        if (k == 0 && s == Structure::PositiveOrdered && !(x(0) > 0))
          return fmt::format("{} is not a valid positive_ordered vector: element 1 is {}, but must be > 0", who, x(0));
        if (k > 0 && !(x(k) > x(k - 1)))
          return fmt::format("{} is not a valid {} vector: element {} is {}, but must be greater than element {} ({})", who,
                             lang::structure_name(s), k + 1, x(k), k, x(k - 1));
      }
    }
  }
  return "";
}

void check_structure_nodes(Interp& in, Structure s, const Value& v) {
  graph::Graph& g = in.graph();
  if (s == Structure::CholeskyCov || s == Structure::CovMatrix || s == Structure::CorrMatrix) {
    const std::size_t M = v.rows(), N = v.cols();
    for (std::size_t m = 0; m < matrix_count(v); ++m) {
      auto x = [&](std::size_t i, std::size_t j) { return in.node_of(v.elems[m * M * N + i * N + j]); };
      if (s == Structure::CholeskyCov) {  // the diagonal positive (the upper triangle is not checked)
        for (std::size_t i = 0; i < N; ++i) g.check(x(i, i), g.constant(0.0), true);
        continue;
      }
      // Symmetric and (correlation) unit diagonal within 1e-8; positive definite: a Cholesky
      // factor (which rejects the point otherwise) with a positive first element.
      for (std::size_t i = 0; i < M; ++i)
        for (std::size_t j = 0; j < i; ++j) {
          NodeId d = g.binary(BinaryFn::Sub, x(i, j), x(j, i));
          g.check(d, g.constant(-1e-8), true);
          g.check(d, g.constant(1e-8), false);
        }
      if (s == Structure::CorrMatrix)
        for (std::size_t i = 0; i < M; ++i) {
          g.check(x(i, i), g.constant(1 - 1e-8), true);
          g.check(x(i, i), g.constant(1 + 1e-8), false);
        }
      Value block;
      block.base = lang::BaseType::Matrix;
      block.dims = {M, N};
      block.elems.assign(v.elems.begin() + static_cast<std::ptrdiff_t>(m * M * N),
                         v.elems.begin() + static_cast<std::ptrdiff_t>((m + 1) * M * N));
      if (M > 0) g.check(g.element(g.cholesky(in.node_of(block), static_cast<std::uint32_t>(M)), 0), g.constant(0.0), true);
    }
    return;
  }
  if (s == Structure::UnitVector || s == Structure::SumToZero) {
    const std::size_t K = vector_length(v), nv = vector_count(v);
    for (std::size_t b = 0; b < nv; ++b) {
      std::vector<NodeId> all;
      for (std::size_t k = 0; k < K; ++k) {
        NodeId x = in.node_of(v.elems[b * K + k]);
        all.push_back(s == Structure::UnitVector ? g.unary(UnaryFn::Square, x) : x);
      }
      NodeId sum = g.sum(all);
      double target = s == Structure::UnitVector ? 1.0 : 0.0;
      g.check(sum, g.constant(target - kSimplexTolerance), true);
      g.check(sum, g.constant(target + kSimplexTolerance), false);
    }
    return;
  }
  if (s == Structure::CholeskyCorr) {  // the diagonal positive (the rows' lengths are not checked)
    const std::size_t K = v.dims.back();
    for (std::size_t m = 0; m < corr_count(v); ++m)
      for (std::size_t i = 0; i < K; ++i) g.check(in.node_of(v.elems[m * K * K + i * K + i]), g.constant(0.0), true);
    return;
  }
  const std::size_t K = vector_length(v), nv = vector_count(v);
  for (std::size_t b = 0; b < nv; ++b) {
    auto x = [&](std::size_t k) { return in.node_of(v.elems[b * K + k]); };
    if (s == Structure::Simplex) {
      std::vector<NodeId> all;
      for (std::size_t k = 0; k < K; ++k) {
        g.check(x(k), g.constant(0.0), true);
        all.push_back(x(k));
      }
      NodeId sum = g.sum(all);
      g.check(sum, g.constant(1 - kSimplexTolerance), true);
      g.check(sum, g.constant(1 + kSimplexTolerance), false);
    } else {
      if (s == Structure::PositiveOrdered) g.check(x(0), g.constant(0.0), true);
      for (std::size_t k = 1; k < K; ++k) g.check(x(k), x(k - 1), true);
    }
  }
}

}  // namespace mcmc::model

// Stan's simplex (stick-breaking), ordered and positive_ordered transforms with their Jacobians and inverses, and the column-major unconstrained order of matrices.
#include "model/structured_transforms.hpp"

#include <cmath>

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

std::size_t unconstrained_size(Structure s, const Value& shape) {
  if (s == Structure::CholeskyCorr) {
    std::size_t K = shape.dims.back();
    return corr_count(shape) * (K * (K - 1) / 2);
  }
  if (s == Structure::Simplex) {
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
    } else {
      for (std::size_t k = 0; k < K; ++k)
        u.push_back(k == 0 ? (s == Structure::PositiveOrdered ? std::log(xv[0]) : xv[0]) : std::log(xv[k] - xv[k - 1]));
    }
  }
  return u;
}

std::string check_structure(Structure s, const Value& v, const std::string& name) {
  if (s == Structure::CholeskyCorr) return check_cholesky_corr(v, name);
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

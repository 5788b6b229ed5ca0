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

std::size_t unconstrained_size(Structure s, const Value& shape) {
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

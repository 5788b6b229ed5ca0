// Lower, upper, lower-upper and offset-multiplier transforms with Stan's Jacobian terms.
#include "model/transforms.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "graph/functions.hpp"
#include "model/structured_transforms.hpp"
#include "util/error.hpp"

namespace mcmc::model {

using graph::BinaryFn;
using graph::NodeId;
using graph::UnaryFn;

namespace {
bool all_equal(const Value& v, double c) {
  if (!v.all_const()) return false;
  for (const Ref& r : v.elems)
    if (r.c != c) return false;
  return true;
}
double at(const Value& v, std::size_t i) { return v.elems[v.is_scalar() ? 0 : i].c; }
}  // namespace

Bounds eval_bounds(Interp& in, const lang::VarDecl& d) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  Bounds b;
  if (d.lower) {
    Value v = in.eval(*d.lower);
    if (!all_equal(v, -kInf)) b.lower = std::move(v);
  }
  if (d.upper) {
    Value v = in.eval(*d.upper);
    if (!all_equal(v, kInf)) b.upper = std::move(v);
  }
  if (d.offset) b.offset = in.eval(*d.offset);
  if (d.multiplier) b.multiplier = in.eval(*d.multiplier);
  return b;
}

Bounds in_stan_order(const Bounds& b, const Value& shape) {
  if (!shape.is_matrix()) return b;
  Bounds out = b;
  std::vector<std::size_t> order = stan_order(shape);
  for (std::optional<Value>* v : {&out.lower, &out.upper, &out.offset, &out.multiplier}) {
    if (!*v || (*v)->is_scalar()) continue;
    Value permuted = **v;
    for (std::size_t p = 0; p < order.size(); ++p) permuted.elems[p] = (*v)->elems[order[p]];
    *v = std::move(permuted);
  }
  return out;
}

Value constrain(Interp& in, const Bounds& bounds, const Value& shape, NodeId u, bool jacobian) {
  graph::Graph& g = in.graph();
  const Bounds b = in_stan_order(bounds, shape);
  NodeId x = u;
  NodeId jac = graph::kNoNode;
  if (b.lower && b.upper) {
    NodeId lb = in.node_of(*b.lower), ub = in.node_of(*b.upper);
    NodeId diff = g.binary(BinaryFn::Sub, ub, lb);
    x = g.binary(BinaryFn::Add, g.binary(BinaryFn::Mul, diff, g.unary(UnaryFn::InvLogit, u)), lb);
    if (jacobian) {
      NodeId t = g.binary(BinaryFn::Add, g.unary(UnaryFn::LogInvLogit, u), g.unary(UnaryFn::Log1mInvLogit, u));
      jac = g.binary(BinaryFn::Add, g.unary(UnaryFn::Log, diff), t);
    }
  } else if (b.lower) {
    x = g.binary(BinaryFn::Add, g.unary(UnaryFn::Exp, u), in.node_of(*b.lower));
    if (jacobian) jac = u;
  } else if (b.upper) {
    x = g.binary(BinaryFn::Sub, in.node_of(*b.upper), g.unary(UnaryFn::Exp, u));
    if (jacobian) jac = u;
  } else if (b.offset || b.multiplier) {
    if (b.multiplier) {
      NodeId m = in.node_of(*b.multiplier);
      x = g.binary(BinaryFn::Mul, m, x);
      if (jacobian) {
        NodeId lm = g.unary(UnaryFn::Log, m);
        // A scalar multiplier scales every element: n * log(m).
        jac = g.size(lm) == 1 && shape.size() != 1
                  ? g.binary(BinaryFn::Mul, lm, g.constant(static_cast<double>(shape.size())))
                  : lm;
      }
    }
    if (b.offset) x = g.binary(BinaryFn::Add, x, in.node_of(*b.offset));
  }
  if (jac != graph::kNoNode && shape.size() > 0) {
    in.target_terms().push_back(g.sum(std::vector<NodeId>{jac}));
    in.target_sources().push_back(lang::Pos{});
  }
  Value out = in.wrap(x, shape.base, shape.dims);
  if (shape.is_matrix()) {  // u (and x) hold a matrix's elements column-major, as Stan's do
    Value row_major = out;
    std::vector<std::size_t> order = stan_order(shape);
    for (std::size_t p = 0; p < order.size(); ++p) row_major.elems[order[p]] = out.elems[p];
    return row_major;
  }
  return out;
}

std::vector<double> unconstrain(const Bounds& b, const std::vector<double>& x, const std::string& name) {
  std::vector<double> u(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    double v = x[i];
    if (b.lower && b.upper) {
      double lb = at(*b.lower, i), ub = at(*b.upper, i);
      if (!(v > lb && v < ub))
        throw Error(ExitCode::ModelOrData, fmt::format("initial value of {} is {}, but must be strictly between {} and {}", name, v, lb, ub));
      double p = (v - lb) / (ub - lb);
      u[i] = std::log(p / (1 - p));
    } else if (b.lower) {
      double lb = at(*b.lower, i);
      if (!(v > lb))
        throw Error(ExitCode::ModelOrData, fmt::format("initial value of {} is {}, but must be greater than {}", name, v, lb));
      u[i] = std::log(v - lb);
    } else if (b.upper) {
      double ub = at(*b.upper, i);
      if (!(v < ub))
        throw Error(ExitCode::ModelOrData, fmt::format("initial value of {} is {}, but must be less than {}", name, v, ub));
      u[i] = std::log(ub - v);
    } else {
      double o = b.offset ? at(*b.offset, i) : 0, m = b.multiplier ? at(*b.multiplier, i) : 1;
      u[i] = (v - o) / m;
    }
  }
  return u;
}

std::string check_bounds(const Bounds& b, const Value& v, const std::string& name) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    double x = v.elems[i].c;
    std::string who = v.is_scalar() ? name : fmt::format("{}[{}]", name, i + 1);
    if (b.lower && !(x >= at(*b.lower, i)))
      return fmt::format("{} is {}, but must be greater than or equal to {}", who, x, at(*b.lower, i));
    if (b.upper && !(x <= at(*b.upper, i)))
      return fmt::format("{} is {}, but must be less than or equal to {}", who, x, at(*b.upper, i));
  }
  return "";
}

}  // namespace mcmc::model

// Calls of the catalogue's built-ins, distribution calls, `~` statements and `_rng` draws of the partial evaluator.
#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "graph/distributions.hpp"
#include "model/interp.hpp"
#include "model/multivariate.hpp"
#include "model/random_variates.hpp"

namespace mcmc::model {

using catalog::Distribution;
using graph::BinaryFn;
using graph::DistKind;
using graph::NodeId;
using graph::UnaryFn;
using lang::BaseType;

Value Interp::call_distribution(const lang::Expr& e, const Distribution& d, catalog::Suffix suffix,
                                std::vector<Value>& args) {
  const std::string name = d.function_name(suffix);
  const bool propto = suffix == catalog::kUnnormalized;
  if (args.size() != d.params.size() + 1)
    fail(e.pos, fmt::format("{} takes {} arguments, got {}", name, d.params.size() + 1, args.size()));
  if (is_multivariate(d)) return multivariate_density(*this, e, d, propto, args);
  if (!d.kernel) {
    // The categorical family is not elementwise over its simplex argument.
    bool logit = d.name == "categorical_logit";
    Value& theta = args[1];
    NodeId lt = logit ? graph_->binary(BinaryFn::Sub, node_of(theta),
                                       graph_->log_sum_exp(node_of(theta)))
                      : graph_->unary(UnaryFn::Log, node_of(theta));
    std::vector<NodeId> terms;
    for (const Ref& y : args[0].elems) {
      long long k = static_cast<long long>(y.c);
      if (k < 1 || k > static_cast<long long>(theta.size()))
        fail(e.pos, fmt::format("{}: outcome {} out of range 1..{}", name, k, theta.size()));
      terms.push_back(graph_->element(lt, static_cast<std::uint32_t>(k - 1)));
    }
    return Value::scalar(ref_of(graph_->sum(terms)));
  }
  DistKind kind = suffix == catalog::kLcdf    ? DistKind::Lcdf
                  : suffix == catalog::kLccdf ? DistKind::Lccdf
                                              : DistKind::Lpdf;
  std::vector<NodeId> nodes;
  for (auto& a : args) nodes.push_back(node_of(a));
  try {
    return Value::scalar(ref_of(graph_->dist(*d.kernel, kind, propto, nodes)));
  } catch (const std::invalid_argument& ex) {
    fail(e.pos, fmt::format("{}: arguments have different sizes ({})", name, ex.what()));
  }
}

Value Interp::sample(const lang::Stmt& s) {
  std::vector<Value> args;
  for (const lang::Expr& a : s.exprs) args.push_back(eval(a));
  if (s.fun >= 0) {  // a user-defined _lpdf / _lpmf
    Value v = call_user(program_->functions[s.fun], s.pos, args);
    target_.push_back(graph_->sum(std::vector<NodeId>{node_of(v)}));
    target_pos_.push_back(s.pos);
    return v;
  }
  const Distribution* d = catalog::find_distribution(s.name);
  if (!d) fail(s.pos, fmt::format("unknown distribution '{}'", s.name));
  if (args.size() != d->params.size() + 1)
    fail(s.pos, fmt::format("{} takes {} arguments, got {}", s.name, d->params.size(), args.size() - 1));
  if (!d->kernel) {
    Value v = call_distribution(s.exprs[0], *d, catalog::kUnnormalized, args);
    target_.push_back(node_of(v));
    target_pos_.push_back(s.pos);
    return v;
  }
  std::vector<NodeId> nodes;
  for (auto& a : args) nodes.push_back(node_of(a));
  NodeId n;
  try {
    n = graph_->dist(*d->kernel, DistKind::Lpdf, !keep_constant_terms, nodes);
  } catch (const std::invalid_argument& ex) {
    fail(s.pos, fmt::format("{}: arguments have different sizes ({})", s.name, ex.what()));
  }
  if (!(graph_->is_const(n) && graph_->const_values(n)[0] == 0)) {
    target_.push_back(n);
    target_pos_.push_back(s.pos);
  }
  if (s.trunc_lower || s.trunc_upper) truncate(s, *d, args);
  return Value::scalar(ref_of(n));
}

void Interp::truncate(const lang::Stmt& s, const Distribution& d, std::vector<Value>& args) {
  const Value& y = args[0];
  std::optional<Value> lo, hi;
  if (s.trunc_lower) lo = eval(*s.trunc_lower);
  if (s.trunc_upper) hi = eval(*s.trunc_upper);
  // The variate must lie within the bounds: data is checked now, parameters at every evaluation
  // (a point outside rejects, as Stan's -inf does).
  for (const std::optional<Value>* bound : {&lo, &hi}) {
    if (!*bound) continue;
    const bool lower = bound == &lo;
    const Ref& b = (*bound)->elems.at(0);
    for (std::size_t i = 0; i < y.size(); ++i) {
      const Ref& v = y.elems[i];
      if (v.is_const() && b.is_const()) {
        if (lower ? v.c < b.c : v.c > b.c)
          fail(s.pos, fmt::format("the variate{} is {}, {} the truncation's {} bound {}",
                                  y.is_scalar() ? "" : fmt::format("[{}]", i + 1), v.c,
                                  lower ? "below" : "above", lower ? "lower" : "upper", b.c));
      } else {
        graph_->check(node_of(v), node_of(b), lower);
      }
    }
  }
  // The normalization, per element of the parameters' broadcast size m: minus
  // log(F(U) - F(L)), log(1 - F(L)) or log(F(U)); for a discrete distribution F(L - 1) in place
  // of F(L) (P(Y >= L)), as Stan does.
  std::size_t m = 1;
  for (std::size_t j = 1; j < args.size(); ++j)
    if (!args[j].is_scalar()) {
      if (m > 1 && args[j].size() != m) fail(s.pos, s.name + ": arguments have different sizes");
      m = args[j].size();
    }
  const std::size_t n = y.is_scalar() ? 1 : y.size();
  if (m > 1 && m != n) fail(s.pos, fmt::format("{}: the variate has {} elements and the parameters {}", s.name, n, m));
  NodeId lo_node = lo ? node_of(lo->elems[0]) : graph::kNoNode;
  if (lo && d.discrete()) lo_node = graph_->binary(BinaryFn::Sub, lo_node, graph_->constant(1.0));
  NodeId hi_node = hi ? node_of(hi->elems[0]) : graph::kNoNode;
  std::vector<NodeId> terms;
  for (std::size_t i = 0; i < m; ++i) {
    auto cdf = [&](NodeId at, DistKind kind) {
      std::vector<NodeId> nodes = {at};
      for (std::size_t j = 1; j < args.size(); ++j)
        nodes.push_back(node_of(args[j].elems[args[j].is_scalar() ? 0 : i]));
      return graph_->dist(*d.kernel, kind, false, nodes);
    };
    if (lo && hi)
      terms.push_back(graph_->binary(BinaryFn::LogDiffExp, cdf(hi_node, DistKind::Lcdf), cdf(lo_node, DistKind::Lcdf)));
    else if (lo)
      terms.push_back(cdf(lo_node, DistKind::Lccdf));
    else
      terms.push_back(cdf(hi_node, DistKind::Lcdf));
  }
  NodeId norm = graph_->sum(terms);
  if (m == 1 && n > 1) norm = graph_->binary(BinaryFn::Mul, norm, graph_->constant(static_cast<double>(n)));
  target_.push_back(graph_->unary(UnaryFn::Neg, norm));
  target_pos_.push_back(s.pos);
}

Value Interp::call_rng(const lang::Expr& e, const Distribution& d, std::vector<Value>& args) {
  const std::string name = d.function_name(catalog::kRng);
  if (!rng_) fail(e.pos, "random number generators are only allowed in transformed data and generated quantities");
  for (auto& a : args)
    if (!a.all_const()) fail(e.pos, name + ": arguments must not depend on parameters here");
  if (args.size() != d.params.size())
    fail(e.pos, fmt::format("{} takes {} arguments", name, d.params.size()));
  if (is_multivariate(d)) return multivariate_rng(*this, e, d, args, *rng_);
  try {
    if (!d.kernel) {
      std::vector<double> th;
      for (auto& r : args.at(0).elems) th.push_back(r.c);
      if (d.name == "categorical_logit") {
        double m = *std::max_element(th.begin(), th.end()), s = 0;
        for (double& x : th) s += (x = std::exp(x - m));
        for (double& x : th) x /= s;
      }
      return Value::scalar(categorical_variate(th, *rng_), true);
    }
    std::size_t n = 1;
    const Value* shape = nullptr;
    for (auto& a : args)
      if (!a.is_scalar()) {
        if (shape && a.size() != n) fail(e.pos, name + ": arguments have different sizes");
        n = a.size();
        shape = &a;
      }
    std::vector<Ref> out;
    double p[4];
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < args.size(); ++j) p[j] = args[j].elems[args[j].is_scalar() ? 0 : i].c;
      out.push_back(Ref::constant(random_variate(*d.kernel, std::span<const double>(p, args.size()), *rng_)));
    }
    Value v;
    v.base = d.discrete() ? BaseType::Int : BaseType::Real;
    if (shape) v.dims = {n};
    v.elems = std::move(out);
    return v;
  } catch (const std::domain_error& ex) {
    fail(e.pos, ex.what());
  }
}

Value Interp::call(const lang::Expr& e) {
  const std::string& name = e.name;
  if (const lang::OdeSolver* solver = lang::find_ode_solver(name)) return call_ode(e, *solver);
  std::vector<Value> args;
  args.reserve(e.args.size());
  for (const lang::Expr& a : e.args) args.push_back(eval(a));
  if (e.fun >= 0) return call_user(program_->functions[e.fun], e.pos, args);
  std::optional<catalog::Builtin> b = catalog::resolve(name);
  if (!b) fail(e.pos, fmt::format("unknown function '{}'", name));
  if (const Distribution* d = b->distribution) {
    switch (b->suffix) {
      case catalog::kRng: return call_rng(e, *d, args);
      case catalog::kCdf: return map_unary(UnaryFn::Exp, call_distribution(e, *d, catalog::kLcdf, args));
      default: return call_distribution(e, *d, b->suffix, args);
    }
  }
  const catalog::Function& f = *b->function;
  auto need = [&](std::size_t n) {
    if (args.size() != n) fail(e.pos, fmt::format("{} takes {} argument(s), got {}", name, n, args.size()));
  };
  switch (f.impl) {
    case catalog::Impl::Constant:
      need(0);
      return Value::scalar(f.value);
    case catalog::Impl::Unary:
      need(1);
      return map_unary(f.unary, args[0]);
    case catalog::Impl::Binary: {
      need(2);
      Value r = arith(f.binary, args[0], args[1], e.pos);
      if (r.base == BaseType::Int) r.base = BaseType::Real;
      return r;
    }
    case catalog::Impl::Special: break;
  }
  auto it = special_table().find(name);
  if (it == special_table().end()) fail(e.pos, fmt::format("function '{}' has no implementation", name));
  return it->second(*this, e, args);
}

}  // namespace mcmc::model

// Built-in function calls, distribution calls, `~` statements and `_rng` draws of the partial evaluator.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

#include "graph/distributions.hpp"
#include "graph/functions.hpp"
#include "model/interp.hpp"
#include "model/random_variates.hpp"

namespace mcmc::model {

using graph::BinaryFn;
using graph::Dist;
using graph::DistKind;
using graph::NodeId;
using graph::UnaryFn;
using lang::BaseType;

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Value make_vector(BaseType base, std::vector<Ref> elems) {
  Value v;
  v.base = base;
  v.dims = {elems.size()};
  v.elems = std::move(elems);
  return v;
}

// The distribution and kind named by a function like "normal_lpdf"; false if not one.
bool split_dist_name(const std::string& name, Dist& d, DistKind& kind, bool& propto) {
  static const std::pair<const char*, DistKind> suffixes[] = {
      {"_lpdf", DistKind::Lpdf}, {"_lupdf", DistKind::Lpdf}, {"_lpmf", DistKind::Lpdf},
      {"_lupmf", DistKind::Lpdf}, {"_lcdf", DistKind::Lcdf}, {"_lccdf", DistKind::Lccdf},
      {"_cdf_log", DistKind::Lcdf}, {"_ccdf_log", DistKind::Lccdf}};
  for (auto& [suf, k] : suffixes) {
    if (ends_with(name, suf)) {
      std::string base = name.substr(0, name.size() - std::string(suf).size());
      if (!graph::dist_by_name(base, d)) return false;
      kind = k;
      propto = std::string(suf) == "_lupdf" || std::string(suf) == "_lupmf";
      return true;
    }
  }
  return false;
}
}  // namespace

Value Interp::call_distribution(const lang::Expr& e, const std::string& name,
                                std::vector<Value>& args) {
  bool propto = false;
  // Categorical families are not elementwise over their simplex argument.
  std::string base = name.substr(0, name.rfind('_'));
  if (base == "categorical" || base == "categorical_logit" ||
      name == "categorical_lupmf" || name == "categorical_logit_lupmf") {
    if (ends_with(name, "_lupmf")) propto = true;
    bool logit = name.rfind("categorical_logit", 0) == 0;
    if (args.size() != 2) fail(e.pos, name + " takes two arguments");
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
    (void)propto;
    return Value::scalar(ref_of(graph_->sum(terms)));
  }
  Dist d;
  DistKind kind;
  if (!split_dist_name(name, d, kind, propto)) fail(e.pos, fmt::format("unknown function '{}'", name));
  const auto& info = graph::dist_info(d);
  if (static_cast<int>(args.size()) != info.num_args)
    fail(e.pos, fmt::format("{} takes {} arguments, got {}", name, info.num_args, args.size()));
  if (kind != DistKind::Lpdf && !graph::has_cdf(d))
    fail(e.pos, fmt::format("{} is not supported yet", name));
  std::vector<NodeId> nodes;
  for (auto& a : args) nodes.push_back(node_of(a));
  try {
    return Value::scalar(ref_of(graph_->dist(d, kind, propto, nodes)));
  } catch (const std::invalid_argument& ex) {
    fail(e.pos, fmt::format("{}: arguments have different sizes ({})", name, ex.what()));
  }
}

Value Interp::sample(const lang::Stmt& s) {
  std::vector<Value> args;
  for (const lang::Expr& a : s.exprs) args.push_back(eval(a));
  Dist d;
  const std::string& dist = s.name;
  if (dist == "categorical" || dist == "categorical_logit") {
    Value v = call_distribution(s.exprs[0], dist + "_lupmf", args);
    target_.push_back(node_of(v));
    target_pos_.push_back(s.pos);
    return v;
  }
  if (!graph::dist_by_name(dist, d)) fail(s.pos, fmt::format("unknown distribution '{}'", dist));
  const auto& info = graph::dist_info(d);
  if (static_cast<int>(args.size()) != info.num_args)
    fail(s.pos, fmt::format("{} takes {} arguments, got {}", dist, info.num_args - 1, args.size() - 1));
  std::vector<NodeId> nodes;
  for (auto& a : args) nodes.push_back(node_of(a));
  NodeId n;
  try {
    n = graph_->dist(d, DistKind::Lpdf, !keep_constant_terms, nodes);
  } catch (const std::invalid_argument& ex) {
    fail(s.pos, fmt::format("{}: arguments have different sizes ({})", dist, ex.what()));
  }
  if (!(graph_->is_const(n) && graph_->const_values(n)[0] == 0)) {
    target_.push_back(n);
    target_pos_.push_back(s.pos);
  }
  return Value::scalar(ref_of(n));
}

Value Interp::call_rng(const lang::Expr& e, const std::string& name, std::vector<Value>& args) {
  if (!rng_) fail(e.pos, "random number generators are only allowed in transformed data and generated quantities");
  for (auto& a : args)
    if (!a.all_const()) fail(e.pos, name + ": arguments must not depend on parameters here");
  std::string base = name.substr(0, name.size() - 4);
  try {
    if (base == "categorical" || base == "categorical_logit") {
      std::vector<double> th;
      for (auto& r : args.at(0).elems) th.push_back(r.c);
      if (base == "categorical_logit") {
        double m = *std::max_element(th.begin(), th.end()), s = 0;
        for (double& x : th) s += (x = std::exp(x - m));
        for (double& x : th) x /= s;
      }
      return Value::scalar(categorical_variate(th, *rng_), true);
    }
    Dist d;
    if (!graph::dist_by_name(base, d)) fail(e.pos, fmt::format("unknown function '{}'", name));
    const auto& info = graph::dist_info(d);
    if (static_cast<int>(args.size()) != info.num_args - 1)
      fail(e.pos, fmt::format("{} takes {} arguments", name, info.num_args - 1));
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
      out.push_back(Ref::constant(random_variate(d, std::span<const double>(p, args.size()), *rng_)));
    }
    Value v;
    v.base = info.discrete ? BaseType::Int : BaseType::Real;
    if (shape) v.dims = {n};
    v.elems = std::move(out);
    return v;
  } catch (const std::domain_error& ex) {
    fail(e.pos, ex.what());
  }
}

Value Interp::call(const lang::Expr& e) {
  const std::string& name = e.name;
  std::vector<Value> args;
  args.reserve(e.args.size());
  for (const lang::Expr& a : e.args) args.push_back(eval(a));
  auto need = [&](std::size_t n) {
    if (args.size() != n) fail(e.pos, fmt::format("{} takes {} argument(s), got {}", name, n, args.size()));
  };
  auto all_elems = [](const Value& v) { return v.elems; };
  auto int_arg = [&](std::size_t i) -> long long {
    if (!args[i].is_scalar() || !args[i].elems[0].is_const())
      fail(e.args[i].pos, "expected an integer that does not depend on parameters");
    return static_cast<long long>(args[i].elems[0].c);
  };

  // Constants.
  if (args.empty()) {
    if (name == "pi") return Value::scalar(M_PI);
    if (name == "e") return Value::scalar(M_E);
    if (name == "sqrt2") return Value::scalar(M_SQRT2);
    if (name == "log2") return Value::scalar(M_LN2);
    if (name == "log10") return Value::scalar(M_LN10);
    if (name == "not_a_number") return Value::scalar(std::numeric_limits<double>::quiet_NaN());
    if (name == "positive_infinity") return Value::scalar(kInf);
    if (name == "negative_infinity") return Value::scalar(-kInf);
    if (name == "machine_precision") return Value::scalar(std::numeric_limits<double>::epsilon());
    if (name == "std_normal_rng") return call_rng(e, name, args);
  }
  if (ends_with(name, "_rng")) return call_rng(e, name, args);
  if (ends_with(name, "_lpdf") || ends_with(name, "_lpmf") || ends_with(name, "_lupdf") ||
      ends_with(name, "_lupmf") || ends_with(name, "_lcdf") || ends_with(name, "_lccdf"))
    return call_distribution(e, name, args);
  if (ends_with(name, "_cdf")) {
    std::string lname = name.substr(0, name.size() - 4) + "_lcdf";
    Value lv = call_distribution(e, lname, args);
    return map_unary(UnaryFn::Exp, lv);
  }

  // Elementwise unary functions (abs keeps ints).
  UnaryFn uf;
  if (args.size() == 1 && graph::unary_by_name(name, uf)) {
    if ((name == "abs" || name == "fabs") && args[0].is_int()) {
      Value v = args[0];
      for (Ref& r : v.elems) r.c = std::fabs(r.c);
      if (name == "abs") return v;
      v.base = BaseType::Real;
      return v;
    }
    return map_unary(uf, args[0]);
  }
  if (name == "log_sum_exp" && args.size() == 1) {
    return Value::scalar(ref_of(graph_->log_sum_exp(node_of(args[0]))));
  }
  BinaryFn bf;
  if (args.size() == 2 && graph::binary_by_name(name, bf)) {
    Value r = arith(bf, args[0], args[1], e.pos);
    if (r.base == BaseType::Int) r.base = BaseType::Real;
    return r;
  }
  if ((name == "min" || name == "max") && args.size() == 2) {
    if (args[0].is_int() && args[1].is_int()) {
      double a = args[0].elems[0].c, b = args[1].elems[0].c;
      return Value::scalar(name == "min" ? std::min(a, b) : std::max(a, b), true);
    }
    return arith(name == "min" ? BinaryFn::Fmin : BinaryFn::Fmax, args[0], args[1], e.pos);
  }
  if ((name == "min" || name == "max") && args.size() == 1) {
    const Value& v = args[0];
    if (v.size() == 0) {
      if (v.is_int()) fail(e.pos, name + " of an empty int array");
      return Value::scalar(name == "min" ? kInf : -kInf);
    }
    if (v.all_const()) {
      double m = v.elems[0].c;
      for (const Ref& r : v.elems) m = name == "min" ? std::min(m, r.c) : std::max(m, r.c);
      return Value::scalar(m, v.is_int());
    }
    NodeId acc = node_of(v.elems[0]);
    for (std::size_t i = 1; i < v.size(); ++i)
      acc = graph_->binary(name == "min" ? BinaryFn::Fmin : BinaryFn::Fmax, acc, node_of(v.elems[i]));
    return Value::scalar(ref_of(acc));
  }
  if (name == "choose") {
    need(2);
    long long n = int_arg(0), k = int_arg(1);
    if (k < 0 || n < 0) fail(e.pos, "choose: arguments must be non-negative");
    if (k > n) return Value::scalar(0, true);
    double r = std::round(std::exp(std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0)));
    return Value::scalar(r, true);
  }
  if (name == "int_step") {
    need(1);
    if (!args[0].elems[0].is_const()) fail(e.pos, "int_step of a parameter is not supported");
    return Value::scalar(args[0].elems[0].c > 0 ? 1 : 0, true);
  }
  if (name == "is_inf" || name == "is_nan") {
    need(1);
    if (!args[0].elems[0].is_const()) fail(e.pos, name + " of a parameter is not supported");
    double x = args[0].elems[0].c;
    return Value::scalar(name == "is_inf" ? std::isinf(x) : std::isnan(x), true);
  }

  // Reductions.
  if (name == "sum") {
    need(1);
    if (args[0].is_int()) {
      double s = 0;
      for (const Ref& r : args[0].elems) s += r.c;
      return Value::scalar(s, true);
    }
    return Value::scalar(ref_of(graph_->sum(std::vector<NodeId>{node_of(args[0])})));
  }
  if (name == "prod") {
    need(1);
    Value r = Value::scalar(ref_of(graph_->prod(node_of(args[0]))));
    if (args[0].is_int()) r.base = BaseType::Int;
    return r;
  }
  if (name == "mean" || name == "variance" || name == "sd") {
    need(1);
    double n = static_cast<double>(args[0].size());
    if (n == 0) fail(e.pos, name + " of an empty container");
    NodeId x = node_of(args[0]);
    NodeId m = graph_->binary(BinaryFn::Div, graph_->sum(std::vector<NodeId>{x}), graph_->constant(n));
    if (name == "mean") return Value::scalar(ref_of(m));
    if (n < 2) fail(e.pos, name + " needs at least two elements");
    NodeId dev = graph_->unary(UnaryFn::Square, graph_->binary(BinaryFn::Sub, x, m));
    NodeId var = graph_->binary(BinaryFn::Div, graph_->sum(std::vector<NodeId>{dev}), graph_->constant(n - 1));
    if (name == "variance") return Value::scalar(ref_of(var));
    return Value::scalar(ref_of(graph_->unary(UnaryFn::Sqrt, var)));
  }
  if (name == "dot_product" || name == "rows_dot_product") {
    need(2);
    if (args[0].size() != args[1].size()) fail(e.pos, name + ": arguments have different sizes");
    NodeId p = graph_->binary(BinaryFn::Mul, node_of(args[0]), node_of(args[1]));
    if (name == "rows_dot_product") return wrap(p, BaseType::Vector, {args[0].size()});
    return Value::scalar(ref_of(graph_->sum(std::vector<NodeId>{p})));
  }
  if (name == "dot_self") {
    need(1);
    NodeId p = graph_->unary(UnaryFn::Square, node_of(args[0]));
    return Value::scalar(ref_of(graph_->sum(std::vector<NodeId>{p})));
  }
  if (name == "cumulative_sum") {
    need(1);
    Value r = wrap(graph_->cumulative_sum(node_of(args[0])), args[0].base, args[0].dims);
    return r;
  }
  if (name == "softmax" || name == "log_softmax") {
    need(1);
    NodeId x = node_of(args[0]);
    NodeId ls = graph_->binary(BinaryFn::Sub, x, graph_->log_sum_exp(x));
    if (name == "softmax") ls = graph_->unary(UnaryFn::Exp, ls);
    return wrap(ls, BaseType::Vector, args[0].dims);
  }

  // Sizes.
  if (name == "size" || name == "num_elements" || name == "rows" || name == "cols") {
    need(1);
    const Value& v = args[0];
    if (name == "num_elements") return Value::scalar(static_cast<double>(v.size()), true);
    if (name == "size") return Value::scalar(v.is_scalar() ? 1.0 : static_cast<double>(v.dims[0]), true);
    bool row = v.base == BaseType::RowVector;
    double n = v.is_scalar() ? 1 : static_cast<double>(v.dims.back());
    if (name == "rows") return Value::scalar(row ? 1 : n, true);
    return Value::scalar(row ? n : 1, true);
  }

  // Constructors and reshaping.
  if (name == "rep_vector" || name == "rep_row_vector") {
    need(2);
    long long n = int_arg(1);
    if (n < 0) fail(e.pos, name + ": size must be non-negative");
    return make_vector(name == "rep_vector" ? BaseType::Vector : BaseType::RowVector,
                       std::vector<Ref>(static_cast<std::size_t>(n), args[0].elems.at(0)));
  }
  if (name == "rep_array") {
    if (args.size() < 2 || args.size() > 4) fail(e.pos, "rep_array takes 2 to 4 arguments");
    Value out;
    out.base = args[0].base;
    std::size_t reps = 1;
    for (std::size_t i = 1; i < args.size(); ++i) {
      long long n = int_arg(i);
      if (n < 0) fail(e.pos, "rep_array: size must be non-negative");
      out.dims.push_back(static_cast<std::size_t>(n));
      reps *= static_cast<std::size_t>(n);
    }
    out.dims.insert(out.dims.end(), args[0].dims.begin(), args[0].dims.end());
    for (std::size_t r = 0; r < reps; ++r) out.elems.insert(out.elems.end(), args[0].elems.begin(), args[0].elems.end());
    return out;
  }
  if (name == "to_vector" || name == "to_row_vector") {
    need(1);
    return make_vector(name == "to_vector" ? BaseType::Vector : BaseType::RowVector, all_elems(args[0]));
  }
  if (name == "to_array_1d") {
    need(1);
    return make_vector(args[0].is_int() ? BaseType::Int : BaseType::Real, all_elems(args[0]));
  }
  if (name == "to_int") {
    need(1);
    Value v = args[0];
    for (Ref& r : v.elems) {
      if (!r.is_const()) fail(e.pos, "to_int of a parameter is not supported");
      r.c = std::trunc(r.c);
    }
    v.base = BaseType::Int;
    return v;
  }
  if (name == "head" || name == "tail" || name == "segment") {
    const Value& v = args.at(0);
    if (v.is_scalar()) fail(e.pos, name + " needs a container");
    std::size_t n = v.dims[0], block = n ? v.size() / n : 0;
    long long start, len;
    if (name == "head") { need(2); start = 1; len = int_arg(1); }
    else if (name == "tail") { need(2); len = int_arg(1); start = static_cast<long long>(n) - len + 1; }
    else { need(3); start = int_arg(1); len = int_arg(2); }
    if (len < 0 || start < 1 || start + len - 1 > static_cast<long long>(n))
      fail(e.pos, fmt::format("{}: range {}..{} is outside 1..{}", name, start, start + len - 1, n));
    Value out;
    out.base = v.base;
    out.dims = v.dims;
    out.dims[0] = static_cast<std::size_t>(len);
    out.elems.assign(v.elems.begin() + (start - 1) * block, v.elems.begin() + (start - 1 + len) * block);
    return out;
  }
  if (name == "append_row" || name == "append_col" || name == "append_array") {
    need(2);
    std::vector<Ref> all = args[0].elems;
    all.insert(all.end(), args[1].elems.begin(), args[1].elems.end());
    if (name == "append_array") {
      Value out = args[0];
      if (args[0].dims.size() != args[1].dims.size()) fail(e.pos, "append_array: different shapes");
      out.dims[0] += args[1].dims[0];
      out.elems = std::move(all);
      if (!args[1].is_int()) out.base = args[1].base;
      return out;
    }
    return make_vector(name == "append_row" ? BaseType::Vector : BaseType::RowVector, std::move(all));
  }
  if (name == "sort_asc" || name == "sort_desc" || name == "reverse") {
    need(1);
    Value v = args[0];
    if (name == "reverse") {
      std::reverse(v.elems.begin(), v.elems.end());
      return v;
    }
    if (!v.all_const()) fail(e.pos, name + " of parameters is not supported");
    std::stable_sort(v.elems.begin(), v.elems.end(), [&](const Ref& a, const Ref& b) {
      return name == "sort_asc" ? a.c < b.c : a.c > b.c;
    });
    return v;
  }
  if (name == "linspaced_vector") {
    need(3);
    long long n = int_arg(0);
    double lo = args[1].elems[0].c, hi = args[2].elems[0].c;
    std::vector<Ref> out;
    for (long long i = 0; i < n; ++i)
      out.push_back(Ref::constant(n == 1 ? hi : lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(n - 1)));
    return make_vector(BaseType::Vector, std::move(out));
  }
  fail(e.pos, fmt::format("function '{}' is not supported by mcmc", name));
}

}  // namespace mcmc::model

// The model compiler's handlers of the catalogue's Special functions (catalog/functions.cpp), one per name.
#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "model/interp.hpp"

namespace mcmc::model {

using graph::BinaryFn;
using graph::NodeId;
using graph::UnaryFn;
using lang::BaseType;

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

/// The elements of a matrix in column-major order (Stan's order for to_vector and friends); of
/// anything else as they are.
std::vector<Ref> column_major_elems(const Value& v) {
  if (!v.is_matrix() || v.array_dims() != 0) return v.elems;
  std::size_t r = v.rows(), c = v.cols();
  std::vector<Ref> out;
  out.reserve(v.size());
  for (std::size_t j = 0; j < c; ++j)
    for (std::size_t i = 0; i < r; ++i) out.push_back(v.elems[i * c + j]);
  return out;
}

Value make_vector(BaseType base, std::vector<Ref> elems) {
  Value v;
  v.base = base;
  v.dims = {elems.size()};
  v.elems = std::move(elems);
  return v;
}

/// The arguments of one call with the checks every handler uses.
struct Call {
  Interp& in;
  const lang::Expr& e;
  std::vector<Value>& args;

  void need(std::size_t n) const {
    if (args.size() != n)
      in.fail(e.pos, fmt::format("{} takes {} argument(s), got {}", e.name, n, args.size()));
  }
  long long int_arg(std::size_t i) const {
    if (!args[i].is_scalar() || !args[i].elems[0].is_const())
      in.fail(e.args[i].pos, "expected an integer that does not depend on parameters");
    return static_cast<long long>(args[i].elems[0].c);
  }
  double data_scalar(std::size_t i) const {
    if (!args[i].elems.at(0).is_const()) in.fail(e.pos, e.name + " of a parameter is not supported");
    return args[i].elems[0].c;
  }
  graph::Graph& g() const { return in.graph(); }
  NodeId node(std::size_t i) const { return in.node_of(args[i]); }
  Value scalar(NodeId n) const { return Value::scalar(in.ref_of(n)); }
};

NodeId sum_of(graph::Graph& g, NodeId x) { return g.sum(std::vector<NodeId>{x}); }

Value min_max(Call c, bool is_min) {
  BinaryFn f = is_min ? BinaryFn::Fmin : BinaryFn::Fmax;
  if (c.args.size() == 2) {
    if (c.args[0].is_int() && c.args[1].is_int()) {
      double a = c.args[0].elems[0].c, b = c.args[1].elems[0].c;
      return Value::scalar(is_min ? std::min(a, b) : std::max(a, b), true);
    }
    return c.scalar(c.g().binary(f, c.node(0), c.node(1)));
  }
  c.need(1);
  const Value& v = c.args[0];
  if (v.size() == 0) {
    if (v.is_int()) c.in.fail(c.e.pos, c.e.name + " of an empty int array");
    return Value::scalar(is_min ? kInf : -kInf);
  }
  if (v.all_const()) {
    double m = v.elems[0].c;
    for (const Ref& r : v.elems) m = is_min ? std::min(m, r.c) : std::max(m, r.c);
    return Value::scalar(m, v.is_int());
  }
  NodeId acc = c.in.node_of(v.elems[0]);
  for (std::size_t i = 1; i < v.size(); ++i) acc = c.g().binary(f, acc, c.in.node_of(v.elems[i]));
  return c.scalar(acc);
}

// mean, variance, sd: N - 1 denominator as in Stan.
Value moment(Call c, int which) {
  c.need(1);
  double n = static_cast<double>(c.args[0].size());
  if (n == 0) c.in.fail(c.e.pos, c.e.name + " of an empty container");
  graph::Graph& g = c.g();
  NodeId x = c.node(0);
  NodeId m = g.binary(BinaryFn::Div, sum_of(g, x), g.constant(n));
  if (which == 0) return c.scalar(m);
  if (n < 2) c.in.fail(c.e.pos, c.e.name + " needs at least two elements");
  NodeId dev = g.unary(UnaryFn::Square, g.binary(BinaryFn::Sub, x, m));
  NodeId var = g.binary(BinaryFn::Div, sum_of(g, dev), g.constant(n - 1));
  return c.scalar(which == 1 ? var : g.unary(UnaryFn::Sqrt, var));
}

Value sub_range(Call c, int which) {  // head, tail, segment
  const Value& v = c.args.at(0);
  if (v.is_scalar()) c.in.fail(c.e.pos, c.e.name + " needs a container");
  std::size_t n = v.dims[0], block = n ? v.size() / n : 0;
  long long start, len;
  if (which == 0) { c.need(2); start = 1; len = c.int_arg(1); }
  else if (which == 1) { c.need(2); len = c.int_arg(1); start = static_cast<long long>(n) - len + 1; }
  else { c.need(3); start = c.int_arg(1); len = c.int_arg(2); }
  if (len < 0 || start < 1 || start + len - 1 > static_cast<long long>(n))
    c.in.fail(c.e.pos, fmt::format("{}: range {}..{} is outside 1..{}", c.e.name, start, start + len - 1, n));
  Value out;
  out.base = v.base;
  out.dims = v.dims;
  out.dims[0] = static_cast<std::size_t>(len);
  out.elems.assign(v.elems.begin() + (start - 1) * block, v.elems.begin() + (start - 1 + len) * block);
  return out;
}

Value sorted(Call c, bool ascending) {
  c.need(1);
  Value v = c.args[0];
  if (!v.all_const()) c.in.fail(c.e.pos, c.e.name + " of parameters is not supported");
  std::stable_sort(v.elems.begin(), v.elems.end(),
                   [&](const Ref& a, const Ref& b) { return ascending ? a.c < b.c : a.c > b.c; });
  return v;
}

Value size_of(Call c, int which) {  // size, num_elements, rows, cols
  c.need(1);
  const Value& v = c.args[0];
  if (which == 1) return Value::scalar(static_cast<double>(v.size()), true);
  if (which == 0 && v.is_matrix() && v.array_dims() == 0) return Value::scalar(static_cast<double>(v.size()), true);
  if (which == 0) return Value::scalar(v.is_scalar() ? 1.0 : static_cast<double>(v.dims[0]), true);
  if (v.is_matrix()) return Value::scalar(static_cast<double>(which == 2 ? v.rows() : v.cols()), true);
  bool row = v.base == BaseType::RowVector;
  double n = v.is_scalar() ? 1 : static_cast<double>(v.dims.back());
  if (which == 2) return Value::scalar(row ? 1 : n, true);
  return Value::scalar(row ? n : 1, true);
}

// Arithmetic on values, folded when constant (the compositions below get their gradients from
// the graph's elementwise functions).
struct Ops {
  Interp& in;
  lang::Pos pos;
  Value u(UnaryFn f, const Value& a) const { return in_unary(f, a); }
  Value b(BinaryFn f, const Value& x, const Value& y) const { return in_binary(f, x, y); }
  Value k(double v) const { return Value::scalar(v); }
  // Defined below, through Interp's static helpers (the handlers' access to the evaluator).
  Value in_unary(UnaryFn f, const Value& a) const;
  Value in_binary(BinaryFn f, const Value& x, const Value& y) const;
};

Value rep_vector(Call c, BaseType base) {
  c.need(2);
  long long n = c.int_arg(1);
  if (n < 0) c.in.fail(c.e.pos, c.e.name + ": size must be non-negative");
  return make_vector(base, std::vector<Ref>(static_cast<std::size_t>(n), c.args[0].elems.at(0)));
}

/// A constant sequence of `base` (Int, Real, Vector, RowVector) holding `values`.
Value constants(BaseType base, const std::vector<double>& values) {
  std::vector<Ref> refs;
  refs.reserve(values.size());
  for (double v : values) refs.push_back(Ref::constant(v));
  return make_vector(base, std::move(refs));
}

/// The data values of a sequence argument.
std::vector<double> data_values(Call c, std::size_t i) {
  if (!c.args[i].all_const()) c.in.fail(c.e.pos, c.e.name + " of parameters is not supported");
  std::vector<double> out;
  for (const Ref& r : c.args[i].elems) out.push_back(r.c);
  return out;
}

Value sort_indices(Call c, bool ascending) {
  c.need(1);
  std::vector<double> v = data_values(c, 0);
  std::vector<double> idx(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) idx[i] = static_cast<double>(i + 1);
  std::stable_sort(idx.begin(), idx.end(), [&](double a, double b) {
    double x = v[static_cast<std::size_t>(a) - 1], y = v[static_cast<std::size_t>(b) - 1];
    return ascending ? x < y : x > y;
  });
  return constants(BaseType::Int, idx);
}

/// linspaced_array / linspaced_row_vector(n, lo, hi): n values from lo to hi (hi alone when n is 1).
Value linspaced(Call c, BaseType base) {
  c.need(3);
  long long n = c.int_arg(0);
  if (n < 0) c.in.fail(c.e.pos, c.e.name + ": size must be non-negative");
  double lo = c.data_scalar(1), hi = c.data_scalar(2);
  if (hi < lo) c.in.fail(c.e.pos, fmt::format("{}: high ({}) is below low ({})", c.e.name, hi, lo));
  std::vector<double> v;
  for (long long i = 0; i < n; ++i)
    v.push_back(n == 1 ? hi : lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(n - 1));
  return constants(base, v);
}

Value one_hot(Call c, BaseType base) {
  c.need(2);
  long long n = c.int_arg(0), k = c.int_arg(1);
  if (n < 1 || k < 1 || k > n) c.in.fail(c.e.pos, fmt::format("{}: k = {} is outside 1..n = {}", c.e.name, k, n));
  std::vector<double> v(static_cast<std::size_t>(n), 0.0);
  v[static_cast<std::size_t>(k - 1)] = 1;
  return constants(base, v);
}

/// n copies of `value`; value -1 means 1 / n (uniform_simplex, n >= 1).
Value filled(Call c, BaseType base, double value) {
  c.need(1);
  long long n = c.int_arg(0);
  if (n < (value == -1 ? 1 : 0)) c.in.fail(c.e.pos, fmt::format("{}: size {} is too small", c.e.name, n));
  if (value == -1) value = 1.0 / static_cast<double>(n);
  return constants(base, std::vector<double>(static_cast<std::size_t>(n), value));
}

// x * log(y), with Stan's 0 for x = y = 0 when both are data.
Value lmultiply(Interp& in, const lang::Expr& e, std::vector<Value>& a) {
  Call{in, e, a}.need(2);
  if (a[0].all_const() && a[1].all_const() && a[0].elems[0].c == 0 && a[1].elems[0].c == 0)
    return Value::scalar(0.0);
  Ops o{in, e.pos};
  return o.b(BinaryFn::Mul, a[0], o.u(UnaryFn::Log, a[1]));
}

}  // namespace

std::vector<std::string> Interp::special_names() {
  std::vector<std::string> out;
  for (const auto& [name, handler] : special_table()) out.emplace_back(name);
  return out;
}

Value Ops::in_unary(UnaryFn f, const Value& a) const { return Interp::unary_value(in, f, a); }
Value Ops::in_binary(BinaryFn f, const Value& x, const Value& y) const {
  return Interp::binary_value(in, f, x, y, pos);
}

Value Interp::unary_value(Interp& in, UnaryFn f, const Value& a) { return in.map_unary(f, a); }
Value Interp::binary_value(Interp& in, BinaryFn f, const Value& a, const Value& b, lang::Pos pos) {
  Value r = in.arith(f, a, b, pos);
  if (r.base == BaseType::Int) r.base = BaseType::Real;
  return r;
}

const std::unordered_map<std::string_view, Interp::Special>& Interp::special_table() {
  static const std::unordered_map<std::string_view, Special> table = [] {
  std::unordered_map<std::string_view, Special> all = {
      {"log_mix", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) -> Value {
         Ops o{in, e.pos};
         if (a.size() == 3) {  // log_sum_exp(log(theta) + lp1, log1m(theta) + lp2)
           return o.b(BinaryFn::LogSumExp, o.b(BinaryFn::Add, o.u(UnaryFn::Log, a[0]), a[1]),
                      o.b(BinaryFn::Add, o.u(UnaryFn::Log1m, a[0]), a[2]));
         }
         Call{in, e, a}.need(2);
         if (a[0].size() != a[1].size()) in.fail(e.pos, "log_mix: the mixing proportions and densities have different sizes");
         Value terms = o.b(BinaryFn::Add, o.u(UnaryFn::Log, a[0]), a[1]);
         return Value::scalar(in.ref_of(in.graph().log_sum_exp(in.node_of(terms))));
       }},
      {"lmgamma", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) -> Value {
         // k (k - 1) / 4 log(pi) + sum_{j=1..k} lgamma(x + (1 - j) / 2)
         Ops o{in, e.pos};
         long long k = Call{in, e, a}.int_arg(0);
         if (k < 1) in.fail(e.pos, "lmgamma: k must be positive");
         Value sum = o.k(static_cast<double>(k * (k - 1)) / 4 * std::log(M_PI));
         for (long long j = 1; j <= k; ++j)
           sum = o.b(BinaryFn::Add, sum,
                     o.u(UnaryFn::Lgamma, o.b(BinaryFn::Add, a[1], o.k(static_cast<double>(1 - j) / 2))));
         return sum;
       }},
      {"log_inv_logit_diff", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) -> Value {
         // x - log1p_exp(x) + log1m_exp(y - x) - log1p_exp(y), as in Stan.
         Ops o{in, e.pos};
         Value t = o.b(BinaryFn::Sub, a[0], o.u(UnaryFn::Log1pExp, a[0]));
         t = o.b(BinaryFn::Add, t, o.u(UnaryFn::Log1mExp, o.b(BinaryFn::Sub, a[1], a[0])));
         return o.b(BinaryFn::Sub, t, o.u(UnaryFn::Log1pExp, a[1]));
       }},
      {"fma", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) -> Value {
         Ops o{in, e.pos};
         return o.b(BinaryFn::Add, o.b(BinaryFn::Mul, a[0], a[1]), a[2]);
       }},
      {"inv_cloglog", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) -> Value {
         Ops o{in, e.pos};
         return o.b(BinaryFn::Sub, o.k(1), o.u(UnaryFn::Exp, o.u(UnaryFn::Neg, o.u(UnaryFn::Exp, a[0]))));
       }},
      {"lmultiply", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return lmultiply(in, e, a); }},
      {"multiply_log", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return lmultiply(in, e, a); }},
      {"binary_log_loss", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) -> Value {
         Ops o{in, e.pos};
         double y = Call{in, e, a}.data_scalar(0);
         return o.u(UnaryFn::Neg, o.u(y != 0 ? UnaryFn::Log : UnaryFn::Log1m, a[1]));
       }},
      {"log_falling_factorial", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) -> Value {
         Ops o{in, e.pos};
         return o.b(BinaryFn::Sub, o.u(UnaryFn::Lgamma, o.b(BinaryFn::Add, a[0], o.k(1))),
                    o.u(UnaryFn::Lgamma, o.b(BinaryFn::Add, o.b(BinaryFn::Sub, a[0], a[1]), o.k(1))));
       }},
      {"falling_factorial", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) -> Value {
         Ops o{in, e.pos};
         if (Call{in, e, a}.int_arg(1) < 0) in.fail(e.pos, "falling_factorial: n must be non-negative");
         Value l = o.b(BinaryFn::Sub, o.u(UnaryFn::Lgamma, o.b(BinaryFn::Add, a[0], o.k(1))),
                       o.u(UnaryFn::Lgamma, o.b(BinaryFn::Add, o.b(BinaryFn::Sub, a[0], a[1]), o.k(1))));
         return o.u(UnaryFn::Exp, l);
       }},
      {"log_rising_factorial", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) -> Value {
         Ops o{in, e.pos};
         return o.b(BinaryFn::Sub, o.u(UnaryFn::Lgamma, o.b(BinaryFn::Add, a[0], a[1])), o.u(UnaryFn::Lgamma, a[0]));
       }},
      {"rising_factorial", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) -> Value {
         Ops o{in, e.pos};
         if (Call{in, e, a}.int_arg(1) < 0) in.fail(e.pos, "rising_factorial: n must be non-negative");
         return o.u(UnaryFn::Exp, o.b(BinaryFn::Sub, o.u(UnaryFn::Lgamma, o.b(BinaryFn::Add, a[0], a[1])),
                                      o.u(UnaryFn::Lgamma, a[0])));
       }},
      {"abs", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) -> Value {
         Call c{in, e, a};
         c.need(1);
         if (!a[0].is_int()) return in.map_unary(UnaryFn::Fabs, a[0]);
         Value v = a[0];
         for (Ref& r : v.elems) r.c = std::fabs(r.c);
         return v;
       }},
      {"log_sum_exp", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) -> Value {
         if (a.size() == 2) {
           Value r = in.arith(BinaryFn::LogSumExp, a[0], a[1], e.pos);
           r.base = BaseType::Real;
           return r;
         }
         Call{in, e, a}.need(1);
         return Value::scalar(in.ref_of(in.graph().log_sum_exp(in.node_of(a[0]))));
       }},
      {"choose", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) -> Value {
         Call c{in, e, a};
         c.need(2);
         long long n = c.int_arg(0), k = c.int_arg(1);
         if (k < 0 || n < 0) in.fail(e.pos, "choose: arguments must be non-negative");
         if (k > n) return Value::scalar(0, true);
         return Value::scalar(std::round(std::exp(std::lgamma(n + 1.0) - std::lgamma(k + 1.0) -
                                                  std::lgamma(n - k + 1.0))),
                              true);
       }},
      {"min", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return min_max({in, e, a}, true); }},
      {"max", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return min_max({in, e, a}, false); }},
      {"int_step", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         Call c{in, e, a};
         c.need(1);
         return Value::scalar(c.data_scalar(0) > 0 ? 1 : 0, true);
       }},
      {"is_inf", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         Call c{in, e, a};
         c.need(1);
         return Value::scalar(std::isinf(c.data_scalar(0)) ? 1 : 0, true);
       }},
      {"is_nan", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         Call c{in, e, a};
         c.need(1);
         return Value::scalar(std::isnan(c.data_scalar(0)) ? 1 : 0, true);
       }},
      {"to_int", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         Call{in, e, a}.need(1);
         Value v = a[0];
         for (Ref& r : v.elems) {
           if (!r.is_const()) in.fail(e.pos, "to_int of a parameter is not supported");
           if (!(std::fabs(r.c) < 2147483648.0))
             in.fail(e.pos, fmt::format("to_int: {} is outside the range of an int", r.c));
           r.c = std::trunc(r.c);
         }
         v.base = BaseType::Int;
         return v;
       }},
      {"sum", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         Call{in, e, a}.need(1);
         if (a[0].is_int()) {
           double s = 0;
           for (const Ref& r : a[0].elems) s += r.c;
           return Value::scalar(s, true);
         }
         return Value::scalar(in.ref_of(sum_of(in.graph(), in.node_of(a[0]))));
       }},
      {"prod", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         Call{in, e, a}.need(1);
         Value r = Value::scalar(in.ref_of(in.graph().prod(in.node_of(a[0]))));
         if (a[0].is_int()) r.base = BaseType::Int;
         return r;
       }},
      {"mean", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return moment({in, e, a}, 0); }},
      {"variance", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return moment({in, e, a}, 1); }},
      {"sd", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return moment({in, e, a}, 2); }},
      {"dot_product", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         Call{in, e, a}.need(2);
         if (a[0].size() != a[1].size()) in.fail(e.pos, "dot_product: arguments have different sizes");
         graph::Graph& g = in.graph();
         return Value::scalar(in.ref_of(sum_of(g, g.binary(BinaryFn::Mul, in.node_of(a[0]), in.node_of(a[1])))));
       }},
      {"rows_dot_product", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         Call{in, e, a}.need(2);
         if (a[0].size() != a[1].size()) in.fail(e.pos, "rows_dot_product: arguments have different sizes");
         if (a[0].is_matrix()) {  // (A .* B) * ones
           Value ones = make_vector(BaseType::Vector, std::vector<Ref>(a[0].cols(), Ref::constant(1)));
           return in.matrix_product(Interp::binary_value(in, BinaryFn::Mul, a[0], a[1], e.pos), ones, e.pos);
         }
         NodeId p = in.graph().binary(BinaryFn::Mul, in.node_of(a[0]), in.node_of(a[1]));
         return in.wrap(p, BaseType::Vector, {a[0].size()});
       }},
      {"dot_self", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         Call{in, e, a}.need(1);
         graph::Graph& g = in.graph();
         return Value::scalar(in.ref_of(sum_of(g, g.unary(UnaryFn::Square, in.node_of(a[0])))));
       }},
      {"cumulative_sum", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         Call{in, e, a}.need(1);
         return in.wrap(in.graph().cumulative_sum(in.node_of(a[0])), a[0].base, a[0].dims);
       }},
      {"softmax", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         Call{in, e, a}.need(1);
         graph::Graph& g = in.graph();
         NodeId x = in.node_of(a[0]);
         NodeId ls = g.binary(BinaryFn::Sub, x, g.log_sum_exp(x));
         return in.wrap(g.unary(UnaryFn::Exp, ls), BaseType::Vector, a[0].dims);
       }},
      {"log_softmax", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         Call{in, e, a}.need(1);
         graph::Graph& g = in.graph();
         NodeId x = in.node_of(a[0]);
         return in.wrap(g.binary(BinaryFn::Sub, x, g.log_sum_exp(x)), BaseType::Vector, a[0].dims);
       }},
      {"size", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return size_of({in, e, a}, 0); }},
      {"num_elements", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return size_of({in, e, a}, 1); }},
      {"rows", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return size_of({in, e, a}, 2); }},
      {"cols", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return size_of({in, e, a}, 3); }},
      {"rep_vector", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         return rep_vector({in, e, a}, BaseType::Vector);
       }},
      {"rep_row_vector", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         return rep_vector({in, e, a}, BaseType::RowVector);
       }},
      {"rep_array", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         Call c{in, e, a};
         if (a.size() < 2 || a.size() > 4) in.fail(e.pos, "rep_array takes 2 to 4 arguments");
         Value out;
         out.base = a[0].base;
         std::size_t reps = 1;
         for (std::size_t i = 1; i < a.size(); ++i) {
           long long n = c.int_arg(i);
           if (n < 0) in.fail(e.pos, "rep_array: size must be non-negative");
           out.dims.push_back(static_cast<std::size_t>(n));
           reps *= static_cast<std::size_t>(n);
         }
         out.dims.insert(out.dims.end(), a[0].dims.begin(), a[0].dims.end());
         for (std::size_t r = 0; r < reps; ++r)
           out.elems.insert(out.elems.end(), a[0].elems.begin(), a[0].elems.end());
         return out;
       }},
      {"linspaced_vector", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         Call c{in, e, a};
         c.need(3);
         long long n = c.int_arg(0);
         if (n < 0) in.fail(e.pos, "linspaced_vector: size must be non-negative");
         double lo = c.data_scalar(1), hi = c.data_scalar(2);
         std::vector<Ref> out;
         for (long long i = 0; i < n; ++i)
           out.push_back(Ref::constant(
               n == 1 ? hi : lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(n - 1)));
         return make_vector(BaseType::Vector, std::move(out));
       }},
      {"to_vector", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         Call{in, e, a}.need(1);
         return make_vector(BaseType::Vector, column_major_elems(a[0]));
       }},
      {"to_row_vector", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         Call{in, e, a}.need(1);
         return make_vector(BaseType::RowVector, column_major_elems(a[0]));
       }},
      {"to_array_1d", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         Call{in, e, a}.need(1);
         return make_vector(a[0].is_int() ? BaseType::Int : BaseType::Real, column_major_elems(a[0]));
       }},
      {"head", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return sub_range({in, e, a}, 0); }},
      {"tail", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return sub_range({in, e, a}, 1); }},
      {"segment", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return sub_range({in, e, a}, 2); }},
      {"append_row", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         Call{in, e, a}.need(2);
         if (a[0].is_matrix() || a[1].is_matrix() ||
             (a[0].base == BaseType::RowVector && a[1].base == BaseType::RowVector))
           return Interp::stack_rows(in, e, a[0], a[1]);
         std::vector<Ref> all = a[0].elems;
         all.insert(all.end(), a[1].elems.begin(), a[1].elems.end());
         return make_vector(BaseType::Vector, std::move(all));
       }},
      {"append_array", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         Call{in, e, a}.need(2);
         if (a[0].dims.size() != a[1].dims.size() ||
             !std::equal(a[0].dims.begin() + 1, a[0].dims.end(), a[1].dims.begin() + 1))
           in.fail(e.pos, "append_array: the arrays' element shapes differ");
         Value out = a[0];
         out.dims[0] += a[1].dims[0];
         out.elems.insert(out.elems.end(), a[1].elems.begin(), a[1].elems.end());
         if (!a[1].is_int()) out.base = a[1].base;
         return out;
       }},
      {"sort_asc", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return sorted({in, e, a}, true); }},
      {"sort_desc", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return sorted({in, e, a}, false); }},
      {"sort_indices_asc", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return sort_indices({in, e, a}, true); }},
      {"sort_indices_desc", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return sort_indices({in, e, a}, false); }},
      {"rank", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         Call c{in, e, a};
         c.need(2);
         std::vector<double> v = data_values(c, 0);
         long long s = c.int_arg(1);
         if (s < 1 || s > static_cast<long long>(v.size()))
           in.fail(e.pos, fmt::format("rank: index {} is outside 1..{}", s, v.size()));
         double x = v[static_cast<std::size_t>(s - 1)];
         return Value::scalar(static_cast<double>(std::count_if(v.begin(), v.end(), [&](double y) { return y < x; })), true);
       }},
      {"dims", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         Call{in, e, a}.need(1);
         std::vector<double> d(a[0].dims.begin(), a[0].dims.end());
         return constants(BaseType::Int, d);
       }},
      {"linspaced_array", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return linspaced({in, e, a}, BaseType::Real); }},
      {"linspaced_row_vector", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return linspaced({in, e, a}, BaseType::RowVector); }},
      {"one_hot_int_array", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return one_hot({in, e, a}, BaseType::Int); }},
      {"one_hot_array", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return one_hot({in, e, a}, BaseType::Real); }},
      {"one_hot_vector", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return one_hot({in, e, a}, BaseType::Vector); }},
      {"one_hot_row_vector", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return one_hot({in, e, a}, BaseType::RowVector); }},
      {"zeros_int_array", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return filled({in, e, a}, BaseType::Int, 0); }},
      {"zeros_array", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return filled({in, e, a}, BaseType::Real, 0); }},
      {"zeros_vector", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return filled({in, e, a}, BaseType::Vector, 0); }},
      {"zeros_row_vector", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return filled({in, e, a}, BaseType::RowVector, 0); }},
      {"ones_int_array", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return filled({in, e, a}, BaseType::Int, 1); }},
      {"ones_array", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return filled({in, e, a}, BaseType::Real, 1); }},
      {"ones_vector", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return filled({in, e, a}, BaseType::Vector, 1); }},
      {"ones_row_vector", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return filled({in, e, a}, BaseType::RowVector, 1); }},
      {"uniform_simplex", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) { return filled({in, e, a}, BaseType::Vector, -1); }},
      {"inc_beta", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         // beta_cdf(x | a, b): the beta distribution's log cdf (with its partials), exponentiated
         Call c{in, e, a};
         c.need(3);
         NodeId args[] = {c.node(2), c.node(0), c.node(1)};
         return c.scalar(c.g().unary(UnaryFn::Exp, c.g().dist(graph::Dist::Beta, graph::DistKind::Lcdf, false, args)));
       }},
      {"log_modified_bessel_first_kind", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         Call c{in, e, a};
         c.need(2);
         c.data_scalar(0);  // the order's derivative is not computed
         return c.scalar(c.g().unary(UnaryFn::Log, c.g().binary(BinaryFn::BesselI, c.node(0), c.node(1))));
       }},
      {"reverse", [](Interp& in, const lang::Expr& e, std::vector<Value>& a) {
         Call{in, e, a}.need(1);
         Value v = a[0];
         std::reverse(v.elems.begin(), v.elems.end());
         return v;
       }},
  };
  for (const auto& [name, handler] : matrix_specials()) all.emplace(name, handler);
  return all;
  }();
  return table;
}

}  // namespace mcmc::model

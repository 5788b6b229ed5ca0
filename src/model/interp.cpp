// Statements, expressions, indexing and assignment of the partial evaluator.
#include "model/interp.hpp"

#include <cmath>
#include <iostream>
#include <limits>
#include <sstream>

#include <fmt/format.h>

#include "lang/diagnostic.hpp"

namespace mcmc::model {

using graph::BinaryFn;
using graph::NodeId;
using graph::UnaryFn;
using lang::BaseType;
using lang::ExprKind;
using lang::StmtKind;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kIntMin = -2147483648.0;

std::size_t product(const std::vector<std::size_t>& d, std::size_t from = 0) {
  std::size_t p = 1;
  for (std::size_t i = from; i < d.size(); ++i) p *= d[i];
  return p;
}
}  // namespace

Interp::Interp(const lang::Program& program, graph::Graph& graph, sampler::Rng* rng)
    : program_(&program), graph_(&graph), rng_(rng) {
  scopes_.emplace_back();
  printer = [](const std::string& s) { std::cerr << s << '\n'; };
}

void Interp::fail(lang::Pos pos, const std::string& message) const {
  throw lang::model_error(program_->file, program_->source, pos, message);
}

void Interp::push_scope() { scopes_.emplace_back(); }
void Interp::pop_scope() { scopes_.pop_back(); }

void Interp::declare(const std::string& name, Value v, bool read_only) {
  scopes_.back()[name] = Var{std::move(v), read_only};
}

const Value* Interp::find(const std::string& name) const {
  for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
    auto f = it->find(name);
    if (f != it->end()) return &f->second.value;
  }
  if (globals) {
    auto g = globals->find(name);
    if (g != globals->end()) return &g->second;
  }
  return nullptr;
}

Value& Interp::lookup(const std::string& name, lang::Pos pos) {
  for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
    auto f = it->find(name);
    if (f != it->end()) return f->second.value;
  }
  if (globals) {
    auto g = globals->find(name);
    // Globals are read-only (the checker forbids assigning to them), so this cast never writes.
    if (g != globals->end()) return const_cast<Value&>(g->second);
  }
  fail(pos, fmt::format("'{}' is not declared", name));
}

// ---- values and nodes ------------------------------------------------------------------------

NodeId Interp::node_of(const Ref& r) {
  if (r.is_const()) return graph_->constant(r.c);
  return graph_->element(r.node, r.idx);
}

NodeId Interp::node_of(const Value& v) {
  if (v.elems.size() == 1) return node_of(v.elems[0]);
  std::vector<double> consts;
  for (const Ref& r : v.elems)
    if (r.is_const()) consts.push_back(r.c);
  if (consts.size() == v.elems.size()) return graph_->constant(consts);
  NodeId cnode = consts.empty() ? graph::kNoNode : graph_->constant(consts);
  std::vector<std::pair<NodeId, std::uint32_t>> picks;
  picks.reserve(v.elems.size());
  std::uint32_t ci = 0;
  for (const Ref& r : v.elems) {
    if (r.is_const())
      picks.emplace_back(cnode, ci++);
    else
      picks.emplace_back(r.node, r.idx);
  }
  return graph_->gather(picks);
}

Value Interp::wrap(NodeId n, BaseType base, std::vector<std::size_t> dims) {
  Value v;
  v.base = base;
  v.dims = std::move(dims);
  std::uint32_t sz = graph_->size(n);
  v.elems.resize(sz);
  if (graph_->is_const(n)) {
    auto c = graph_->const_values(n);
    for (std::uint32_t i = 0; i < sz; ++i) v.elems[i] = Ref::constant(c[i]);
  } else {
    for (std::uint32_t i = 0; i < sz; ++i) v.elems[i] = Ref::of(n, i);
  }
  return v;
}

Ref Interp::ref_of(NodeId n) {
  if (graph_->is_const(n)) return Ref::constant(graph_->const_values(n)[0]);
  return Ref::of(n, 0);
}

std::string Interp::to_text(const Value& v) const {
  auto num = [](const Ref& r, bool is_int) -> std::string {
    if (!r.is_const()) return "<parameter>";
    if (is_int) return fmt::format("{}", static_cast<long long>(r.c));
    if (std::isnan(r.c)) return "nan";
    if (std::isinf(r.c)) return r.c > 0 ? "inf" : "-inf";
    std::ostringstream os;
    os << r.c;
    return os.str();
  };
  if (v.is_scalar()) return num(v.elems[0], v.is_int());
  // Nested brackets following the dims.
  std::string out;
  std::size_t i = 0;
  std::function<void(std::size_t)> rec = [&](std::size_t d) {
    out += '[';
    for (std::size_t j = 0; j < v.dims[d]; ++j) {
      if (j) out += ',';
      if (d + 1 == v.dims.size())
        out += num(v.elems[i++], v.is_int());
      else
        rec(d + 1);
    }
    out += ']';
  };
  rec(0);
  return out;
}

// ---- declarations ----------------------------------------------------------------------------

long long Interp::eval_int(const lang::Expr& e) {
  Value v = eval(e);
  if (!v.is_scalar() || !v.elems[0].is_const())
    fail(e.pos, "expected an integer that does not depend on parameters");
  double c = v.elems[0].c;
  if (c != std::floor(c) || std::isnan(c)) fail(e.pos, "expected an integer");
  return static_cast<long long>(c);
}

bool Interp::eval_cond(const lang::Expr& e) {
  Value v = eval(e);
  if (!v.is_scalar()) fail(e.pos, "a condition must be a scalar");
  if (!v.elems[0].is_const())
    fail(e.pos,
         "this condition depends on parameters; mcmc compiles the model into a fixed graph, so "
         "control flow may depend only on data (use the ternary operator `c ? a : b` instead)");
  return v.elems[0].c != 0;
}

Value Interp::blank(const lang::VarDecl& d) {
  Value v;
  v.base = d.base;
  for (const lang::Expr& e : d.array_dims) {
    long long n = eval_int(e);
    if (n < 0) fail(e.pos, fmt::format("array size of '{}' is {}, must be non-negative", d.name, n));
    v.dims.push_back(static_cast<std::size_t>(n));
  }
  if (d.size) {
    long long n = eval_int(*d.size);
    if (n < 0) fail(d.size->pos, fmt::format("size of '{}' is {}, must be non-negative", d.name, n));
    v.dims.push_back(static_cast<std::size_t>(n));
  }
  if (d.cols) {
    long long n = eval_int(*d.cols);
    if (n < 0) fail(d.cols->pos, fmt::format("number of columns of '{}' is {}, must be non-negative", d.name, n));
    v.dims.push_back(static_cast<std::size_t>(n));
  }
  v.elems.assign(product(v.dims), Ref::constant(d.base == BaseType::Int ? kIntMin : kNaN));
  return v;
}

// ---- indexing --------------------------------------------------------------------------------

std::vector<long long> Interp::index_values(const lang::Index& ix, std::size_t extent,
                                            lang::Pos pos, bool& keeps_dim) {
  std::vector<long long> out;
  keeps_dim = true;
  switch (ix.kind) {
    case lang::Index::Kind::Single: {
      Value v = eval(ix.bounds[0]);
      if (!v.all_const()) fail(ix.bounds[0].pos, "an index must not depend on parameters");
      if (v.is_scalar()) {
        keeps_dim = false;
        out.push_back(static_cast<long long>(v.elems[0].c));
      } else {
        for (const Ref& r : v.elems) out.push_back(static_cast<long long>(r.c));
      }
      break;
    }
    case lang::Index::Kind::Range: {
      long long a = eval_int(ix.bounds[0]), b = eval_int(ix.bounds[1]);
      for (long long i = a; i <= b; ++i) out.push_back(i);
      break;
    }
    case lang::Index::Kind::Lower: {
      long long a = eval_int(ix.bounds[0]);
      for (long long i = a; i <= static_cast<long long>(extent); ++i) out.push_back(i);
      break;
    }
    case lang::Index::Kind::Upper: {
      long long b = eval_int(ix.bounds[0]);
      for (long long i = 1; i <= b; ++i) out.push_back(i);
      break;
    }
    case lang::Index::Kind::All:
      for (long long i = 1; i <= static_cast<long long>(extent); ++i) out.push_back(i);
      break;
  }
  for (long long i : out)
    if (i < 1 || i > static_cast<long long>(extent))
      fail(pos, fmt::format("index {} out of range; expecting index to be between 1 and {}", i, extent));
  return out;
}

std::vector<std::size_t> Interp::select(const Value& v, const std::vector<lang::Index>& indices,
                                        std::vector<std::size_t>& out_dims, BaseType& out_base,
                                        lang::Pos pos) {
  if (indices.size() > v.dims.size()) fail(pos, "too many indexes");
  std::vector<std::vector<long long>> picks(v.dims.size());
  std::vector<bool> keep(v.dims.size(), true);
  for (std::size_t d = 0; d < v.dims.size(); ++d) {
    if (d < indices.size()) {
      bool k;
      picks[d] = index_values(indices[d], v.dims[d], indices[d].bounds.empty() ? pos : indices[d].bounds[0].pos, k);
      keep[d] = k;
    } else {
      for (std::size_t i = 1; i <= v.dims[d]; ++i) picks[d].push_back(static_cast<long long>(i));
    }
  }
  out_dims.clear();
  for (std::size_t d = 0; d < v.dims.size(); ++d)
    if (keep[d]) out_dims.push_back(picks[d].size());
  out_base = v.base;
  if (v.is_vector_like() && !keep.back()) out_base = BaseType::Real;
  if (v.is_matrix()) {
    bool row = keep[keep.size() - 2], col = keep.back();
    out_base = row && col ? BaseType::Matrix : row ? BaseType::Vector : col ? BaseType::RowVector : BaseType::Real;
  }
  // Row-major cartesian product.
  std::vector<std::size_t> stride(v.dims.size(), 1);
  for (std::size_t d = v.dims.size(); d-- > 1;) stride[d - 1] = stride[d] * v.dims[d];
  std::vector<std::size_t> flat;
  std::size_t total = 1;
  for (auto& p : picks) total *= p.size();
  flat.reserve(total);
  std::vector<std::size_t> it(v.dims.size(), 0);
  for (std::size_t n = 0; n < total; ++n) {
    std::size_t off = 0;
    for (std::size_t d = 0; d < v.dims.size(); ++d)
      off += static_cast<std::size_t>(picks[d][it[d]] - 1) * stride[d];
    flat.push_back(off);
    for (std::size_t d = v.dims.size(); d-- > 0;) {
      if (++it[d] < picks[d].size()) break;
      it[d] = 0;
    }
  }
  return flat;
}

Value Interp::eval_index(const lang::Expr& e) {
  Value base = eval(e.args[0]);
  std::vector<std::size_t> dims;
  BaseType b;
  auto flat = select(base, e.indices, dims, b, e.pos);
  Value out;
  out.base = b;
  out.dims = std::move(dims);
  out.elems.reserve(flat.size());
  for (std::size_t f : flat) out.elems.push_back(base.elems[f]);
  return out;
}

void Interp::assign(Value& target, const std::vector<lang::Index>& indices, const Value& rhs,
                    lang::Pos pos, const std::string& op) {
  std::vector<std::size_t> dims;
  BaseType b;
  std::vector<std::size_t> flat;
  if (indices.empty()) {
    dims = target.dims;
    flat.resize(target.elems.size());
    for (std::size_t i = 0; i < flat.size(); ++i) flat[i] = i;
  } else {
    flat = select(target, indices, dims, b, pos);
  }
  Value value = rhs;
  if (op != "=") {
    Value cur;
    cur.base = indices.empty() ? target.base : b;
    cur.dims = dims;
    for (std::size_t f : flat) cur.elems.push_back(target.elems[f]);
    BinaryFn f = BinaryFn::Add;
    if (op == "-=") f = BinaryFn::Sub;
    else if (op == "*=" || op == ".*=") f = BinaryFn::Mul;
    else if (op == "/=" || op == "./=") f = BinaryFn::Div;
    if (op == "*=" && !cur.is_scalar() && !rhs.is_scalar()) fail(pos, "'*=' needs a scalar right-hand side here");
    value = arith(f, cur, rhs, pos);
    if (cur.is_int() && op == "/=" && value.elems.size() == 1 && value.elems[0].is_const())
      value.elems[0].c = std::trunc(value.elems[0].c);
  }
  if (value.elems.size() == 1 && flat.size() != 1 && value.is_scalar()) {
    fail(pos, "cannot assign a scalar to a container");
  }
  if (value.elems.size() != flat.size())
    fail(pos, fmt::format("size mismatch in assignment: left-hand side has {} elements, right-hand side {}",
                          flat.size(), value.elems.size()));
  for (std::size_t i = 0; i < flat.size(); ++i) target.elems[flat[i]] = value.elems[i];
}

// ---- expressions -----------------------------------------------------------------------------

Value Interp::map_unary(UnaryFn f, const Value& a) {
  Value out;
  out.base = (a.base == BaseType::Int) ? BaseType::Real : a.base;
  out.dims = a.dims;
  if (a.all_const()) {
    out.elems.reserve(a.elems.size());
    for (const Ref& r : a.elems) out.elems.push_back(Ref::constant(graph::apply(f, r.c)));
    return out;
  }
  NodeId n = graph_->unary(f, node_of(a));
  return wrap(n, out.base, out.dims);
}

Value Interp::arith(BinaryFn f, const Value& a, const Value& b, lang::Pos pos) {
  bool both_int = a.is_int() && b.is_int();
  Value out;
  if (a.is_scalar() && b.is_scalar()) {
    out.base = both_int ? BaseType::Int : BaseType::Real;
    const Ref &x = a.elems[0], &y = b.elems[0];
    if (x.is_const() && y.is_const()) {
      double r;
      if (both_int && f == BinaryFn::Div) {
        if (y.c == 0) fail(pos, "integer division by zero");
        r = std::trunc(x.c / y.c);
      } else {
        r = graph::apply(f, x.c, y.c);
      }
      out.elems.push_back(Ref::constant(r));
      return out;
    }
    out.base = BaseType::Real;
    out.elems.push_back(ref_of(graph_->binary(f, node_of(x), node_of(y))));
    return out;
  }
  const Value& shape = a.is_scalar() ? b : a;
  if (!a.is_scalar() && !b.is_scalar() && a.dims != b.dims)
    fail(pos, "operands have different sizes");
  out.base = shape.base == BaseType::Int && both_int ? BaseType::Int : shape.base;
  if (out.base == BaseType::Int && !both_int) out.base = BaseType::Real;
  out.dims = shape.dims;
  if (a.all_const() && b.all_const()) {
    std::size_t n = shape.elems.size();
    out.elems.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      double x = a.elems[a.is_scalar() ? 0 : i].c, y = b.elems[b.is_scalar() ? 0 : i].c;
      double r = (both_int && f == BinaryFn::Div) ? std::trunc(x / y) : graph::apply(f, x, y);
      out.elems.push_back(Ref::constant(r));
    }
    return out;
  }
  NodeId n = graph_->binary(f, node_of(a), node_of(b));
  if (out.base == BaseType::Int) out.base = BaseType::Real;
  return wrap(n, out.base, out.dims);
}

Value Interp::eval_binary(const lang::Expr& e) {
  const std::string& op = e.name;
  if (op == "&&" || op == "||") {
    Value a = eval(e.args[0]);
    if (a.is_scalar() && a.elems[0].is_const()) {
      bool av = a.elems[0].c != 0;
      if (op == "&&" && !av) return Value::scalar(0, true);
      if (op == "||" && av) return Value::scalar(1, true);
      Value b = eval(e.args[1]);
      Value r = arith(BinaryFn::Ne, b, Value::scalar(0, true), e.pos);
      r.base = BaseType::Int;
      return r;
    }
    Value b = eval(e.args[1]);
    Value r = arith(op == "&&" ? BinaryFn::And : BinaryFn::Or, a, b, e.pos);
    r.base = BaseType::Int;
    return r;
  }
  Value a = eval(e.args[0]);
  Value b = eval(e.args[1]);
  static const std::unordered_map<std::string, BinaryFn> ops = {
      {"+", BinaryFn::Add}, {"-", BinaryFn::Sub}, {".*", BinaryFn::Mul}, {"./", BinaryFn::Div},
      {"/", BinaryFn::Div}, {"^", BinaryFn::Pow}, {"<", BinaryFn::Lt}, {"<=", BinaryFn::Le},
      {">", BinaryFn::Gt}, {">=", BinaryFn::Ge}, {"==", BinaryFn::Eq}, {"!=", BinaryFn::Ne},
  };
  if (op == "*") {
    // row_vector * vector is a dot product; everything else here is scalar scaling.
    if (a.base == BaseType::RowVector && b.base == BaseType::Vector && a.array_dims() == 0 &&
        b.array_dims() == 0) {
      if (a.size() != b.size()) fail(e.pos, "operands of '*' have different sizes");
      Value prod = arith(BinaryFn::Mul, a, Value{BaseType::RowVector, a.dims, b.elems}, e.pos);
      NodeId s = graph_->sum(std::vector<NodeId>{node_of(prod)});
      return Value::scalar(ref_of(s));
    }
    if (!a.is_scalar() && !b.is_scalar()) return matrix_product(a, b, e.pos);
    return arith(BinaryFn::Mul, a, b, e.pos);
  }
  if (op == "%") {
    if (!a.is_int() || !b.is_int()) fail(e.pos, "'%' needs int operands");
    long long x = static_cast<long long>(a.elems[0].c), y = static_cast<long long>(b.elems[0].c);
    if (y == 0) fail(e.pos, "modulus by zero");
    return Value::scalar(static_cast<double>(x % y), true);
  }
  if (op == "%/%") {
    if (!a.is_int() || !b.is_int()) fail(e.pos, "'%/%' needs int operands");
    long long x = static_cast<long long>(a.elems[0].c), y = static_cast<long long>(b.elems[0].c);
    if (y == 0) fail(e.pos, "integer division by zero");
    return Value::scalar(static_cast<double>(x / y), true);
  }
  auto it = ops.find(op);
  if (it == ops.end()) fail(e.pos, fmt::format("operator '{}' is not supported", op));
  BinaryFn f = it->second;
  if (f == BinaryFn::Pow) {
    Value r = arith(f, a, b, e.pos);
    if (r.base == BaseType::Int) r.base = BaseType::Real;  // int ^ int is real in Stan
    return r;
  }
  Value r = arith(f, a, b, e.pos);
  bool comparison = f == BinaryFn::Lt || f == BinaryFn::Le || f == BinaryFn::Gt ||
                    f == BinaryFn::Ge || f == BinaryFn::Eq || f == BinaryFn::Ne;
  if (comparison) r.base = BaseType::Int;
  return r;
}

Value Interp::eval(const lang::Expr& e) {
  switch (e.kind) {
    case ExprKind::IntLit:
      return Value::scalar(static_cast<double>(e.int_value), true);
    case ExprKind::RealLit:
      return Value::scalar(e.real_value);
    case ExprKind::StringLit:
      fail(e.pos, "a string can only appear in print() or reject()");
    case ExprKind::Var:
      return lookup(e.name, e.pos);
    case ExprKind::Unary: {
      Value a = eval(e.args[0]);
      if (e.name == "+") return a;
      if (e.name == "'") return transpose(a);
      if (e.name == "-") {
        if (a.all_const()) {
          for (Ref& r : a.elems) r.c = -r.c;
          return a;
        }
        return map_unary(UnaryFn::Neg, a);
      }
      Value r = map_unary(UnaryFn::Not, a);
      r.base = BaseType::Int;
      return r;
    }
    case ExprKind::Binary:
      return eval_binary(e);
    case ExprKind::Cond: {
      Value c = eval(e.args[0]);
      if (!c.is_scalar()) fail(e.args[0].pos, "a condition must be a scalar");
      if (c.elems[0].is_const()) return eval(c.elems[0].c != 0 ? e.args[1] : e.args[2]);
      Value a = eval(e.args[1]), b = eval(e.args[2]);
      if (a.dims != b.dims) fail(e.pos, "both branches of '?:' must have the same size");
      Value out;
      out.base = a.is_int() && b.is_int() ? BaseType::Int : (a.is_int() ? b.base : a.base);
      out.dims = a.dims;
      NodeId n = graph_->select(node_of(c), node_of(a), node_of(b));
      return wrap(n, out.base == BaseType::Int ? BaseType::Real : out.base, out.dims);
    }
    case ExprKind::Call:
      return call(e);
    case ExprKind::Index:
      return eval_index(e);
    case ExprKind::ArrayLit: {
      Value out;
      std::vector<Value> items;
      for (const lang::Expr& a : e.args) items.push_back(eval(a));
      if (items.empty()) fail(e.pos, "empty array expression");
      bool any_real = false;
      for (auto& v : items) any_real = any_real || !v.is_int();
      out.base = items[0].base;
      if (out.base == BaseType::Int && any_real) out.base = BaseType::Real;
      out.dims.push_back(items.size());
      for (std::size_t d : items[0].dims) out.dims.push_back(d);
      for (auto& v : items) {
        if (v.dims != items[0].dims) fail(e.pos, "array expression elements must have the same size");
        out.elems.insert(out.elems.end(), v.elems.begin(), v.elems.end());
      }
      return out;
    }
    case ExprKind::RowVectorLit: {
      Value out;
      out.base = BaseType::RowVector;
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        const lang::Expr& a = e.args[i];
        Value v = eval(a);
        if (v.base == BaseType::RowVector && v.dims.size() == 1) {  // [r1, r2, ...]: a matrix
          if (i == 0) {
            out.base = BaseType::Matrix;
            out.dims = {0, v.size()};
          }
          if (out.base != BaseType::Matrix || v.size() != out.dims[1])
            fail(a.pos, "the rows of a matrix expression must be row_vectors of the same size");
          ++out.dims[0];
          out.elems.insert(out.elems.end(), v.elems.begin(), v.elems.end());
          continue;
        }
        if (!v.is_scalar() || out.base == BaseType::Matrix)
          fail(a.pos, "a row_vector expression holds scalars, or row_vectors (a matrix), not both");
        out.elems.push_back(v.elems[0]);
      }
      if (out.base == BaseType::RowVector) out.dims.push_back(out.elems.size());
      return out;
    }
    case ExprKind::TargetCall: {
      NodeId s = graph_->sum(target_);
      return Value::scalar(ref_of(s));
    }
  }
  fail(e.pos, "unsupported expression");
}

// ---- statements ------------------------------------------------------------------------------

void Interp::exec_block(const std::vector<lang::Stmt>& stmts) {
  for (const lang::Stmt& s : stmts) {
    Flow f = exec(s);
    if (f != Flow::Normal) fail(s.pos, "break or continue outside a loop");
  }
}

Interp::Flow Interp::run_body(const std::vector<lang::Stmt>& body, const std::string& loop_var,
                              Value loop_value) {
  push_scope();
  if (!loop_var.empty()) declare(loop_var, std::move(loop_value), true);
  Flow f = Flow::Normal;
  for (const lang::Stmt& b : body) {
    f = exec(b);
    if (f != Flow::Normal) break;
  }
  pop_scope();
  return f;
}

Interp::Flow Interp::exec(const lang::Stmt& s) {
  stmt_pos_ = s.pos;
  switch (s.kind) {
    case StmtKind::Decl: {
      const lang::VarDecl& d = *s.decl;
      Value v = blank(d);
      if (d.init) assign(v, {}, eval(*d.init), d.init->pos, "=");
      declare(d.name, std::move(v));
      return Flow::Normal;
    }
    case StmtKind::Assign: {
      const lang::Expr& lhs = s.exprs[0];
      const lang::Expr& var = lhs.kind == ExprKind::Index ? lhs.args[0] : lhs;
      Value rhs = eval(s.exprs[1]);
      Value& target = lookup(var.name, var.pos);
      static const std::vector<lang::Index> none;
      assign(target, lhs.kind == ExprKind::Index ? lhs.indices : none, rhs, s.pos, s.name);
      return Flow::Normal;
    }
    case StmtKind::Tilde:
      sample(s);
      return Flow::Normal;
    case StmtKind::TargetPlus: {
      Value v = eval(s.exprs[0]);
      target_.push_back(graph_->sum(std::vector<NodeId>{node_of(v)}));
      target_pos_.push_back(s.pos);
      return Flow::Normal;
    }
    case StmtKind::For: {
      long long lo = eval_int(s.exprs[0]), hi = eval_int(s.exprs[1]);
      ++loop_depth_;
      for (long long i = lo; i <= hi; ++i) {
        if (Flow f = run_body(s.body, s.name, Value::scalar(static_cast<double>(i), true)); f != Flow::Normal && f != Flow::Continue) {
          if (f == Flow::Break) break;
          --loop_depth_;
          return f;  // return from a function
        }
      }
      --loop_depth_;
      return Flow::Normal;
    }
    case StmtKind::ForEach: {
      Value c = eval(s.exprs[0]);
      if (c.is_scalar()) fail(s.exprs[0].pos, "foreach needs a container");
      std::size_t n = c.dims[0];
      std::size_t block = n ? c.elems.size() / n : 0;
      ++loop_depth_;
      for (std::size_t i = 0; i < n; ++i) {
        Value item;
        item.base = c.base;
        item.dims.assign(c.dims.begin() + 1, c.dims.end());
        if (item.dims.empty() && c.is_vector_like()) item.base = BaseType::Real;
        item.elems.assign(c.elems.begin() + i * block, c.elems.begin() + (i + 1) * block);
        if (Flow f = run_body(s.body, s.name, std::move(item)); f != Flow::Normal && f != Flow::Continue) {
          if (f == Flow::Break) break;
          --loop_depth_;
          return f;  // return from a function
        }
      }
      --loop_depth_;
      return Flow::Normal;
    }
    case StmtKind::While: {
      ++loop_depth_;
      long long guard = 0;
      while (eval_cond(s.exprs[0])) {
        if (++guard > 100000000) fail(s.pos, "while loop did not terminate after 10^8 iterations");
        if (Flow f = run_body(s.body); f != Flow::Normal && f != Flow::Continue) {
          if (f == Flow::Break) break;
          --loop_depth_;
          return f;  // return from a function
        }
      }
      --loop_depth_;
      return Flow::Normal;
    }
    case StmtKind::If: {
      const std::vector<lang::Stmt>& branch = eval_cond(s.exprs[0]) ? s.body : s.else_body;
      for (const lang::Stmt& b : branch) {
        push_scope();
        Flow f = exec(b);
        pop_scope();
        if (f != Flow::Normal) return f;
      }
      return Flow::Normal;
    }
    case StmtKind::Break:
      return Flow::Break;
    case StmtKind::Continue:
      return Flow::Continue;
    case StmtKind::Block: {
      if (s.name != "profile" || s.exprs.empty()) return run_body(s.body);
      // profile("name") { ... }: the nodes made here carry the region (graph/tape.hpp times them).
      const std::uint32_t previous = graph_->open_profile(s.exprs[0].name);
      Flow f = run_body(s.body);
      graph_->close_profile(previous);
      return f;
    }
    case StmtKind::Print:
    case StmtKind::Reject: {
      std::string text;
      for (const lang::Expr& a : s.exprs) {
        if (a.kind == ExprKind::StringLit)
          text += a.name;
        else
          text += to_text(eval(a));
      }
      if (s.kind == StmtKind::Reject) fail(s.pos, s.name + "() called: " + text);
      printer(text);
      return Flow::Normal;
    }
    case StmtKind::Empty:
      return Flow::Normal;
    case StmtKind::Return:
      return_value_ = s.exprs.empty() ? Value{} : eval(s.exprs[0]);
      return Flow::Return;
    case StmtKind::CallStmt:
      eval(s.exprs[0]);
      return Flow::Normal;
  }
  return Flow::Normal;
}

}  // namespace mcmc::model

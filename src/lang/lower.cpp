// Lowering of the X3 syntax tree (grammar/ast.hpp) into the clean lang::Program, with positions.
#include "lang/lower.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <set>
#include <typeinfo>

#include "grammar/prescan.hpp"
#include "lang/diagnostic.hpp"

namespace mcmc::lang {

namespace gast = mcmc::grammar::ast;

bool is_reserved_word(const std::string& word) {
  static const std::set<std::string> words = {
      "for",      "in",         "while",     "repeat",     "until",   "then",     "true",
      "false",    "target",     "if",        "else",       "int",     "real",     "vector",
      "row_vector", "matrix",   "array",     "lower",      "upper",   "offset",   "multiplier",
      "return",   "break",      "continue",  "void",       "functions", "data",   "parameters",
      "model",    "quantities", "transformed", "generated", "print",   "reject",   "struct",
      "typedef",  "export",     "auto",      "extern",     "var",     "static",   "complex",
      "tuple",    "fatal_error", "profile",  "simplex",    "ordered", "positive_ordered",
      "unit_vector", "cholesky_factor_corr", "cholesky_factor_cov", "corr_matrix", "cov_matrix"};
  return words.count(word) > 0;
}

namespace {

int precedence(const std::string& op) {
  if (op == "||") return 1;
  if (op == "&&") return 2;
  if (op == "==" || op == "!=") return 3;
  if (op == "<" || op == "<=" || op == ">" || op == ">=") return 4;
  if (op == "+" || op == "-") return 5;
  return 6;  // * / % %/% .* ./
}

class Lowerer {
 public:
  Lowerer(const grammar::ParseOutput& parsed, const std::string& file, const std::string& source,
          const std::string& text)
      : parsed_(parsed), file_(file), source_(source), text_(text), lines_(source) {}

  Program program() {
    Program p;
    p.file = file_;
    p.source = source_;
    int last = -1;
    std::string last_name;
    bool functions_seen = false;
    for (const gast::block& b : parsed_.program) {
      std::string name = normalize_block_name(b.name);
      Pos pos = pos_of(b);
      if (name == "functions") {
        if (functions_seen) fail(pos, "duplicate 'functions' block");
        if (last >= 0) fail(pos, "the 'functions' block must come before the '" + last_name + "' block");
        functions_seen = true;
        for (const gast::statement& s : b.body) {
          const auto* f = boost::get<gast::fun_def>(&s);
          if (!f) fail(statement(s).pos, "only function definitions are allowed in the functions block");
          p.functions.push_back(function(*f));
        }
        continue;
      }
      int kind = block_index(name);
      if (p.blocks[kind].present) fail(pos, "duplicate '" + name + "' block");
      if (kind < last)
        fail(pos, "the '" + name + "' block must come before the '" + last_name + "' block");
      last = kind;
      last_name = name;
      Block& block = p.blocks[kind];
      block.present = true;
      block.pos = pos;
      for (const gast::statement& s : b.body) statements(s, block.stmts);
    }
    for (const Block& b : p.blocks)
      for (const Stmt& s : b.stmts) depth(s, 1);
    for (const FunDef& f : p.functions)
      for (const Stmt& s : f.body) depth(s, 1);
    return p;
  }

  Type fun_type(const gast::fun_type& t) const {
    Type out{t.base == "void" ? BaseType::Void : base_type(t.base), 0};
    if (t.dims) out.array_dims = 1 + static_cast<int>(std::count(t.dims->begin(), t.dims->end(), ','));
    return out;
  }

  FunDef function(const gast::fun_def& x) {
    FunDef f;
    f.name = x.name.name;
    f.pos = pos_of(x.name);
    check_name(f.name, f.pos, "a function name");
    f.result = fun_type(x.result);
    if (x.result.data) fail(pos_of(x.result), "a function's result cannot be declared 'data'");
    for (const gast::fun_arg& a : x.args) {
      FunArg arg;
      arg.name = a.name.name;
      arg.pos = pos_of(a.name);
      check_name(arg.name, arg.pos, "an argument name");
      arg.type = fun_type(a.type);
      arg.data_only = a.type.data.has_value();
      if (arg.type.base == BaseType::Void) fail(pos_of(a.type), "an argument cannot be void");
      for (const FunArg& other : f.args)
        if (other.name == arg.name) fail(arg.pos, "duplicate argument '" + arg.name + "'");
      f.args.push_back(std::move(arg));
    }
    f.defined = x.body.open == '{';
    for (const gast::statement& s : x.body.body) statements(s, f.body);
    return f;
  }

  /// Deeper trees are rejected so that every recursive pass (checker, compiler, even the
  /// destructors) stays far from the stack limit.
  static constexpr int kMaxDepth = 2000;

  void too_deep(Pos pos) const {
    fail(pos, "the model is nested too deeply (more than " + std::to_string(kMaxDepth) +
                  " levels of expressions / statements); split it into smaller pieces");
  }

  void depth(const Expr& e, int d) const {
    if (d > kMaxDepth) too_deep(e.pos);
    for (const Expr& a : e.args) depth(a, d + 1);
    for (const Index& ix : e.indices)
      for (const Expr& b : ix.bounds) depth(b, d + 1);
  }

  void depth(const Stmt& s, int d) const {
    if (d > kMaxDepth) too_deep(s.pos);
    for (const Expr& e : s.exprs) depth(e, d + 1);
    if (s.decl) {
      const VarDecl& v = *s.decl;
      for (const Expr& e : v.array_dims) depth(e, d + 1);
      for (const auto* o : {&v.size, &v.cols, &v.lower, &v.upper, &v.offset, &v.multiplier, &v.init})
        if (*o) depth(**o, d + 1);
    }
    for (const Stmt& c : s.body) depth(c, d + 1);
    for (const Stmt& c : s.else_body) depth(c, d + 1);
  }

 private:
  const grammar::ParseOutput& parsed_;
  const std::string& file_;
  const std::string& source_;
  const std::string& text_;
  grammar::LineIndex lines_;

  [[noreturn]] void fail(Pos pos, const std::string& message) const {
    throw model_error(file_, source_, pos, message);
  }

  Pos pos_at(std::size_t offset) const {
    if (offset == std::string::npos) return {};
    while (offset < text_.size() && std::isspace(static_cast<unsigned char>(text_[offset]))) ++offset;
    auto [line, col] = lines_(offset);
    return {line, col};
  }
  Pos pos_of(const boost::spirit::x3::position_tagged& node) const {
    return pos_at(parsed_.begin_of(node));
  }

  static std::string normalize_block_name(const std::string& raw) {
    std::string out;
    bool space = false;
    for (char c : raw) {
      if (std::isspace(static_cast<unsigned char>(c))) {
        space = true;
        continue;
      }
      if (space && !out.empty()) out += ' ';
      space = false;
      out += c;
    }
    return out;
  }

  static int block_index(const std::string& name) {
    for (int k = 0; k < kNumBlocks; ++k)
      if (name == block_name(static_cast<BlockKind>(k))) return k;
    return 0;  // the grammar only accepts the six names
  }

  void check_name(const std::string& name, Pos pos, const char* what) const {
    if (is_reserved_word(name))
      fail(pos, "'" + name + "' is a reserved word and cannot be used as " + what);
    if (!name.empty() && name[0] == '_')
      fail(pos, "identifier '" + name + "' cannot start with '_'");
    if (name.size() >= 2 && name.compare(name.size() - 2, 2, "__") == 0)
      fail(pos, "identifier '" + name + "' cannot end in '__' (reserved for internal names)");
  }

  // ---- expressions ----

  Expr make(ExprKind kind, Pos pos, std::string name = {}) const {
    Expr e;
    e.kind = kind;
    e.pos = pos;
    e.name = std::move(name);
    return e;
  }

  Expr expression(const gast::expression& x) {
    Expr head = chain(x.head);
    if (!x.tail) return head;
    Expr cond = make(ExprKind::Cond, pos_of(x));
    cond.args.push_back(std::move(head));
    cond.args.push_back(expression(x.tail->if_true.get()));
    cond.args.push_back(expression(x.tail->if_false.get()));
    return cond;
  }

  Expr apply_prefix(const std::string& prefix, Expr e, Pos pos) const {
    for (auto it = prefix.rbegin(); it != prefix.rend(); ++it) {
      Expr u = make(ExprKind::Unary, pos, std::string(1, *it));
      u.args.push_back(std::move(e));
      e = std::move(u);
    }
    return e;
  }

  static Expr binary(const std::string& op, Expr lhs, Expr rhs) {
    Expr b;
    b.kind = ExprKind::Binary;
    b.pos = lhs.pos;
    b.name = op;
    b.args.push_back(std::move(lhs));
    b.args.push_back(std::move(rhs));
    return b;
  }

  /// operand_i (op_i operand_{i+1})*: `^` runs first (right-assoc, under the prefix operators),
  /// then precedence climbing over the other, left-associative operators.
  Expr chain(const gast::chain& c) {
    std::vector<const gast::operand*> operands{&c.first};
    std::vector<std::string> ops;
    for (const gast::op_operand& r : c.rest) {
      ops.push_back(r.op);
      operands.push_back(&r.rhs);
    }
    std::vector<Expr> runs;
    std::vector<std::string> run_ops;
    std::size_t i = 0;
    while (i < operands.size()) {
      std::size_t j = i;
      while (j < ops.size() && ops[j] == "^") ++j;  // operands i..j joined by ^
      Expr acc = apply_prefix(operands[j]->prefix, postfix(operands[j]->value), pos_of(*operands[j]));
      for (std::size_t k = j; k-- > i;) {
        Expr base = postfix(operands[k]->value);
        acc = apply_prefix(operands[k]->prefix, binary("^", std::move(base), std::move(acc)),
                           pos_of(*operands[k]));
      }
      runs.push_back(std::move(acc));
      if (j < ops.size()) run_ops.push_back(ops[j]);
      i = j + 1;
    }
    std::size_t k = 0;
    return climb(runs, run_ops, 0, k);
  }

  static Expr climb(std::vector<Expr>& runs, const std::vector<std::string>& ops, int min_prec,
                    std::size_t& k) {
    Expr lhs = std::move(runs[k]);
    while (k < ops.size() && precedence(ops[k]) >= min_prec) {
      const std::string& op = ops[k];
      int p = precedence(op);
      ++k;
      Expr rhs = climb(runs, ops, p + 1, k);
      lhs = binary(op, std::move(lhs), std::move(rhs));
    }
    return lhs;
  }

  Expr postfix(const gast::postfix& p) {
    Expr e = primary(p.base);
    Pos pos = pos_of(p);
    for (const auto& group : p.indexes) {
      if (group.empty()) {  // the transpose `'`
        Expr t = make(ExprKind::Unary, pos, "'");
        t.args.push_back(std::move(e));
        e = std::move(t);
        continue;
      }
      Expr ix = make(ExprKind::Index, pos);
      ix.args.push_back(std::move(e));
      for (const gast::index_item& item : group) ix.indices.push_back(index(item));
      e = std::move(ix);
    }
    return e;
  }

  Index index(const gast::index_item& item) {
    Index ix;
    if (!item.tail) {
      if (item.lo) {
        ix.kind = Index::Kind::Single;
        ix.bounds.push_back(expression(item.lo->get()));
      } else {
        ix.kind = Index::Kind::All;
      }
      return ix;
    }
    bool lo = item.lo.has_value(), hi = item.tail->hi.has_value();
    ix.kind = lo && hi ? Index::Kind::Range : lo ? Index::Kind::Lower : hi ? Index::Kind::Upper
                                                                            : Index::Kind::All;
    if (lo) ix.bounds.push_back(expression(item.lo->get()));
    if (hi) ix.bounds.push_back(expression(item.tail->hi->get()));
    return ix;
  }

  struct PrimaryVisitor {
    Lowerer& self;
    using result_type = Expr;
    Expr operator()(const gast::real_lit& x) const { return self.real_literal(x); }
    Expr operator()(const gast::int_lit& x) const { return self.int_literal(x); }
    Expr operator()(const gast::target_call& x) const {
      return self.make(ExprKind::TargetCall, self.pos_of(x), "target");
    }
    Expr operator()(const gast::call& x) const { return self.call(x); }
    Expr operator()(const gast::identifier& x) const { return self.variable(x); }
    Expr operator()(const gast::list_lit& x) const {
      Expr e = self.make(x.open == '{' ? ExprKind::ArrayLit : ExprKind::RowVectorLit, self.pos_of(x));
      for (const auto& item : x.items) e.args.push_back(self.expression(item.get()));
      return e;
    }
    Expr operator()(const gast::paren& x) const { return self.expression(x.inner.get()); }
  };

  Expr primary(const gast::primary& p) { return boost::apply_visitor(PrimaryVisitor{*this}, p); }

  Expr real_literal(const gast::real_lit& x) const {
    Expr e = make(ExprKind::RealLit, pos_of(x));
    errno = 0;
    e.real_value = std::strtod(x.text.c_str(), nullptr);
    if (errno == ERANGE && std::abs(e.real_value) > 1.0)
      fail(e.pos, "real literal " + x.text + " is too large");
    return e;
  }

  Expr int_literal(const gast::int_lit& x) const {
    Expr e = make(ExprKind::IntLit, pos_of(x));
    std::string digits = x.text;
    std::size_t nz = digits.find_first_not_of('0');
    digits = nz == std::string::npos ? "0" : digits.substr(nz);
    if (digits.size() > 10 || std::stoll(digits) > INT_MAX)
      fail(e.pos, "integer literal " + x.text + " is too large (the largest int is 2147483647)");
    e.int_value = std::stoll(digits);
    return e;
  }

  Expr variable(const gast::identifier& x) const {
    Pos pos = pos_of(x);
    if (x.name == "target")
      fail(pos, "'target' can only be used as 'target()' or in 'target += ...'");
    check_name(x.name, pos, "a variable name");
    return make(ExprKind::Var, pos, x.name);
  }

  Expr call(const gast::call& x) {
    Expr e = make(ExprKind::Call, pos_of(x), x.name.name);
    if (is_reserved_word(x.name.name))
      fail(e.pos, "'" + x.name.name + "' is a reserved word and cannot be used as a function name");
    for (std::size_t i = 0; i < x.args.size(); ++i) {
      Expr arg = expression(x.args[i].value.get());
      if (x.args[i].sep == '|') {
        if (i != 1) fail(arg.pos, "'|' may only follow the first argument, as in " + x.name.name + "(y | ...)");
        e.bar = true;
      }
      e.args.push_back(std::move(arg));
    }
    return e;
  }

  // ---- statements ----

  Stmt make_stmt(StmtKind kind, Pos pos, std::string name = {}) const {
    Stmt s;
    s.kind = kind;
    s.pos = pos;
    s.name = std::move(name);
    return s;
  }

  struct StatementVisitor {
    Lowerer& self;
    using result_type = Stmt;
    Stmt operator()(const gast::word_stmt& x) const { return self.word(x); }
    Stmt operator()(const gast::block_stmt& x) const {
      Stmt s = self.make_stmt(StmtKind::Block, self.pos_of(x));
      for (const gast::statement& inner : x.body) self.statements(inner, s.body);
      return s;
    }
    Stmt operator()(const gast::decl_stmt& x) const {
      std::vector<Stmt> decls = self.declarations(x);
      if (decls.size() == 1) return std::move(decls.front());
      Stmt block = self.make_stmt(StmtKind::Block, decls.front().pos);  // `real a, b;` as a loop body
      block.body = std::move(decls);
      return block;
    }
    Stmt operator()(const gast::simple_stmt& x) const { return self.simple(x); }
    Stmt operator()(const gast::for_stmt& x) const { return self.for_loop(x); }
    Stmt operator()(const gast::while_stmt& x) const {
      Stmt s = self.make_stmt(StmtKind::While, self.pos_of(x));
      s.exprs.push_back(self.expression(x.cond));
      s.body.push_back(self.statement(x.body.get()));
      return s;
    }
    Stmt operator()(const gast::if_stmt& x) const { return self.conditional(x); }
    Stmt operator()(const gast::print_stmt& x) const { return self.print(x); }
    Stmt operator()(const gast::fun_def& x) const {
      self.fail(self.pos_of(x), "function definitions are only allowed in the functions block");
    }
    Stmt operator()(const gast::return_stmt& x) const {
      Stmt s = self.make_stmt(StmtKind::Return, self.pos_of(x));
      if (x.value) s.exprs.push_back(self.expression(*x.value));
      return s;
    }
    Stmt operator()(const gast::profile_stmt& x) const {  // a block whose nodes carry its name (exprs[0])
      Stmt s = self.make_stmt(StmtKind::Block, self.pos_of(x), "profile");
      s.exprs.push_back(self.make(ExprKind::StringLit, self.pos_of(x.name), x.name.text));
      for (const gast::statement& inner : x.body.body) self.statements(inner, s.body);
      return s;
    }
    Stmt operator()(const gast::call_stmt& x) const {
      Stmt s = self.make_stmt(StmtKind::CallStmt, self.pos_of(x));
      s.exprs.push_back(self.expression(x.value));
      if (s.exprs[0].kind != ExprKind::Call)
        self.fail(s.pos, "a statement that is only an expression must be a call of a void function");
      return s;
    }
  };

  Stmt statement(const gast::statement& s) { return boost::apply_visitor(StatementVisitor{*this}, s); }

  /// Appends the lowered statement(s): `real a, b;` becomes two Decl statements.
  void statements(const gast::statement& s, std::vector<Stmt>& out) {
    if (const auto* d = boost::get<gast::decl_stmt>(&s)) {
      for (Stmt& decl : declarations(*d)) out.push_back(std::move(decl));
      return;
    }
    out.push_back(statement(s));
  }

  Stmt word(const gast::word_stmt& x) const {
    Pos pos = pos_of(x);
    if (x.word == "break") return make_stmt(StmtKind::Break, pos);
    if (x.word == "continue") return make_stmt(StmtKind::Continue, pos);
    return make_stmt(StmtKind::Empty, pos);
  }

  static BaseType base_type(const std::string& word) {
    if (word == "int") return BaseType::Int;
    if (word == "vector") return BaseType::Vector;
    if (word == "row_vector") return BaseType::RowVector;
    if (word == "matrix") return BaseType::Matrix;
    if (word == "simplex" || word == "ordered" || word == "positive_ordered") return BaseType::Vector;
    if (word == "cholesky_factor_corr") return BaseType::Matrix;
    return BaseType::Real;
  }

  void constraints(const gast::var_type& t, VarDecl& d) {
    if (!t.constraints) return;
    for (const gast::constraint& c : *t.constraints) {
      Pos pos = pos_of(c);
      std::optional<Expr>* slot = c.key == "lower"   ? &d.lower
                                  : c.key == "upper" ? &d.upper
                                  : c.key == "offset" ? &d.offset
                                                      : &d.multiplier;
      if (slot->has_value()) fail(pos, "duplicate '" + c.key + "' constraint");
      *slot = chain(c.value);
    }
    Pos pos = pos_of(t.constraints->front());
    if ((d.lower || d.upper) && (d.offset || d.multiplier))
      fail(pos, "lower/upper bounds cannot be combined with offset/multiplier");
    if (d.base == BaseType::Int && (d.offset || d.multiplier))
      fail(pos, "offset/multiplier are only allowed on real-valued types");
  }

  std::vector<Stmt> declarations(const gast::decl_stmt& x) {
    std::vector<Stmt> out;
    for (const gast::declarator& v : x.vars) out.push_back(declaration(x.type, v));
    return out;
  }

  Stmt declaration(const gast::var_type& type, const gast::declarator& x) {
    VarDecl d;
    d.name = x.name.name;
    d.pos = pos_of(type);
    d.name_pos = pos_of(x.name);
    d.base = base_type(type.base);
    check_name(d.name, d.name_pos, "a variable name");
    if (x.old_dims) {
      // The hint keeps the type as written, bounds and size included: `int<lower=0> y[N]`
      // becomes `array[N] int<lower=0> y`.
      std::string dims = x.old_dims->text;
      std::size_t b = parsed_.begin_of(type), e = parsed_.end_of(type);
      std::string written = b < e && e <= text_.size() ? text_.substr(b, e - b) : type.base;
      while (!written.empty() && std::isspace(static_cast<unsigned char>(written.back()))) written.pop_back();
      fail(pos_of(*x.old_dims), "old array syntax is not supported: write 'array[" + dims + "] " +
                                    written + " " + d.name + "' instead of '" + written +
                                    " " + d.name + "[" + dims + "]'");
    }
    if (type.dims)
      for (const gast::expression& e : *type.dims) d.array_dims.push_back(expression(e));
    if (type.base == "simplex") d.structure = Structure::Simplex;
    if (type.base == "ordered") d.structure = Structure::Ordered;
    if (type.base == "positive_ordered") d.structure = Structure::PositiveOrdered;
    if (type.base == "cholesky_factor_corr") d.structure = Structure::CholeskyCorr;
    bool sized = d.base == BaseType::Vector || d.base == BaseType::RowVector || d.base == BaseType::Matrix;
    // A square structured matrix (cholesky_factor_corr[K]) has one size.
    std::size_t want = d.base == BaseType::Matrix && d.structure == Structure::None ? 2 : 1;
    const char* example = want == 2 ? "[N, M] " : "[N] ";
    if (sized && !type.size)
      fail(d.pos, type.base + " needs a size, as in " + type.base + example + d.name);
    if (!sized && type.size)
      fail(pos_of(type.size->front()), type.base + " takes no size; for an array write 'array[N] " +
                                     type.base + " " + d.name + "'");
    if (type.size && type.size->size() != want)
      fail(pos_of(type.size->front()), type.base + " takes " + (want == 2 ? "two sizes" : "one size") +
                                           ", as in " + type.base + example + d.name);
    if (type.size) d.size = expression(type.size->front());
    if (type.size && want == 2) d.cols = expression(type.size->back());
    if (type.size && d.base == BaseType::Matrix && want == 1) d.cols = expression(type.size->front());
    if (d.structure != Structure::None && (type.constraints))
      fail(pos_of(type.constraints->front()), type.base + " takes no bounds");
    constraints(type, d);
    if (x.init) d.init = expression(*x.init);
    Stmt s = make_stmt(StmtKind::Decl, d.pos);
    s.decl = std::move(d);
    return s;
  }

  static bool assignable(const Expr& e) {
    if (e.kind == ExprKind::Var) return true;
    return e.kind == ExprKind::Index && assignable(e.args[0]);
  }

  Stmt simple(const gast::simple_stmt& x) {
    Pos pos = pos_of(x);
    const gast::operand& first = x.lhs.head.first;
    bool lhs_is_target = !x.lhs.tail && x.lhs.head.rest.empty() && first.prefix.empty() &&
                         first.value.indexes.empty() &&
                         first.value.base.get().type() == typeid(gast::identifier) &&
                         boost::get<gast::identifier>(first.value.base).name == "target";
    if (lhs_is_target) {
      if (x.op != "+=") fail(pos, "'target' can only be incremented, as in 'target += ...'");
      Stmt s = make_stmt(StmtKind::TargetPlus, pos);
      s.exprs.push_back(expression(x.rhs));
      return s;
    }
    Expr lhs = expression(x.lhs);
    if (x.op == "~") return tilde(x, std::move(lhs), pos);
    if (!assignable(lhs))
      fail(lhs.pos, "the left side of '" + x.op + "' must be a variable or an indexed variable");
    Stmt s = make_stmt(StmtKind::Assign, pos, x.op);
    s.exprs.push_back(std::move(lhs));
    s.exprs.push_back(expression(x.rhs));
    return s;
  }

  Stmt tilde(const gast::simple_stmt& x, Expr lhs, Pos pos) {
    Expr rhs = expression(x.rhs);
    if (rhs.kind != ExprKind::Call)
      fail(rhs.pos, "expected a distribution after '~', as in 'y ~ normal(mu, sigma)'");
    if (rhs.bar) fail(rhs.pos, "'|' is not used after '~': write 'y ~ " + rhs.name + "(...)'");
    Stmt s = make_stmt(StmtKind::Tilde, pos, rhs.name);
    s.name_pos = rhs.pos;
    if (x.trunc && x.trunc->lo) s.trunc_lower = expression(*x.trunc->lo);
    if (x.trunc && x.trunc->hi) s.trunc_upper = expression(*x.trunc->hi);
    s.exprs.push_back(std::move(lhs));
    for (Expr& a : rhs.args) s.exprs.push_back(std::move(a));
    return s;
  }

  Stmt for_loop(const gast::for_stmt& x) {
    Pos pos = pos_of(x);
    check_name(x.var.name, pos_of(x.var), "a loop variable");
    Stmt s = make_stmt(x.hi ? StmtKind::For : StmtKind::ForEach, pos, x.var.name);
    s.exprs.push_back(expression(x.lo));
    if (x.hi) s.exprs.push_back(expression(*x.hi));
    s.body.push_back(statement(x.body.get()));
    return s;
  }

  Stmt conditional(const gast::if_stmt& x) {
    // `if a s1 else if b s2 else s3` becomes If(a, s1, [If(b, s2, [s3])]).
    std::vector<Stmt> tail;
    if (x.otherwise) tail.push_back(statement(x.otherwise->get()));
    for (auto it = x.elifs.rbegin(); it != x.elifs.rend(); ++it) {
      Stmt s = make_stmt(StmtKind::If, pos_of(it->cond));
      s.exprs.push_back(expression(it->cond));
      s.body.push_back(statement(it->body.get()));
      s.else_body = std::move(tail);
      tail.clear();
      tail.push_back(std::move(s));
    }
    Stmt s = make_stmt(StmtKind::If, pos_of(x));
    s.exprs.push_back(expression(x.cond));
    s.body.push_back(statement(x.then.get()));
    s.else_body = std::move(tail);
    return s;
  }

  struct PrintableVisitor {
    Lowerer& self;
    using result_type = Expr;
    Expr operator()(const gast::string_lit& x) const {
      return self.make(ExprKind::StringLit, self.pos_of(x), x.text);
    }
    Expr operator()(const gast::expression& x) const { return self.expression(x); }
  };

  Stmt print(const gast::print_stmt& x) {
    Stmt s = make_stmt(x.word == "print" ? StmtKind::Print : StmtKind::Reject, pos_of(x), x.word);
    for (const gast::printable& p : x.args)
      s.exprs.push_back(boost::apply_visitor(PrintableVisitor{*this}, p));
    return s;
  }
};

}  // namespace

Program lower(const grammar::ParseOutput& parsed, const std::string& file, const std::string& source,
              const std::string& text) {
  return Lowerer(parsed, file, source, text).program();
}

}  // namespace mcmc::lang

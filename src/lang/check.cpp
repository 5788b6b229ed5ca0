// Semantic checks: scopes, types, function signatures and block rules, with positioned errors.
#include "lang/check.hpp"

#include <map>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "lang/diagnostic.hpp"
#include "lang/ode_solvers.hpp"

namespace mcmc::lang {
namespace {

const Type kInt{BaseType::Int, 0};
const Type kReal{BaseType::Real, 0};
const Type kVector{BaseType::Vector, 0};
const Type kRowVector{BaseType::RowVector, 0};
const Type kMatrix{BaseType::Matrix, 0};
const Type kString{BaseType::String, 0};

/// Where a variable was declared: one of the program blocks, a local, or a loop variable.
enum class Origin { Data, TransformedData, Parameters, TransformedParameters, GeneratedQuantities, Local, Loop, Argument };

struct Symbol {
  Type type;
  Origin origin = Origin::Local;
};

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_density_name(const std::string& name) {
  for (const char* suffix : {"_lpdf", "_lpmf", "_lcdf", "_lccdf", "_cdf", "_lupdf", "_lupmf"})
    if (ends_with(name, suffix)) return true;
  return false;
}

bool is_numeric(const Type& t) {
  return t.base == BaseType::Int || t.base == BaseType::Real || t.base == BaseType::Vector ||
         t.base == BaseType::RowVector || t.base == BaseType::Matrix;
}

bool sized_base(BaseType b) { return b == BaseType::Vector || b == BaseType::RowVector || b == BaseType::Matrix; }

/// Whether a value of type `from` may be stored in a variable of type `to` (int promotes to real).
bool assignable(const Type& to, const Type& from) {
  if (to == from) return true;
  return to.base == BaseType::Real && from.base == BaseType::Int && to.array_dims == from.array_dims;
}

Origin block_origin(BlockKind k) {
  switch (k) {
    case BlockKind::Data: return Origin::Data;
    case BlockKind::TransformedData: return Origin::TransformedData;
    case BlockKind::Parameters: return Origin::Parameters;
    case BlockKind::TransformedParameters: return Origin::TransformedParameters;
    case BlockKind::GeneratedQuantities: return Origin::GeneratedQuantities;
    case BlockKind::Model: return Origin::Local;
  }
  return Origin::Local;
}

const char* origin_description(Origin o) {
  switch (o) {
    case Origin::Data: return "data variable";
    case Origin::TransformedData: return "transformed data variable";
    case Origin::Parameters: return "parameter";
    case Origin::TransformedParameters: return "transformed parameter";
    case Origin::GeneratedQuantities: return "generated quantity";
    case Origin::Local: return "local variable";
    case Origin::Loop: return "loop variable";
    case Origin::Argument: return "function argument";
  }
  return "variable";
}

/// Walks one program, keeping the scope stack and the current block; throws at the first error.
class Checker {
 public:
  explicit Checker(Program& program) : program_(program) {}

  void run() {
    functions();
    scopes_.emplace_back();  // the program-level scope shared by all blocks
    for (int i = 0; i < kNumBlocks; ++i) {
      block_ = static_cast<BlockKind>(i);
      Block& b = program_.blocks[i];
      if (!b.present) continue;
      bool local_block = block_ == BlockKind::Model;
      if (local_block) scopes_.emplace_back();
      for (Stmt& s : b.stmts) top_level_statement(s);
      if (local_block) scopes_.pop_back();
    }
  }

 private:
  Program& program_;
  BlockKind block_ = BlockKind::Data;
  const FunDef* fun_ = nullptr;  // the function whose body is being checked
  /// User-defined functions by name: the index (in program_.functions) of each signature's definition.
  std::map<std::string, std::vector<int>> functions_;
  std::vector<std::map<std::string, Symbol>> scopes_;
  int loop_depth_ = 0;

  [[noreturn]] void fail(Pos pos, const std::string& message) const {
    throw model_error(program_.file, program_.source, pos, message);
  }

  // ---- scopes -------------------------------------------------------------------------------

  const Symbol* lookup(const std::string& name) const {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      auto found = it->find(name);
      if (found != it->end()) return &found->second;
    }
    return nullptr;
  }

  /// Variables and functions live in separate namespaces, as in Stan (stanc3 >= 2.25): a
  /// variable may be named like a built-in function, and `name(...)` still calls the function.
  void declare(const std::string& name, Pos pos, Type type, Origin origin) {
    if (lookup(name)) fail(pos, "'" + name + "' is already declared");
    scopes_.back()[name] = Symbol{type, origin};
  }

  bool at_program_level() const { return scopes_.size() == 1; }

  // ---- user-defined functions ---------------------------------------------------------------

  static bool same_signature(const FunDef& a, const FunDef& b) {
    if (a.args.size() != b.args.size()) return false;
    for (std::size_t i = 0; i < a.args.size(); ++i)
      if (a.args[i].type != b.args[i].type) return false;
    return true;
  }

  /// Registers every signature first (so functions may call each other in any order, and
  /// recursively), then checks the bodies, each in a scope of its own arguments only.
  void functions() {
    auto& fs = program_.functions;
    for (int i = 0; i < static_cast<int>(fs.size()); ++i) {
      const FunDef& f = fs[i];
      if (catalog::is_builtin(f.name) || find_ode_solver(f.name))
        fail(f.pos, "'" + f.name + "' is a built-in function and cannot be redefined");
      if (ends_with(f.name, "_lupdf") || ends_with(f.name, "_lupmf"))
        fail(f.pos, "define " + f.name.substr(0, f.name.size() - 6) + (ends_with(f.name, "_lupdf") ? "_lpdf" : "_lpmf") +
                        "; its _lupdf / _lupmf form exists by itself");
      if ((ends_with(f.name, "_lpdf") || ends_with(f.name, "_lpmf") || ends_with(f.name, "_lcdf") ||
           ends_with(f.name, "_lccdf")) && !(f.result == kReal))
        fail(f.pos, "a function named " + f.name + " must return real");
      if (ends_with(f.name, "_lpmf") && (f.args.empty() || f.args[0].type.base != BaseType::Int))
        fail(f.pos, "the first argument of " + f.name + " must be int or array[] int");
      if (ends_with(f.name, "_lpdf") && (f.args.empty() || f.args[0].type.base == BaseType::Int))
        fail(f.pos, "the first argument of " + f.name + " must be real-valued");
      std::vector<int>& same_name = functions_[f.name];
      int* found = nullptr;
      for (int& j : same_name)
        if (same_signature(fs[j], f)) found = &j;
      if (!found) {
        same_name.push_back(i);
        continue;
      }
      const FunDef& prev = fs[*found];
      if (!(prev.result == f.result))
        fail(f.pos, "'" + f.name + "' is declared earlier with another return type");
      if (prev.defined && f.defined) fail(f.pos, "'" + f.name + "' is already defined with these argument types");
      if (f.defined) *found = i;
    }
    for (auto& [name, indices] : functions_)
      for (int j : indices)
        if (!fs[j].defined) fail(fs[j].pos, "function '" + name + "' is declared but never defined");
    block_ = BlockKind::Model;  // a function body has the rules of local code (fun_ refines them)
    for (FunDef& f : fs) {
      if (!f.defined) continue;
      fun_ = &f;
      scopes_.emplace_back();
      for (const FunArg& a : f.args) declare(a.name, a.pos, a.type, Origin::Argument);
      scoped_body(f.body);
      scopes_.pop_back();
      fun_ = nullptr;
    }
  }

  /// The user-defined function for a call of `name` with argument types `types`: exact match
  /// first, then with int promoted to real; -1 if `name` is not user-defined.
  int resolve_user(const std::string& name, const std::vector<Type>& types, Pos pos) const {
    auto it = functions_.find(name);
    if (it == functions_.end()) return -1;
    int exact = -1;
    std::vector<int> promoted;
    for (int j : it->second) {
      const FunDef& f = program_.functions[j];
      if (f.args.size() != types.size()) continue;
      bool same = true, ok = true;
      for (std::size_t i = 0; i < types.size(); ++i) {
        same = same && f.args[i].type == types[i];
        ok = ok && assignable(f.args[i].type, types[i]);
      }
      if (same) exact = j;
      else if (ok) promoted.push_back(j);
    }
    if (exact >= 0) return exact;
    if (promoted.size() == 1) return promoted[0];
    std::string args;
    for (std::size_t i = 0; i < types.size(); ++i) args += (i ? ", " : "") + to_string(types[i]);
    std::string sigs;
    for (int j : it->second) {
      const FunDef& f = program_.functions[j];
      sigs += (sigs.empty() ? "" : "; ") + name + "(";
      for (std::size_t i = 0; i < f.args.size(); ++i) sigs += (i ? ", " : "") + to_string(f.args[i].type);
      sigs += ") => " + to_string(f.result);
    }
    fail(pos, std::string(promoted.empty() ? "no matching signature" : "ambiguous call") + " for " + name +
                  "(" + args + "): available " + sigs);
  }

  /// The name of the user function a call of `name` means ("foo_lupdf" means "foo_lpdf").
  static std::string user_name(const std::string& name) {
    if (ends_with(name, "_lupdf")) return name.substr(0, name.size() - 6) + "_lpdf";
    if (ends_with(name, "_lupmf")) return name.substr(0, name.size() - 6) + "_lpmf";
    return name;
  }

  bool is_user_function(const std::string& name) const { return functions_.count(user_name(name)) > 0; }

  bool rng_allowed() const {
    if (fun_) return ends_with(fun_->name, "_rng");
    return block_ == BlockKind::TransformedData || block_ == BlockKind::GeneratedQuantities;
  }

  void return_statement(Stmt& s) {
    if (!fun_) fail(s.pos, "return is only allowed inside a function");
    if (s.exprs.empty()) {
      if (fun_->result.base != BaseType::Void) fail(s.pos, "'" + fun_->name + "' must return a value");
      return;
    }
    if (fun_->result.base == BaseType::Void) fail(s.pos, "a void function cannot return a value");
    expression(s.exprs[0]);
    if (!assignable(fun_->result, s.exprs[0].type))
      fail(s.exprs[0].pos, "'" + fun_->name + "' returns " + to_string(fun_->result) + ", not " +
                               to_string(s.exprs[0].type));
  }

  void call_statement(Stmt& s) {
    Expr& e = s.exprs.at(0);
    expression(e);
    if (e.type.base != BaseType::Void)
      fail(e.pos, "the value of " + e.name + "(...) is not used (only a void function can be called as a statement)");
  }

  // ---- statements ---------------------------------------------------------------------------

  void top_level_statement(Stmt& s) {
    bool decl_only = block_ == BlockKind::Data || block_ == BlockKind::Parameters;
    if (decl_only && s.kind != StmtKind::Decl)
      fail(s.pos, std::string("only variable declarations are allowed in the ") + block_name(block_) +
                      " block");
    statement(s);
  }

  void statement(Stmt& s) {
    switch (s.kind) {
      case StmtKind::Decl: declaration(*s.decl); break;
      case StmtKind::Assign: assignment(s); break;
      case StmtKind::Tilde: tilde(s); break;
      case StmtKind::TargetPlus: target_plus(s); break;
      case StmtKind::For: for_loop(s); break;
      case StmtKind::ForEach: foreach_loop(s); break;
      case StmtKind::While: while_loop(s); break;
      case StmtKind::If: if_statement(s); break;
      case StmtKind::Break:
      case StmtKind::Continue:
        if (loop_depth_ == 0)
          fail(s.pos, std::string(s.kind == StmtKind::Break ? "break" : "continue") +
                          " is only allowed inside a loop");
        break;
      case StmtKind::Block: scoped_body(s.body); break;
      case StmtKind::Print:
      case StmtKind::Reject:
        for (Expr& e : s.exprs) printable(e);
        break;
      case StmtKind::Empty: break;
      case StmtKind::Return: return_statement(s); break;
      case StmtKind::CallStmt: call_statement(s); break;
    }
  }

  /// Checks statements inside a fresh scope.
  void scoped_body(std::vector<Stmt>& body) {
    scopes_.emplace_back();
    for (Stmt& s : body) statement(s);
    scopes_.pop_back();
  }

  void printable(Expr& e) {
    if (e.kind == ExprKind::StringLit) {
      e.type = kString;
      return;
    }
    expression(e);
  }

  // ---- declarations -------------------------------------------------------------------------

  void declaration(VarDecl& d) {
    bool global = at_program_level();
    Origin origin = global ? block_origin(block_) : Origin::Local;
    for (Expr& dim : d.array_dims) size_expression(dim, global, "array dimension");
    if (d.size) size_expression(*d.size, global, d.cols ? "number of rows" : "vector size");
    if (d.cols) size_expression(*d.cols, global, "number of columns");
    if (sized_base(d.base) && !d.size)
      fail(d.pos, "vector, row_vector and matrix declarations need a size");
    if (d.structure != Structure::None && !global)
      fail(d.pos, std::string("local variable '") + d.name + "' cannot be a " + structure_name(d.structure));
    check_constraints(d, global);
    if (d.base == BaseType::Int && global &&
        (block_ == BlockKind::Parameters || block_ == BlockKind::TransformedParameters))
      fail(d.pos, std::string(block_ == BlockKind::Parameters ? "parameters" : "transformed parameters") +
                      " cannot be integers: '" + d.name + "' is declared int");
    if (d.init) {
      if (block_ == BlockKind::Data || block_ == BlockKind::Parameters)
        fail(d.init->pos, std::string("variables in the ") + block_name(block_) +
                              " block cannot have an initial value");
      expression(*d.init);
      if (!assignable(d.type(), d.init->type))
        fail(d.init->pos, assign_mismatch(d.type(), d.init->type, d.name));
    }
    declare(d.name, d.name_pos, d.type(), origin);
  }

  /// Array dimensions and vector sizes: int expressions that never depend on parameters.
  void size_expression(Expr& e, bool global, const char* what) {
    expression(e);
    if (!e.type.is_int()) fail(e.pos, std::string(what) + " must be an int, found " + to_string(e.type));
    Pos where;
    std::string offender;
    if (find_non_data(e, global, where, offender))
      fail(where, std::string(what) + " must depend on data only, but uses " + offender);
  }

  /// Finds a variable in `e` that a size may not use: anything but data at program level, and
  /// parameters / transformed parameters / generated quantities in a local declaration.
  bool find_non_data(const Expr& e, bool global, Pos& where, std::string& offender) const {
    if (e.kind == ExprKind::Var) {
      const Symbol* s = lookup(e.name);
      if (s) {
        bool ok = s->origin == Origin::Data || s->origin == Origin::TransformedData;
        if (!global)
          ok = ok || s->origin == Origin::Local || s->origin == Origin::Loop || s->origin == Origin::Argument;
        if (!ok) {
          where = e.pos;
          offender = std::string(origin_description(s->origin)) + " '" + e.name + "'";
          return true;
        }
      }
    }
    for (const Expr& a : e.args)
      if (find_non_data(a, global, where, offender)) return true;
    for (const Index& ix : e.indices)
      for (const Expr& b : ix.bounds)
        if (find_non_data(b, global, where, offender)) return true;
    return false;
  }

  void check_constraints(VarDecl& d, bool global) {
    if (!d.constrained()) return;
    if (!global) fail(d.pos, "local variable '" + d.name + "' cannot have constraints");
    if (d.base == BaseType::Int && (d.offset || d.multiplier))
      fail(d.offset ? d.offset->pos : d.multiplier->pos,
           "int variable '" + d.name + "' cannot have an offset or multiplier");
    if ((d.offset || d.multiplier) && (d.lower || d.upper))
      fail(d.offset ? d.offset->pos : d.multiplier->pos,
           "'" + d.name + "' cannot have both lower/upper bounds and offset/multiplier");
    const std::pair<std::optional<Expr>*, const char*> bounds[] = {
        {&d.lower, "lower"}, {&d.upper, "upper"}, {&d.offset, "offset"}, {&d.multiplier, "multiplier"}};
    for (auto& [bound, label] : bounds) {
      if (!*bound) continue;
      Expr& e = **bound;
      expression(e);
      bool ok = e.type.is_scalar();
      if (sized_base(d.base))
        ok = ok || (e.type == Type{d.base, 0} && d.array_dims.empty());
      if (d.base == BaseType::Int && !e.type.is_int()) ok = false;
      if (!ok)
        fail(e.pos, std::string(label) + " bound of '" + d.name + "' must be " +
                        (d.base == BaseType::Int ? "an int" : "an int or real scalar") +
                        (sized_base(d.base)
                             ? std::string(" or a ") + to_string(Type{d.base, 0})
                             : std::string()) +
                        ", found " + to_string(e.type));
    }
  }

  // ---- assignment ---------------------------------------------------------------------------

  static std::string assign_mismatch(const Type& to, const Type& from, const std::string& name) {
    if (to.is_int() && from.is_real()) return "cannot assign a real value to int variable '" + name + "'";
    return "cannot assign a value of type " + to_string(from) + " to '" + name + "' of type " + to_string(to);
  }

  /// The variable at the root of an assignable expression (Var, or Index of Var).
  const Expr& lhs_root(const Expr& lhs) const {
    if (lhs.kind == ExprKind::Var) return lhs;
    if (lhs.kind == ExprKind::Index && !lhs.args.empty() &&
        (lhs.args[0].kind == ExprKind::Var || lhs.args[0].kind == ExprKind::Index))
      return lhs_root(lhs.args[0]);  // a[i][j]: the index lists apply one after the other
    fail(lhs.pos, "the left-hand side of an assignment must be a variable, optionally indexed");
  }

  void check_writable(const Expr& root) const {
    const Symbol* s = lookup(root.name);
    if (!s) fail(root.pos, "'" + root.name + "' is not declared");
    if (s->origin == Origin::Local) return;
    if (s->origin == Origin::Loop) fail(root.pos, "cannot assign to loop variable '" + root.name + "'");
    if (s->origin == Origin::Argument) fail(root.pos, "cannot assign to function argument '" + root.name + "'");
    if (s->origin == block_origin(block_) && block_ != BlockKind::Model) return;
    std::string msg = std::string("cannot assign to ") + origin_description(s->origin) + " '" + root.name + "'";
    if (s->origin == Origin::TransformedData || s->origin == Origin::TransformedParameters ||
        s->origin == Origin::GeneratedQuantities) {
      const char* home = s->origin == Origin::TransformedData          ? "transformed data"
                         : s->origin == Origin::TransformedParameters ? "transformed parameters"
                                                                       : "generated quantities";
      msg += std::string(" outside the ") + home + " block";
    }
    fail(root.pos, msg);
  }

  void assignment(Stmt& s) {
    Expr& lhs = s.exprs.at(0);
    Expr& rhs = s.exprs.at(1);
    const Expr& root = lhs_root(lhs);
    check_writable(root);
    expression(lhs);
    expression(rhs);
    Type value = rhs.type;
    if (s.name != "=") {
      std::string op = s.name.substr(0, s.name.size() - 1);
      value = binary_type(op, lhs.type, rhs.type, s.pos);
    }
    if (!assignable(lhs.type, value)) fail(lhs.pos, assign_mismatch(lhs.type, value, root.name));
  }

  // ---- target / sampling --------------------------------------------------------------------

  void require_model_block(Pos pos, const std::string& what) const {
    if (fun_) {
      if (!ends_with(fun_->name, "_lp")) fail(pos, what + " only allowed in the model block and in _lp functions");
      return;
    }
    if (block_ != BlockKind::Model) fail(pos, what + " only allowed in the model block");
  }

  void tilde(Stmt& s) {
    require_model_block(s.pos, "sampling statements are");
    std::string fn = catalog::distribution_function(s.name);
    if (fn.empty() && !(s.trunc_lower || s.trunc_upper)) {
      for (const char* suffix : {"_lpdf", "_lpmf"})
        if (functions_.count(s.name + suffix)) fn = s.name + suffix;
      if (!fn.empty()) {
        std::vector<Type> types;
        for (Expr& e : s.exprs) {
          expression(e);
          types.push_back(e.type);
        }
        s.fun = resolve_user(fn, types, s.name_pos);
        return;
      }
    }
    if (fn.empty()) fail(s.name_pos, "unknown distribution '" + s.name + "'");
    std::vector<Type> types;
    for (Expr& e : s.exprs) {
      expression(e);
      types.push_back(e.type);
    }
    if (ends_with(fn, "_lpmf") && !s.exprs.empty() && !is_ints_type(types[0]))
      fail(s.exprs[0].pos, "the left-hand side of '~ " + s.name + "' must be int or array[] int, found " +
                               to_string(types[0]));
    if (!catalog::return_type(fn, types)) fail(s.name_pos, no_match(fn, types));
    for (std::optional<Expr>* bound : {&s.trunc_lower, &s.trunc_upper}) {
      if (!*bound) continue;
      const catalog::Distribution* d = catalog::find_distribution(s.name);
      if ((d->suffixes() & catalog::kLcdf) == 0)
        fail((*bound)->pos, "truncation needs a distribution with cdfs, and " + s.name + " has none");
      expression(**bound);
      if (!(*bound)->type.is_scalar())
        fail((*bound)->pos, "a truncation bound must be an int or real, found " + to_string((*bound)->type));
    }
  }

  void target_plus(Stmt& s) {
    require_model_block(s.pos, "'target +=' statements are");
    Expr& e = s.exprs.at(0);
    expression(e);
    if (!is_numeric(e.type)) fail(e.pos, "'target +=' needs a numeric value, found " + to_string(e.type));
  }

  static bool is_ints_type(const Type& t) {
    return t.base == BaseType::Int && t.array_dims <= 1;
  }

  static std::string no_match(const std::string& fn, const std::vector<Type>& types) {
    std::string args;
    for (std::size_t i = 0; i < types.size(); ++i) args += (i ? ", " : "") + to_string(types[i]);
    return "no matching signature for " + fn + "(" + args + "): available " + catalog::describe_signatures(fn);
  }

  // ---- control flow -------------------------------------------------------------------------

  void condition(Expr& e, const char* what) {
    expression(e);
    if (!e.type.is_scalar())
      fail(e.pos, std::string("the condition of ") + what + " must be an int or real, found " + to_string(e.type));
  }

  void loop_body(Stmt& s, Type var_type) {
    scopes_.emplace_back();
    if (!s.name.empty()) declare(s.name, s.pos, var_type, Origin::Loop);
    ++loop_depth_;
    scoped_body(s.body);
    --loop_depth_;
    scopes_.pop_back();
  }

  void for_loop(Stmt& s) {
    for (Expr& e : s.exprs) {
      expression(e);
      if (!e.type.is_int()) fail(e.pos, "for-loop bounds must be int, found " + to_string(e.type));
    }
    loop_body(s, kInt);
  }

  void foreach_loop(Stmt& s) {
    Expr& c = s.exprs.at(0);
    expression(c);
    Type element;
    if (c.type.array_dims > 0 && is_numeric(c.type))
      element = Type{c.type.base, c.type.array_dims - 1};
    else if (c.type.is_linear_algebra())
      element = kReal;
    else
      fail(c.pos, "a foreach loop needs an array, vector, row_vector or matrix, found " + to_string(c.type));
    loop_body(s, element);
  }

  void while_loop(Stmt& s) {
    condition(s.exprs.at(0), "a while loop");
    ++loop_depth_;
    scoped_body(s.body);
    --loop_depth_;
  }

  void if_statement(Stmt& s) {
    condition(s.exprs.at(0), "an if statement");
    scoped_body(s.body);
    scoped_body(s.else_body);
  }

  // ---- expressions --------------------------------------------------------------------------

  void expression(Expr& e) {
    switch (e.kind) {
      case ExprKind::IntLit: e.type = kInt; break;
      case ExprKind::RealLit: e.type = kReal; break;
      case ExprKind::StringLit: fail(e.pos, "strings are only allowed in print and reject");
      case ExprKind::Var: variable(e); break;
      case ExprKind::Unary: unary(e); break;
      case ExprKind::Binary:
        expression(e.args.at(0));
        expression(e.args.at(1));
        e.type = binary_type(e.name, e.args[0].type, e.args[1].type, e.pos);
        break;
      case ExprKind::Cond: conditional(e); break;
      case ExprKind::Call: call(e); break;
      case ExprKind::Index: index(e); break;
      case ExprKind::ArrayLit: array_literal(e); break;
      case ExprKind::RowVectorLit: row_vector_literal(e); break;
      case ExprKind::TargetCall:
        require_model_block(e.pos, "target() is");
        e.type = kReal;
        break;
    }
  }

  void variable(Expr& e) {
    const Symbol* s = lookup(e.name);
    if (!s) {
      if (catalog::is_builtin(e.name)) fail(e.pos, "function '" + e.name + "' used without parentheses");
      fail(e.pos, "'" + e.name + "' is not declared");
    }
    e.type = s->type;
  }

  void unary(Expr& e) {
    Expr& x = e.args.at(0);
    expression(x);
    if (e.name == "!") {
      if (!x.type.is_scalar()) fail(e.pos, "operator ! needs an int or real, found " + to_string(x.type));
      e.type = kInt;
      return;
    }
    if (e.name == "'") {
      if (!x.type.is_linear_algebra())
        fail(e.pos, "the transpose ' needs a vector, row_vector or matrix, found " + to_string(x.type));
      e.type = x.type == kVector ? kRowVector : x.type == kRowVector ? kVector : kMatrix;
      return;
    }
    if (!(x.type.is_scalar() || x.type.is_linear_algebra()))
      fail(e.pos, "unary operator " + e.name + " cannot be applied to " + to_string(x.type));
    e.type = x.type;
  }

  /// The result type of `a op b`, following Stan's operator signatures.
  Type binary_type(const std::string& op, const Type& a, const Type& b, Pos pos) const {
    auto bad = [&]() -> Type {
      fail(pos, "operator " + op + " cannot be applied to " + to_string(a) + " and " + to_string(b));
    };
    bool both_scalar = a.is_scalar() && b.is_scalar();
    bool both_int = a.is_int() && b.is_int();
    Type scalar_result = both_int ? kInt : kReal;
    if (op == "==" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=" || op == "&&" ||
        op == "||") {
      if (!both_scalar) return bad();
      return kInt;
    }
    if (op == "%" || op == "%/%") {
      if (!both_int) return bad();
      return kInt;
    }
    if (op == "^") {
      if (!both_scalar) return bad();
      return kReal;
    }
    if (both_scalar) {
      if (op == "+" || op == "-" || op == "*" || op == "/") return scalar_result;
      if (op == ".*" || op == "./") return kReal;
      return bad();
    }
    // At least one operand is not a scalar: only vector / row_vector / matrix combinations remain.
    if (!(a.is_scalar() || a.is_linear_algebra()) || !(b.is_scalar() || b.is_linear_algebra())) return bad();
    const Type& vec = a.is_linear_algebra() ? a : b;
    bool same = a == b;
    if (op == "+" || op == "-") {
      if (same || a.is_scalar() || b.is_scalar()) return vec;
      return bad();
    }
    if (op == "*") {
      if (a.is_scalar() || b.is_scalar()) return vec;
      if (a == kRowVector && b == kVector) return kReal;
      if (a == kVector && b == kRowVector) return kMatrix;
      if (a == kMatrix && b == kVector) return kVector;
      if (a == kRowVector && b == kMatrix) return kRowVector;
      if (a == kMatrix && b == kMatrix) return kMatrix;
      return bad();
    }
    if (op == "/") {
      if (b.is_scalar()) return vec;
      if (b == kMatrix && (a == kRowVector || a == kMatrix)) return a;  // b * inverse(a)
      return bad();
    }
    if (op == "\\") {  // inverse(a) * b
      if (a == kMatrix && (b == kVector || b == kMatrix)) return b;
      return bad();
    }
    if (op == ".*" || op == "./") {
      if (same || a.is_scalar() || b.is_scalar()) return vec;
      return bad();
    }
    return bad();
  }

  void conditional(Expr& e) {
    condition(e.args.at(0), "a conditional expression");
    Expr& t = e.args.at(1);
    Expr& f = e.args.at(2);
    expression(t);
    expression(f);
    if (t.type == f.type)
      e.type = t.type;
    else if (assignable(t.type, f.type))
      e.type = t.type;
    else if (assignable(f.type, t.type))
      e.type = f.type;
    else
      fail(e.pos, "the branches of a conditional expression have incompatible types " + to_string(t.type) +
                      " and " + to_string(f.type));
  }

  /// An ODE solver call: its first argument names a user-defined right-hand side, resolved
  /// against the types of the state and the extra arguments (stored in args[0].fun).
  void ode_call(Expr& e, const OdeSolver& solver) {
    const std::string& name = e.name;
    const std::size_t fixed = solver.old_form ? 7 : (solver.tol ? 7 : 4);
    const bool counts = solver.old_form ? (e.args.size() == 7 || e.args.size() == 10) : e.args.size() >= fixed;
    if (!counts)
      fail(e.pos, solver.old_form ? name + " takes 7 or 10 arguments (f, y0, t0, ts, theta, x_r, x_i[, rel_tol, abs_tol, max_num_steps])"
                                  : name + " takes at least " + std::to_string(fixed) + " arguments (f, y0, t0, ts" +
                                        (solver.tol ? ", rel_tol, abs_tol, max_num_steps" : "") + ", ...)");
    Expr& f = e.args[0];
    if (f.kind != ExprKind::Var || !functions_.count(f.name))
      fail(f.pos, "the first argument of " + name + " must be the name of a user-defined function");
    std::vector<Type> types;
    for (std::size_t i = 1; i < e.args.size(); ++i) {
      expression(e.args[i]);
      types.push_back(e.args[i].type);
    }
    auto need = [&](std::size_t i, Type t, const char* what) {
      if (!assignable(t, types[i - 1]))
        fail(e.args[i].pos, name + ": " + what + " must be " + to_string(t) + ", found " + to_string(types[i - 1]));
    };
    const Type real_array{BaseType::Real, 1}, int_array{BaseType::Int, 1};
    need(1, solver.old_form ? real_array : kVector, "the initial state");
    need(2, kReal, "the initial time");
    need(3, real_array, "the output times");
    std::vector<Type> rhs = {kReal, solver.old_form ? real_array : kVector};
    std::size_t controls = solver.tol ? 4 : 0;
    if (solver.old_form) {
      need(4, real_array, "theta");
      need(5, real_array, "x_r");
      need(6, int_array, "x_i");
      rhs.insert(rhs.end(), {real_array, real_array, int_array});
      if (e.args.size() == 10) controls = 7;
    } else {
      for (std::size_t i = fixed; i < e.args.size(); ++i) rhs.push_back(types[i - 1]);
    }
    if (controls) {
      need(controls, kReal, "rel_tol");
      need(controls + 1, kReal, "abs_tol");
      need(controls + 2, solver.old_form ? kReal : kInt, "max_num_steps");  // the old forms take a real
    }
    f.fun = resolve_user(f.name, rhs, f.pos);
    const Type result = solver.old_form ? real_array : kVector;
    if (!(program_.functions[f.fun].result == result))
      fail(f.pos, "the right-hand side " + f.name + " of " + name + " must return " + to_string(result) + ", not " +
                      to_string(program_.functions[f.fun].result));
    e.type = solver.old_form ? Type{BaseType::Real, 2} : Type{BaseType::Vector, 1};
  }

  void call(Expr& e) {
    if (const OdeSolver* solver = find_ode_solver(e.name)) return ode_call(e, *solver);
    if (!catalog::is_builtin(e.name) && !is_user_function(e.name)) {
      if (lookup(e.name)) fail(e.pos, "'" + e.name + "' is a variable, not a function");
      fail(e.pos, "unknown function '" + e.name + "'");
    }
    bool density = is_density_name(e.name);
    if (e.bar && !density)
      fail(e.pos, "'|' may only be used with _lpdf, _lpmf, _lcdf, _lccdf and _cdf functions, not '" + e.name + "'");
    if (density && !e.bar && e.args.size() >= 2)
      fail(e.pos, "probability function " + e.name + " must be called as " + e.name + "(y | ...)");
    if (ends_with(e.name, "_rng") && !rng_allowed())
      fail(e.pos, fun_ ? "random number generators are only allowed in _rng functions"
                       : "random number generators are only allowed in transformed data and generated quantities");
    if (ends_with(e.name, "_lp") && is_user_function(e.name)) {
      bool ok = fun_ ? ends_with(fun_->name, "_lp")
                     : block_ == BlockKind::Model || block_ == BlockKind::TransformedParameters;
      if (!ok) fail(e.pos, "_lp functions may only be called in transformed parameters, the model block and _lp functions");
    }
    std::vector<Type> types;
    for (Expr& a : e.args) {
      expression(a);
      types.push_back(a.type);
    }
    if (ends_with(e.name, "_lpmf") && !e.args.empty() && !is_ints_type(types[0]))
      fail(e.args[0].pos, "the first argument of " + e.name + " must be int or array[] int, found " +
                              to_string(types[0]));
    if (is_user_function(e.name)) {
      e.fun = resolve_user(user_name(e.name), types, e.pos);
      e.type = program_.functions[e.fun].result;
      return;
    }
    std::optional<Type> result = catalog::return_type(e.name, types);
    if (!result) fail(e.pos, no_match(e.name, types));
    e.type = *result;
  }

  void index(Expr& e) {
    Expr& base = e.args.at(0);
    expression(base);
    Type t = base.type;
    int array_dims = t.array_dims;
    int own = t.base == BaseType::Matrix ? 2 : (t.base == BaseType::Vector || t.base == BaseType::RowVector) ? 1 : 0;
    int capacity = array_dims + own;
    if (static_cast<int>(e.indices.size()) > capacity)
      fail(e.pos, "too many indexes (" + std::to_string(e.indices.size()) + ") for a value of type " +
                      to_string(t));
    int kept_array_dims = 0;
    BaseType base_type = t.base;
    bool row_dropped = false, col_dropped = false;  // a matrix's single row / column index
    for (std::size_t i = 0; i < e.indices.size(); ++i) {
      bool drops = index_position(e.indices[i]);
      if (static_cast<int>(i) < array_dims) {
        if (!drops) ++kept_array_dims;
      } else if (drops) {
        if (own == 1) base_type = BaseType::Real;  // a single index into a vector / row_vector
        else if (static_cast<int>(i) == array_dims) row_dropped = true;
        else col_dropped = true;
      }
    }
    if (own == 2 && (row_dropped || col_dropped))
      base_type = row_dropped && col_dropped ? BaseType::Real : row_dropped ? BaseType::RowVector : BaseType::Vector;
    int remaining = array_dims - std::min<int>(array_dims, static_cast<int>(e.indices.size()));
    e.type = Type{base_type, kept_array_dims + remaining};
  }

  /// Checks one index position; returns true when it is a single int index (drops a dimension).
  bool index_position(Index& ix) {
    for (Expr& b : ix.bounds) {
      expression(b);
      bool multi = ix.kind == Index::Kind::Single && b.type.base == BaseType::Int && b.type.array_dims == 1;
      if (!b.type.is_int() && !multi)
        fail(b.pos, "an index must be an int" + std::string(ix.kind == Index::Kind::Single ? " or array[] int" : "") +
                        ", found " + to_string(b.type));
    }
    return ix.kind == Index::Kind::Single && !ix.bounds.empty() && ix.bounds[0].type.is_int();
  }

  void array_literal(Expr& e) {
    if (e.args.empty()) fail(e.pos, "an array expression needs at least one element");
    Type element;
    for (std::size_t i = 0; i < e.args.size(); ++i) {
      Expr& a = e.args[i];
      expression(a);
      if (!is_numeric(a.type)) fail(a.pos, "array elements must be numeric, found " + to_string(a.type));
      if (i == 0 || assignable(a.type, element)) {
        element = a.type;
      } else if (!assignable(element, a.type)) {
        fail(a.pos, "array elements have incompatible types " + to_string(element) + " and " + to_string(a.type));
      }
    }
    e.type = Type{element.base, element.array_dims + 1};
  }

  void row_vector_literal(Expr& e) {
    if (e.args.empty()) fail(e.pos, "a row_vector expression needs at least one element");
    bool rows = false;
    for (std::size_t i = 0; i < e.args.size(); ++i) {
      Expr& a = e.args[i];
      expression(a);
      if (i == 0) rows = a.type == kRowVector;
      if (rows && !(a.type == kRowVector))
        fail(a.pos, "the rows of a matrix expression must be row_vectors, found " + to_string(a.type));
      if (!rows && !a.type.is_scalar())
        fail(a.pos, "row_vector elements must be int or real (or all row_vectors, for a matrix), found " +
                        to_string(a.type));
    }
    e.type = rows ? kMatrix : kRowVector;
  }
};

}  // namespace

void check(Program& program) { Checker(program).run(); }

}  // namespace mcmc::lang

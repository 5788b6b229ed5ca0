// The partial evaluator: runs model statements with data known, folding constants and recording the rest as graph nodes.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalog/catalog.hpp"
#include "graph/graph.hpp"
#include "lang/ast.hpp"
#include "lang/ode_solvers.hpp"
#include "model/value.hpp"
#include "sampler/rng.hpp"

namespace mcmc::model {

/// Evaluates statements and expressions of a checked program. Values that depend on parameters
/// become nodes of `graph`; everything else is computed at once. With all inputs constant (the
/// generated-quantities pass, transformed data) it is a plain interpreter.
class Interp {
 public:
  Interp(const lang::Program& program, graph::Graph& graph, sampler::Rng* rng);

  enum class Flow { Normal, Break, Continue, Return };

  // Scopes and variables.
  void push_scope();
  void pop_scope();
  void declare(const std::string& name, Value v, bool read_only = false);
  Value& lookup(const std::string& name, lang::Pos pos);
  const Value* find(const std::string& name) const;

  /// The shape of a declaration with every element NaN (int: Stan's smallest int); sizes are
  /// evaluated and must be constant non-negative ints.
  Value blank(const lang::VarDecl& d);
  /// Evaluated constraint bounds of a declaration (unset -> nullopt).
  Value eval(const lang::Expr& e);
  Flow exec(const lang::Stmt& s);
  /// Runs statements in a new scope (with the loop variable, if named) until break / continue.
  Flow run_body(const std::vector<lang::Stmt>& body, const std::string& loop_var = "",
                Value loop_value = {});
  void exec_block(const std::vector<lang::Stmt>& stmts);

  /// The terms of the log density accumulated so far by `~` and `target +=`.
  std::vector<graph::NodeId>& target_terms() { return target_; }
  /// Which block is running (decides rules like propto of `~`).
  lang::BlockKind block = lang::BlockKind::Model;
  /// Keep the terms of `~` that depend on constants only (Model::explain: there every value is a
  /// constant, so dropping them, as `~` does, would hide e.g. a negative data scale).
  bool keep_constant_terms = false;
  /// Read-only variables shared by every evaluation (data, transformed data), consulted after the
  /// scopes; not owned.
  const std::unordered_map<std::string, Value>* globals = nullptr;
  /// Where each target term came from (statement position), in order, for diagnostics.
  std::vector<lang::Pos>& target_sources() { return target_pos_; }
  /// Called for print(); default writes to stderr.
  std::function<void(const std::string&)> printer;

  [[noreturn]] void fail(lang::Pos pos, const std::string& message) const;

  // Conversions between values and graph nodes (used by transforms and the model).
  graph::NodeId node_of(const Value& v);
  graph::NodeId node_of(const Ref& r);
  Value wrap(graph::NodeId n, lang::BaseType base, std::vector<std::size_t> dims);
  Ref ref_of(graph::NodeId n);
  graph::Graph& graph() { return *graph_; }

  /// Assigns rhs to the element positions of `target` selected by `indices` (all of it if empty).
  void assign(Value& target, const std::vector<lang::Index>& indices, const Value& rhs,
              lang::Pos pos, const std::string& op);
  /// `a[i][j] = rhs`: the index lists applied one after the other, from the variable outwards.
  void assign_chain(Value& target, const std::vector<const std::vector<lang::Index>*>& chain, const Value& rhs,
                    lang::Pos pos, const std::string& op);
  /// Assigns rhs (or `target op rhs`) to the flat positions `flat` of target (a selection of shape dims, base b).
  void assign_at(Value& target, const std::vector<std::size_t>& flat, const std::vector<std::size_t>& dims,
                 lang::BaseType b, const Value& rhs, lang::Pos pos, const std::string& op);

  /// Value of a constant integer expression (sizes, loop bounds, indices).
  long long eval_int(const lang::Expr& e);
  /// Truth of a condition; fails if it depends on parameters.
  bool eval_cond(const lang::Expr& e);
  std::string to_text(const Value& v) const;

  /// How the model compiler evaluates a catalogue function whose Impl is Special.
  using Special = Value (*)(Interp&, const lang::Expr&, std::vector<Value>&);
  /// The names with a Special handler (model/builtin_calls.cpp); a test checks they are exactly
  /// the catalogue's Special functions.
  static std::vector<std::string> special_names();
  /// Elementwise arithmetic on values for the Special handlers (constant-folded; int becomes real).
  static Value unary_value(Interp& in, graph::UnaryFn f, const Value& a);
  static Value binary_value(Interp& in, graph::BinaryFn f, const Value& a, const Value& b, lang::Pos pos);

 private:
  Value eval_binary(const lang::Expr& e);
  Value eval_index(const lang::Expr& e);
  Value call(const lang::Expr& e);
  static const std::unordered_map<std::string_view, Special>& special_table();
  /// A log density or log cdf of distribution `d` (suffix kDensity, kUnnormalized, kLcdf, kLccdf).
  Value call_distribution(const lang::Expr& e, const catalog::Distribution& d, catalog::Suffix suffix,
                          std::vector<Value>& args);
  Value call_rng(const lang::Expr& e, const catalog::Distribution& d, std::vector<Value>& args);
  Value sample(const lang::Stmt& s);
  /// Runs user-defined function `f` on `args` (inlined: parameter-dependent values become graph
  /// nodes like any other), in a scope that holds only its arguments (model/user_functions.cpp).
  Value call_user(const lang::FunDef& f, lang::Pos pos, std::vector<Value>& args);
  /// An ODE solver call: the right-hand side compiled into a graph of its own, the solution an
  /// External node of this graph (model/ode_calls.cpp).
  Value call_ode(const lang::Expr& e, const lang::OdeSolver& solver);
  /// The bounds check and normalization of `y ~ d(...) T[L, U]` (added to the target).
  void truncate(const lang::Stmt& s, const catalog::Distribution& d, std::vector<Value>& args);

  Value arith(graph::BinaryFn f, const Value& a, const Value& b, lang::Pos pos);
 public:
  /// `a * b` of two vectors / row_vectors / matrices (model/matrix_values.cpp).
  Value matrix_product(const Value& a, const Value& b, lang::Pos pos);
  /// `a \ b` (left) or `a / b` with a matrix divisor: a product with the divisor's inverse.
  Value matrix_divide(const Value& a, const Value& b, bool left, const lang::Expr& e);
  /// The transpose of a vector, row_vector or matrix (a permutation of its elements).
  static Value transpose(const Value& a);
  /// append_row of matrices / row_vectors: the rows of `a`, then those of `b`.
  static Value stack_rows(Interp& in, const lang::Expr& e, const Value& a, const Value& b);
  /// The handlers of the catalogue's matrix functions (model/matrix_calls.cpp).
  static const std::unordered_map<std::string_view, Special>& matrix_specials();
 private:
  Value map_unary(graph::UnaryFn f, const Value& a);
  /// Flat element positions selected by indices, with the result's dims and base.
  std::vector<std::size_t> select(const Value& v, const std::vector<lang::Index>& indices,
                                  std::vector<std::size_t>& out_dims, lang::BaseType& out_base,
                                  lang::Pos pos);
  std::vector<long long> index_values(const lang::Index& ix, std::size_t extent, lang::Pos pos,
                                      bool& keeps_dim);

  const lang::Program* program_;
  graph::Graph* graph_;
  sampler::Rng* rng_;
  struct Var {
    Value value;
    bool read_only;
  };
  std::vector<std::unordered_map<std::string, Var>> scopes_;
  std::vector<graph::NodeId> target_;
  std::vector<lang::Pos> target_pos_;
  lang::Pos stmt_pos_;
  int loop_depth_ = 0;
  int call_depth_ = 0;   // nested user-function calls
  Value return_value_;   // set by a return statement
};

}  // namespace mcmc::model

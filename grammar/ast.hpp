// The raw Spirit X3 syntax tree: what the grammar fills in, before lowering to lang::Program.
#pragma once

#include <string>
#include <vector>

#include <boost/optional.hpp>
#include <boost/spirit/home/x3/support/ast/position_tagged.hpp>
#include <boost/spirit/home/x3/support/ast/variant.hpp>

// Operator precedence is NOT resolved here: an expression is a flat chain
// `operand (op operand)*` and lang/lower.cpp builds the tree. This keeps the grammar
// free of one rule per precedence level (and of deep X3 recursion).
namespace mcmc::grammar::ast {

namespace x3 = boost::spirit::x3;

struct expression;
using expr_ref = x3::forward_ast<expression>;

struct identifier : x3::position_tagged {
  std::string name;
};
struct int_lit : x3::position_tagged {
  std::string text;
};
struct real_lit : x3::position_tagged {
  std::string text;
};
struct string_lit : x3::position_tagged {
  std::string text;
};

/// `target()`.
struct target_call : x3::position_tagged {
  std::string word;
  char open = '(';
};

/// One call argument; `sep` is ',' or '|' (the separator written before it; ',' for the first).
struct call_arg {
  char sep = ',';
  expr_ref value;
};

struct call : x3::position_tagged {
  identifier name;
  std::vector<call_arg> args;
};

/// `{a, b}` (open == '{') or `[a, b]` (open == '[').
struct list_lit : x3::position_tagged {
  char open = '{';
  std::vector<expr_ref> items;
};

/// `( e )`.
struct paren : x3::position_tagged {
  char open = '(';
  expr_ref inner;
};

struct primary : x3::variant<real_lit, int_lit, target_call, call, identifier, list_lit, paren> {
  using base_type::base_type;
  using base_type::operator=;
};

/// `: hi` part of an index.
struct range_tail {
  char colon = ':';
  boost::optional<expr_ref> hi;
};

/// `e`, `a:b`, `a:`, `:b`, `:` or nothing.
struct index_item {
  boost::optional<expr_ref> lo;
  boost::optional<range_tail> tail;
};

/// `base[...][...]'`: index groups and transposes in source order; a transpose `'` is an empty
/// group (an index group always has at least one item: `x[]` is one empty item).
struct postfix : x3::position_tagged {
  primary base;
  std::vector<std::vector<index_item>> indexes;
};

/// Prefix operators (`-`, `+`, `!`, in source order) applied to a postfix expression.
struct operand : x3::position_tagged {
  std::string prefix;
  postfix value;
};

struct op_operand {
  std::string op;
  operand rhs;
};

/// `operand (op operand)*` with every binary operator at one level.
struct chain : x3::position_tagged {
  operand first;
  std::vector<op_operand> rest;
};

struct ternary_tail {
  expr_ref if_true;
  expr_ref if_false;
};

struct expression : x3::position_tagged {
  chain head;
  boost::optional<ternary_tail> tail;
};

// ---- declarations and statements ----

/// `lower = e` and friends inside `< >`.
struct constraint : x3::position_tagged {
  std::string key;
  chain value;
};

struct var_type : x3::position_tagged {
  boost::optional<std::vector<expression>> dims;  // array[...]
  std::string base;                               // int, real, vector, row_vector, matrix, simplex, ...
  boost::optional<std::vector<constraint>> constraints;
  boost::optional<std::vector<expression>> size;  // vector[N], matrix[N, M]
};

/// A piece of unsupported syntax remembered only for its position (old array dims).
struct marker : x3::position_tagged {
  char open = '[';
  std::string text;
};

/// One declared name: `x`, `x = e` (and `x[N]`, the old array syntax, only to report it).
struct declarator : x3::position_tagged {
  identifier name;
  boost::optional<marker> old_dims;
  boost::optional<expression> init;
};

/// `type a, b = e, c;` declares several variables of one type (Stan 2.32+).
struct decl_stmt : x3::position_tagged {
  var_type type;
  std::vector<declarator> vars;
};

/// `T[lo, hi]` after a sampling statement; either bound may be left out.
struct truncation : x3::position_tagged {
  boost::optional<expression> lo;
  boost::optional<expression> hi;
};

/// `lhs op rhs;` where op is an assignment operator or `~` (then maybe with a truncation).
struct simple_stmt : x3::position_tagged {
  expression lhs;
  std::string op;
  expression rhs;
  boost::optional<truncation> trunc;
};

/// `break;`, `continue;` or the empty statement `;` (word empty).
struct word_stmt : x3::position_tagged {
  std::string word;
  char semi = ';';
};

struct printable : x3::variant<string_lit, expression> {
  using base_type::base_type;
  using base_type::operator=;
};

struct print_stmt : x3::position_tagged {
  std::string word;  // print / reject
  std::vector<printable> args;
};

struct statement;
using stmt_ref = x3::forward_ast<statement>;

struct block_stmt : x3::position_tagged {
  char open = '{';
  std::vector<statement> body;
};

struct for_stmt : x3::position_tagged {
  identifier var;
  expression lo;
  boost::optional<expression> hi;
  stmt_ref body;
};

struct while_stmt : x3::position_tagged {
  expression cond;
  stmt_ref body;
};

struct else_if {
  expression cond;
  stmt_ref body;
};

struct if_stmt : x3::position_tagged {
  expression cond;
  stmt_ref then;
  std::vector<else_if> elifs;
  boost::optional<stmt_ref> otherwise;
};

/// The type of a function argument or result: `data array[,] real`, `vector`, `void`.
struct fun_type : x3::position_tagged {
  boost::optional<std::string> data;  // "data" when written
  boost::optional<std::string> dims;  // "array[,]" as written
  std::string base;                   // void, int, real, vector, row_vector, matrix
};

struct fun_arg : x3::position_tagged {
  fun_type type;
  identifier name;
};

/// A function definition (body.open == '{') or forward declaration (body.open == ';').
struct fun_def : x3::position_tagged {
  fun_type result;
  identifier name;
  std::vector<fun_arg> args;
  block_stmt body;
};

/// `return e;` or `return;`.
struct return_stmt : x3::position_tagged {
  std::string word;
  boost::optional<expression> value;
};

/// `profile("name") { ... }`: a block whose statements run as usual.
struct profile_stmt : x3::position_tagged {
  string_lit name;
  block_stmt body;
};

/// A call statement `f(x);` (a void function).
struct call_stmt : x3::position_tagged {
  expression value;
  char semi = ';';
};

struct statement : x3::variant<word_stmt, block_stmt, decl_stmt, simple_stmt, for_stmt, while_stmt,
                               if_stmt, print_stmt, fun_def, return_stmt, call_stmt, profile_stmt> {
  using base_type::base_type;
  using base_type::operator=;
};

/// `data { ... }` etc.; name is the keyword text as written (whitespace inside kept).
struct block : x3::position_tagged {
  std::string name;
  char open = '{';
  std::vector<statement> body;
};

using program = std::vector<block>;

}  // namespace mcmc::grammar::ast

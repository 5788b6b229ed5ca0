// Definition of the statement grammar: declarations, assignments, `~`, loops, conditionals, print.
#pragma once

#include <boost/spirit/home/x3.hpp>
#include <boost/spirit/home/x3/support/utility/annotate_on_success.hpp>

#include "grammar/ast.hpp"
#include "grammar/ast_adapted.hpp"
#include "grammar/common_def.hpp"
#include "grammar/expression.hpp"
#include "grammar/expression_def.hpp"
#include "grammar/statement.hpp"

namespace mcmc::grammar::parser {

namespace x3 = boost::spirit::x3;

struct statement_class;
struct constraint_class : x3::annotate_on_success {};
struct constraints_class;
struct size_class;
struct array_dims_class;
struct type_ahead_class;
struct unsupported_guard_class;
struct unsupported_type_class;
struct base_type_class;
struct var_type_class : x3::annotate_on_success {};
struct old_dims_class : x3::annotate_on_success {};
struct declarator_class : x3::annotate_on_success {};
struct decl_stmt_class : x3::annotate_on_success {};
struct stmt_op_class;
struct truncation_class : x3::annotate_on_success {};
struct simple_stmt_class : x3::annotate_on_success {};
struct break_stmt_class : x3::annotate_on_success {};
struct empty_stmt_class : x3::annotate_on_success {};
struct printable_class;
struct print_stmt_class : x3::annotate_on_success {};
struct block_stmt_class : x3::annotate_on_success {};
struct for_stmt_class : x3::annotate_on_success {};
struct while_stmt_class : x3::annotate_on_success {};
struct else_if_class;
struct if_stmt_class : x3::annotate_on_success {};
struct fun_type_class : x3::annotate_on_success {};
struct fun_arg_class : x3::annotate_on_success {};
struct fun_args_class;
struct fun_body_class;
struct fun_def_class : x3::annotate_on_success {};
struct return_stmt_class : x3::annotate_on_success {};
struct call_stmt_class : x3::annotate_on_success {};
struct profile_stmt_class : x3::annotate_on_success {};
struct kw_in_class;
struct dim_list_class;
struct constraint_list_class;
struct declarator_list_class;
struct printable_list_class;
struct close_angle_class;
struct close_dims_class;
struct close_block_class;

statement_type const statement = "a statement";
x3::rule<constraint_class, ast::constraint> const constraint =
    "a constraint (lower, upper, offset or multiplier)";
x3::rule<constraints_class, std::vector<ast::constraint>> const constraints = "constraints";
x3::rule<size_class, std::vector<ast::expression>> const size = "a size";
x3::rule<array_dims_class, std::vector<ast::expression>> const array_dims = "array dimensions";
x3::rule<type_ahead_class> const type_ahead = "a type (int, real, vector, row_vector or matrix)";
x3::rule<unsupported_guard_class> const unsupported_guard = "a type";
x3::rule<unsupported_type_class> const unsupported_type = "an unsupported type";
x3::rule<base_type_class, std::string> const base_type = "a type (int, real, vector, row_vector or matrix)";
x3::rule<var_type_class, ast::var_type> const var_type = "a type";
x3::rule<old_dims_class, ast::marker> const old_dims = "array dimensions";
x3::rule<declarator_class, ast::declarator> const declarator = "an identifier";
x3::rule<decl_stmt_class, ast::decl_stmt> const decl_stmt = "a declaration";
x3::rule<stmt_op_class, std::string> const stmt_op = "'=', '+=', '-=', '*=', '/=', '.*=', './=' or '~'";
x3::rule<truncation_class, ast::truncation> const truncation = "a truncation T[lower, upper]";
x3::rule<simple_stmt_class, ast::simple_stmt> const simple_stmt = "a statement";
x3::rule<break_stmt_class, ast::word_stmt> const break_stmt = "a statement";
x3::rule<empty_stmt_class, ast::word_stmt> const empty_stmt = "a statement";
x3::rule<printable_class, ast::printable> const printable = "a string or an expression";
x3::rule<print_stmt_class, ast::print_stmt> const print_stmt = "a statement";
x3::rule<block_stmt_class, ast::block_stmt> const block_stmt = "a statement";
x3::rule<for_stmt_class, ast::for_stmt> const for_stmt = "a statement";
x3::rule<while_stmt_class, ast::while_stmt> const while_stmt = "a statement";
x3::rule<else_if_class, ast::else_if> const else_if = "else if";
x3::rule<if_stmt_class, ast::if_stmt> const if_stmt = "a statement";
x3::rule<fun_type_class, ast::fun_type> const fun_type = "a type";
x3::rule<fun_arg_class, ast::fun_arg> const fun_arg = "an argument";
x3::rule<fun_args_class, std::vector<ast::fun_arg>> const fun_args = "an argument";
x3::rule<fun_body_class, ast::block_stmt> const fun_body = "'{' or ';'";
x3::rule<fun_def_class, ast::fun_def> const fun_def = "a function definition";
x3::rule<return_stmt_class, ast::return_stmt> const return_stmt = "a statement";
x3::rule<call_stmt_class, ast::call_stmt> const call_stmt = "a statement";
x3::rule<profile_stmt_class, ast::profile_stmt> const profile_stmt = "a statement";
x3::rule<kw_in_class> const kw_in = "'in'";
x3::rule<dim_list_class, std::vector<ast::expression>> const dim_list = "an expression";
x3::rule<constraint_list_class, std::vector<ast::constraint>> const constraint_list =
    "a constraint (lower, upper, offset or multiplier)";
x3::rule<declarator_list_class, std::vector<ast::declarator>> const declarator_list = "an identifier";
x3::rule<printable_list_class, std::vector<ast::printable>> const printable_list =
    "a string or an expression";
x3::rule<close_angle_class> const close_angle = "',' or '>'";
x3::rule<close_dims_class> const close_dims = "',' or ']'";
x3::rule<close_block_class> const close_block = "a statement or '}'";

auto const kw_in_def = kw("in");
auto const dim_list_def = expression % ',';
auto const constraint_list_def = constraint % ',';
auto const declarator_list_def = declarator % ',';
auto const printable_list_def = printable % ',';
auto const close_angle_def = x3::lit('>');
auto const close_dims_def = x3::lit(']');
auto const close_block_def = x3::lit('}');

auto const constraint_def =
    x3::raw[kw("lower") | kw("upper") | kw("offset") | kw("multiplier")] > '=' > bound_chain;
auto const constraints_def = x3::lit('<') > constraint_list > close_angle;
auto const size_def = x3::lit('[') > dim_list > close_dims;

// Types outside the supported subset fail at their keyword with a dedicated message.
auto const unsupported_kw =
    kw("complex") | kw("tuple") | kw("complex_vector") |
    kw("complex_row_vector") | kw("complex_matrix") | kw("sum_to_zero_matrix") |
    kw("row_stochastic_matrix") | kw("column_stochastic_matrix");
auto const unsupported_type_def = !x3::eps;
auto const unsupported_guard_def = -(&unsupported_kw > unsupported_type);
auto const base_type_def = x3::raw[kw("int") | kw("real") | kw("vector") | kw("row_vector") | kw("matrix") |
                                   kw("simplex") | kw("ordered") | kw("positive_ordered") |
                                   kw("unit_vector") | kw("sum_to_zero_vector") | kw("cholesky_factor_corr") |
                                   kw("cholesky_factor_cov") | kw("corr_matrix") | kw("cov_matrix")];
auto const type_ahead_def = unsupported_guard >> &base_type;
auto const array_dims_def = kw("array") > '[' > dim_list > close_dims > type_ahead;
auto const var_type_def = -array_dims >> unsupported_guard >> base_type > -constraints > -size;

// `real x[N]` (pre-2.33 array syntax) is parsed only to report it.
auto const old_dims_def = x3::char_('[') >> x3::raw[*(x3::char_ - ']')] >> ']';
auto const declarator_def = identifier > -old_dims > -(x3::lit('=') > expression);
auto const decl_stmt_def = var_type > declarator_list > ';';

auto const stmt_op_def = (x3::string("=") >> !x3::lit('=')) | x3::string("+=") | x3::string("-=") |
                         x3::string("*=") | x3::string("/=") | x3::string(".*=") |
                         x3::string("./=") | x3::string("~");
auto const truncation_def =
    x3::lexeme[x3::lit('T') >> &x3::lit('[')] > '[' > -expression > ',' > -expression > ']';
auto const simple_stmt_def = expression > stmt_op > expression > -truncation > ';';

auto const break_stmt_def = x3::raw[kw("break") | kw("continue")] > x3::char_(';');
auto const empty_stmt_def = x3::attr(std::string()) >> x3::char_(';');
auto const printable_def = string_lit | expression;
auto const print_stmt_def =
    x3::raw[kw("print") | kw("reject") | kw("fatal_error")] > '(' > printable_list > close_args > ';';
auto const block_stmt_def = x3::char_('{') > *statement > close_block;
auto const for_stmt_def = kw("for") > '(' > identifier > kw_in > expression >
                          -(x3::lit(':') > expression) > ')' > statement;
auto const while_stmt_def = kw("while") > '(' > expression > ')' > statement;
auto const else_if_def = kw("else") >> kw("if") > '(' > expression > ')' > statement;
auto const if_stmt_def = kw("if") > '(' > expression > ')' > statement > *else_if >
                         -(kw("else") > statement);

// Functions (the grammar accepts a definition anywhere; lowering allows it only in `functions`).
// A definition is recognized by `type name (`, so a declaration is not mistaken for one.
auto const fun_type_def = -x3::raw[kw("data")] >> -x3::raw[kw("array") >> '[' >> *x3::char_(',') >> ']'] >>
                          x3::raw[kw("void") | kw("int") | kw("real") | kw("vector") | kw("row_vector") | kw("matrix")];
auto const fun_arg_def = fun_type > identifier;
auto const fun_args_def = (fun_arg % ',') | x3::attr(std::vector<ast::fun_arg>());
auto const fun_body_def = block_stmt | (x3::char_(';') >> x3::attr(std::vector<ast::statement>()));
auto const fun_def_def = fun_type >> identifier >> '(' >> fun_args > ')' > fun_body;
auto const return_stmt_def = x3::raw[kw("return")] > -expression > ';';
auto const call_stmt_def = &(identifier >> '(') >> expression >> x3::char_(';');
auto const profile_stmt_def = kw("profile") > '(' > string_lit > ')' > block_stmt;

auto const statement_def = block_stmt | if_stmt | for_stmt | while_stmt | break_stmt | empty_stmt |
                           print_stmt | return_stmt | profile_stmt | fun_def | call_stmt | decl_stmt |
                           simple_stmt;

BOOST_SPIRIT_DEFINE(statement, constraint, constraints, size, array_dims, type_ahead,
                    unsupported_guard, unsupported_type, base_type, var_type, old_dims, declarator, decl_stmt,
                    stmt_op, truncation, simple_stmt, break_stmt, empty_stmt, printable, print_stmt,
                    block_stmt, for_stmt, while_stmt, else_if, if_stmt, fun_type, fun_arg, fun_args,
                    fun_body, fun_def, return_stmt, call_stmt, profile_stmt, kw_in, close_angle,
                    close_dims, close_block, dim_list, constraint_list, declarator_list,
                    printable_list);

}  // namespace mcmc::grammar::parser

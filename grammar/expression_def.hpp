// Definition of the expression grammar: literals, calls, indexing and flat operator chains.
#pragma once

#include <boost/spirit/home/x3.hpp>
#include <boost/spirit/home/x3/support/utility/annotate_on_success.hpp>

#include "grammar/ast.hpp"
#include "grammar/ast_adapted.hpp"
#include "grammar/common_def.hpp"
#include "grammar/expression.hpp"

namespace mcmc::grammar::parser {

namespace x3 = boost::spirit::x3;
using x3::attr;
using x3::char_;
using x3::lexeme;
using x3::lit;
using x3::raw;

// Rule names are what follows "expected " in a syntax error (see error_handler.hpp).
struct expression_class : x3::annotate_on_success {};
struct bound_chain_class : x3::annotate_on_success {};
struct identifier_class : x3::annotate_on_success {};
struct string_lit_class : x3::annotate_on_success {};
struct int_lit_class : x3::annotate_on_success {};
struct real_lit_class : x3::annotate_on_success {};
struct target_call_class : x3::annotate_on_success {};
struct call_arg_first_class;
struct call_arg_next_class;
struct call_args_class;
struct call_class : x3::annotate_on_success {};
struct list_lit_class : x3::annotate_on_success {};
struct paren_class : x3::annotate_on_success {};
struct primary_class;
struct range_tail_class;
struct index_item_class;
struct indexes_class;
struct transpose_class;
struct postfix_class : x3::annotate_on_success {};
struct operand_class : x3::annotate_on_success {};
struct binary_op_class;
struct bound_op_class;
struct op_operand_class;
struct bound_op_operand_class;
struct chain_class : x3::annotate_on_success {};
struct ternary_tail_class;
struct expr_list_class;
struct close_args_class;
struct close_index_class;
struct close_brace_list_class;
struct close_bracket_list_class;

expression_type const expression = "an expression";
bound_chain_type const bound_chain = "an expression";
identifier_type const identifier = "an identifier";
string_lit_type const string_lit = "a string";
x3::rule<int_lit_class, ast::int_lit> const int_lit = "an integer";
x3::rule<real_lit_class, ast::real_lit> const real_lit = "a real number";
x3::rule<target_call_class, ast::target_call> const target_call = "target()";
x3::rule<call_arg_first_class, ast::call_arg> const call_arg_first = "an expression";
x3::rule<call_arg_next_class, ast::call_arg> const call_arg_next = "an argument";
x3::rule<call_args_class, std::vector<ast::call_arg>> const call_args = "arguments";
x3::rule<call_class, ast::call> const call = "a function call";
x3::rule<list_lit_class, ast::list_lit> const list_lit = "a list";
x3::rule<paren_class, ast::paren> const paren = "an expression";
x3::rule<primary_class, ast::primary> const primary = "an expression";
x3::rule<range_tail_class, ast::range_tail> const range_tail = "a range";
x3::rule<index_item_class, ast::index_item> const index_item = "an index";
x3::rule<indexes_class, std::vector<ast::index_item>> const indexes = "indexes";
x3::rule<transpose_class, std::vector<ast::index_item>> const transpose = "'";
x3::rule<postfix_class, ast::postfix> const postfix = "an expression";
x3::rule<operand_class, ast::operand> const operand = "an expression";
x3::rule<binary_op_class, std::string> const binary_op = "an operator";
x3::rule<bound_op_class, std::string> const bound_op = "an operator";
x3::rule<op_operand_class, ast::op_operand> const op_operand = "an operator";
x3::rule<bound_op_operand_class, ast::op_operand> const bound_op_operand = "an operator";
x3::rule<chain_class, ast::chain> const chain = "an expression";
x3::rule<ternary_tail_class, ast::ternary_tail> const ternary_tail = "'?'";
x3::rule<expr_list_class, std::vector<ast::expr_ref>> const expr_list = "an expression";
x3::rule<close_args_class> const close_args = "',' or ')'";
x3::rule<close_index_class> const close_index = "',' or ']'";
x3::rule<close_brace_list_class> const close_brace_list = "',' or '}'";
x3::rule<close_bracket_list_class> const close_bracket_list = "',' or ']'";

auto const close_args_def = lit(')');
auto const close_index_def = lit(']');
auto const close_brace_list_def = lit('}');
auto const close_bracket_list_def = lit(']');

auto const identifier_def = raw[lexeme[(x3::alpha | '_') >> *(x3::alnum | '_')]];
auto const string_lit_def = lexeme[lit('"') >> *(char_ - '"' - x3::eol) >> lit('"')];
auto const int_lit_def = raw[lexeme[+x3::digit]];
auto const exponent = (lit('e') | 'E') >> -(lit('+') | '-') >> +x3::digit;
auto const real_lit_def =
    raw[lexeme[(((+x3::digit >> '.' >> *x3::digit) | ('.' >> +x3::digit)) >> -exponent) |
               (+x3::digit >> exponent)]];
auto const target_call_def = raw[kw("target")] >> char_('(') > lit(')');

auto const call_arg_first_def = attr(',') >> expression;
auto const call_arg_next_def = char_(",|") > expression;
auto const call_args_def = -(call_arg_first >> *call_arg_next);
auto const call_def = identifier >> '(' > call_args > close_args;

auto const expr_list_def = expression % ',';
auto const list_lit_def = (char_('{') > expr_list > close_brace_list) |
                          (char_('[') > expr_list > close_bracket_list);
auto const paren_def = char_('(') > expression > lit(')');
auto const primary_def = real_lit | int_lit | target_call | call | identifier | list_lit | paren;

auto const range_tail_def = char_(':') >> -expression;
auto const index_item_def = -expression >> -range_tail;
auto const indexes_def = lit('[') > (index_item % ',') > close_index;
// The transpose `'` is an empty index group (see ast::postfix).
auto const transpose_def = lit('\'') >> attr(std::vector<ast::index_item>());
auto const postfix_def = primary >> *(indexes | transpose);
auto const operand_def = *char_("-+!") >> postfix;

// Longer operators first; `+` etc. must not eat the start of a compound assignment `+=`.
auto const arith_op = (x3::string("+") >> !lit('=')) | (x3::string("-") >> !lit('=')) |
                      (x3::string(".*") >> !lit('=')) | (x3::string("./") >> !lit('=')) |
                      x3::string("%/%") | x3::string("%") | (x3::string("*") >> !lit('=')) |
                      (x3::string("/") >> !lit('=')) | x3::string("\\") | x3::string("^");
auto const binary_op_def = x3::string("||") | x3::string("&&") | x3::string("==") |
                           x3::string("!=") | x3::string("<=") | x3::string(">=") |
                           x3::string("<") | x3::string(">") | arith_op;
auto const bound_op_def = arith_op;
auto const op_operand_def = binary_op > operand;
auto const bound_op_operand_def = bound_op > operand;
auto const chain_def = operand >> *op_operand;
// Bounds inside `<lower=..., upper=...>`: no top-level comparison, logic or `?:`.
auto const bound_chain_def = operand >> *bound_op_operand;
auto const ternary_tail_def = lit('?') > expression > ':' > expression;
auto const expression_def = chain >> -ternary_tail;

BOOST_SPIRIT_DEFINE(expression, bound_chain, identifier, string_lit, int_lit, real_lit, target_call,
                    call_arg_first, call_arg_next, call_args, call, list_lit, paren, primary,
                    range_tail, index_item, indexes, transpose, postfix, operand, binary_op, bound_op,
                    op_operand, bound_op_operand, chain, ternary_tail, expr_list, close_args, close_index,
                    close_brace_list, close_bracket_list);

}  // namespace mcmc::grammar::parser

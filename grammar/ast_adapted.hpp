// Boost.Fusion adaptation of the X3 syntax tree structs, so the grammar can fill them.
#pragma once

#include <boost/fusion/include/adapt_struct.hpp>

#include "grammar/ast.hpp"

BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::identifier, name)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::int_lit, text)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::real_lit, text)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::string_lit, text)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::target_call, word, open)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::call_arg, sep, value)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::call, name, args)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::list_lit, open, items)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::paren, open, inner)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::range_tail, colon, hi)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::index_item, lo, tail)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::postfix, base, indexes)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::operand, prefix, value)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::op_operand, op, rhs)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::chain, first, rest)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::ternary_tail, if_true, if_false)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::expression, head, tail)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::constraint, key, value)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::var_type, dims, base, constraints, size)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::marker, open, text)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::declarator, name, old_dims, init)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::decl_stmt, type, vars)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::truncation, lo, hi)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::simple_stmt, lhs, op, rhs, trunc)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::word_stmt, word, semi)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::print_stmt, word, args)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::block_stmt, open, body)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::for_stmt, var, lo, hi, body)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::while_stmt, cond, body)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::else_if, cond, body)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::if_stmt, cond, then, elifs, otherwise)
BOOST_FUSION_ADAPT_STRUCT(mcmc::grammar::ast::block, name, open, body)

// Declaration of the expression grammar (definitions in expression_def.hpp).
#pragma once

#include <boost/spirit/home/x3.hpp>

#include "grammar/ast.hpp"

namespace mcmc::grammar::parser {

namespace x3 = boost::spirit::x3;

struct expression_class;
struct bound_chain_class;
struct identifier_class;
struct string_lit_class;
using expression_type = x3::rule<expression_class, ast::expression>;
using bound_chain_type = x3::rule<bound_chain_class, ast::chain>;
using identifier_type = x3::rule<identifier_class, ast::identifier>;
using string_lit_type = x3::rule<string_lit_class, ast::string_lit>;
BOOST_SPIRIT_DECLARE(expression_type, bound_chain_type, identifier_type, string_lit_type);

}  // namespace mcmc::grammar::parser

// Declaration of the statement grammar (declarations, assignments, control flow; definitions in statement_def.hpp).
#pragma once

#include <boost/spirit/home/x3.hpp>

#include "grammar/ast.hpp"

namespace mcmc::grammar::parser {

namespace x3 = boost::spirit::x3;

struct statement_class;
using statement_type = x3::rule<statement_class, ast::statement>;
BOOST_SPIRIT_DECLARE(statement_type);

}  // namespace mcmc::grammar::parser

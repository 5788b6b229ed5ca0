// Declaration of the top-level grammar: a sequence of program blocks (definition in program_def.hpp).
#pragma once

#include <boost/spirit/home/x3.hpp>

#include "grammar/ast.hpp"

namespace mcmc::grammar::parser {

namespace x3 = boost::spirit::x3;

struct program_class;
using program_type = x3::rule<program_class, ast::program>;
BOOST_SPIRIT_DECLARE(program_type);

}  // namespace mcmc::grammar::parser

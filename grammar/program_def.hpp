// Definition of the top-level grammar: program blocks in any order (order is checked when lowering).
#pragma once

#include <boost/spirit/home/x3.hpp>
#include <boost/spirit/home/x3/support/utility/annotate_on_success.hpp>

#include "grammar/ast.hpp"
#include "grammar/ast_adapted.hpp"
#include "grammar/common_def.hpp"
#include "grammar/program.hpp"
#include "grammar/statement.hpp"
#include "grammar/statement_def.hpp"

namespace mcmc::grammar::parser {

namespace x3 = boost::spirit::x3;

struct program_class;
struct block_class : x3::annotate_on_success {};
struct block_name_class;
struct end_of_program_class;

program_type const program = "a program";
x3::rule<block_class, ast::block> const block = "a block";
x3::rule<block_name_class, std::string> const block_name = "a block name";
x3::rule<end_of_program_class> const end_of_program = "a block";

auto const block_name_def =
    x3::raw[kw("functions") | (kw("transformed") >> (kw("data") | kw("parameters"))) | kw("data") |
            kw("parameters") | kw("model") | (kw("generated") >> kw("quantities"))];
auto const block_def = block_name > x3::char_('{') > *statement > close_block;
auto const end_of_program_def = x3::eoi;
auto const program_def = *block > end_of_program;

BOOST_SPIRIT_DEFINE(program, block, block_name, end_of_program);

}  // namespace mcmc::grammar::parser

// Iterator, skipper and context types shared by the grammar parts and their instantiation unit.
#pragma once

#include <functional>
#include <string>

#include <boost/spirit/home/x3.hpp>
#include <boost/spirit/home/x3/support/utility/error_reporting.hpp>

namespace mcmc::grammar::parser {

namespace x3 = boost::spirit::x3;

// The parser runs on a copy of the source whose comments are blanked out (grammar/prescan.hpp),
// so plain whitespace is the whole skipper.
using iterator_type = std::string::const_iterator;
using skipper_type = x3::ascii::space_type;
using phrase_context_type = x3::phrase_parse_context<skipper_type>::type;
using error_handler_type = x3::error_handler<iterator_type>;
using context_type =
    x3::context<x3::error_handler_tag, std::reference_wrapper<error_handler_type>, phrase_context_type>;

}  // namespace mcmc::grammar::parser

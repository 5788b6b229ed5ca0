// Small parser helpers shared by the grammar definitions: whole-word keywords.
#pragma once

#include <boost/spirit/home/x3.hpp>

namespace mcmc::grammar::parser {

namespace x3 = boost::spirit::x3;

/// A keyword as a whole word: `for` matches in `for (` but not in `format`.
inline auto kw(char const* word) { return x3::lexeme[x3::lit(word) >> !(x3::alnum | '_')]; }

}  // namespace mcmc::grammar::parser

// The one translation unit that compiles the X3 grammar (explicit rule instantiations).
#include "grammar/config.hpp"
#include "grammar/expression_def.hpp"
#include "grammar/program_def.hpp"
#include "grammar/statement_def.hpp"

namespace mcmc::grammar::parser {

BOOST_SPIRIT_INSTANTIATE(program_type, iterator_type, context_type);

}  // namespace mcmc::grammar::parser

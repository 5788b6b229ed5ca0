// Lowering of the X3 syntax tree (grammar/ast.hpp) into the clean lang::Program, with positions.
#pragma once

#include <string>

#include "grammar/parse.hpp"
#include "lang/ast.hpp"

namespace mcmc::lang {

/// Builds the clean AST: resolves operator precedence (left-associative, `^` right-associative,
/// prefix operators between `^` and `*`), checks block order, names (reserved words) and the
/// syntax mcmc does not support. `text` is the comment-blanked text that was parsed, `source`
/// the original. Throws mcmc::Error (ExitCode::ModelOrData) with a formatted diagnostic.
Program lower(const grammar::ParseOutput& parsed, const std::string& file, const std::string& source,
              const std::string& text);

/// True for words that cannot name a variable ("for", "real", "target", ...).
bool is_reserved_word(const std::string& word);

}  // namespace mcmc::lang

// Entry point of the grammar: source text in, X3 syntax tree (with source offsets) or a SyntaxError out.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "grammar/ast.hpp"

namespace mcmc::grammar {

/// A syntax error at a byte offset of the source; `message` has no position in it.
struct SyntaxError {
  std::size_t offset = 0;
  std::string message;
};

struct ParseOutput {
  ast::program program;
  std::vector<std::size_t> positions;  // the position cache: byte offsets, indexed by position_tagged ids

  /// First / one-past-last byte offset of a tagged node (npos if it was never tagged).
  std::size_t begin_of(const boost::spirit::x3::position_tagged& node) const;
  std::size_t end_of(const boost::spirit::x3::position_tagged& node) const;
};

/// Parses `text` (the source with comments blanked, see prescan.hpp). Throws SyntaxError.
ParseOutput parse(const std::string& text);

}  // namespace mcmc::grammar

// Character-level checks run before the grammar: encoding, comments, strings, bracket balance and depth.
#pragma once

#include <cstddef>
#include <string>
#include <utility>

namespace mcmc::grammar {

/// Deepest bracket nesting accepted (keeps the recursive grammar far from the stack limit).
constexpr int kMaxNesting = 500;

/// Checks `source` and returns a copy of the same length with every comment replaced by spaces
/// (newlines kept), ready for the grammar. Throws SyntaxError on: NUL bytes, invalid UTF-8,
/// characters outside the language, `#`, unterminated comments / strings, unbalanced or too
/// deeply nested brackets, and an empty model.
std::string prescan(const std::string& source);

/// 1-based line and column (in characters, counting a tab as one) of a byte offset.
std::pair<int, int> line_col(const std::string& source, std::size_t offset);

}  // namespace mcmc::grammar

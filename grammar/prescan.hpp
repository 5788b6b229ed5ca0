// Character-level checks run before the grammar: encoding, comments, strings, bracket balance and depth.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

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

/// The same as line_col in O(log n) per query, for the many positions of a whole syntax tree.
class LineIndex {
 public:
  explicit LineIndex(const std::string& source);
  std::pair<int, int> operator()(std::size_t offset) const;

 private:
  std::vector<std::size_t> line_starts_;  // byte offset of each line's first character
  std::vector<std::uint32_t> chars_;      // chars_[i]: characters starting before byte i
};

}  // namespace mcmc::grammar

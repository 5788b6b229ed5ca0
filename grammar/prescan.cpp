// Character-level checks run before the grammar: encoding, comments, strings, bracket balance and depth.
#include "grammar/prescan.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <vector>

#include "grammar/parse.hpp"

namespace mcmc::grammar {

namespace {

[[noreturn]] void fail(std::size_t offset, std::string message) {
  throw SyntaxError{offset, std::move(message)};
}

/// Length of the UTF-8 sequence starting at `i`, or 0 if it is invalid.
std::size_t utf8_length(const std::string& s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  if (n == 2 && c < 0xC2) return 0;  // overlong
  return n;
}

bool allowed_ascii(char c) {
  static const std::string punct = "+-*/%^.,;:?!=<>|&~'()[]{}\"_\\";
  return std::isalnum(static_cast<unsigned char>(c)) || c == ' ' || c == '\t' || c == '\n' ||
         c == '\r' || c == '\f' || c == '\v' || punct.find(c) != std::string::npos;
}

std::string describe_char(const std::string& s, std::size_t i, std::size_t len) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x20 || c == 0x7F) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "\\x%02X", c);
    return buf;
  }
  return s.substr(i, len);
}

struct Open {
  char ch;
  std::size_t offset;
};

char closer_of(char open) { return open == '(' ? ')' : open == '[' ? ']' : '}'; }

std::string where(const std::string& s, std::size_t offset) {
  auto [line, col] = line_col(s, offset);
  return std::to_string(line) + ":" + std::to_string(col);
}

}  // namespace

std::pair<int, int> line_col(const std::string& source, std::size_t offset) {
  int line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < source.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(source[i]);
    if (c == '\n') {
      ++line;
      col = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++col;  // count characters, not UTF-8 continuation bytes
    }
  }
  return {line, col};
}

LineIndex::LineIndex(const std::string& source) : line_starts_{0}, chars_(source.size() + 1, 0) {
  std::uint32_t count = 0;
  for (std::size_t i = 0; i < source.size(); ++i) {
    chars_[i] = count;
    if ((static_cast<unsigned char>(source[i]) & 0xC0) != 0x80) ++count;
    if (source[i] == '\n') line_starts_.push_back(i + 1);
  }
  chars_[source.size()] = count;
}

std::pair<int, int> LineIndex::operator()(std::size_t offset) const {
  offset = std::min(offset, chars_.size() - 1);
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  std::size_t line = static_cast<std::size_t>(it - line_starts_.begin());  // 1-based
  std::size_t start = line_starts_[line - 1];
  return {static_cast<int>(line), static_cast<int>(chars_[offset] - chars_[start]) + 1};
}

std::string prescan(const std::string& source) {
  std::string text = source;
  std::vector<Open> open;
  bool any_token = false;
  std::size_t last_token_end = 0;
  const std::size_t n = source.size();
  std::size_t i = 0;
  while (i < n) {
    char c = source[i];
    if (c == '\0') fail(i, "the model file contains a NUL byte (is it a binary file?)");
    std::size_t len = utf8_length(source, i);
    if (len == 0) fail(i, "the model file is not valid UTF-8 text");
    if (c == '/' && i + 1 < n && source[i + 1] == '/') {  // line comment
      while (i < n && source[i] != '\n') {
        if (source[i] == '\0') fail(i, "the model file contains a NUL byte (is it a binary file?)");
        std::size_t l = utf8_length(source, i);
        if (l == 0) fail(i, "the model file is not valid UTF-8 text");
        for (std::size_t k = 0; k < l; ++k) text[i + k] = ' ';
        i += l;
      }
      continue;
    }
    if (c == '/' && i + 1 < n && source[i + 1] == '*') {  // block comment
      std::size_t start = i;
      text[i] = text[i + 1] = ' ';
      i += 2;
      while (true) {
        if (i >= n) fail(start, "unterminated comment: '/*' has no matching '*/'");
        if (source[i] == '*' && i + 1 < n && source[i + 1] == '/') {
          text[i] = text[i + 1] = ' ';
          i += 2;
          break;
        }
        if (source[i] == '\0') fail(i, "the model file contains a NUL byte (is it a binary file?)");
        std::size_t l = utf8_length(source, i);
        if (l == 0) fail(i, "the model file is not valid UTF-8 text");
        for (std::size_t k = 0; k < l; ++k)
          if (source[i + k] != '\n') text[i + k] = ' ';
        i += l;
      }
      continue;
    }
    if (c == '"') {  // string literal: one line, no escapes
      std::size_t start = i++;
      while (true) {
        if (i >= n || source[i] == '\n' || source[i] == '\r')
          fail(start, "unterminated string literal");
        if (source[i] == '"') break;
        if (source[i] == '\0') fail(i, "the model file contains a NUL byte (is it a binary file?)");
        std::size_t l = utf8_length(source, i);
        if (l == 0) fail(i, "the model file is not valid UTF-8 text");
        i += l;
      }
      ++i;
      any_token = true;
      last_token_end = i;
      continue;
    }
    if (c == '#')
      fail(i, "'#' does not start a comment in Stan; use '//' (and '#include' is not supported)");
    if (len > 1 || !allowed_ascii(c)) fail(i, "unexpected character '" + describe_char(source, i, len) + "'");
    if (c == '(' || c == '[' || c == '{') {
      open.push_back({c, i});
      if (static_cast<int>(open.size()) > kMaxNesting)
        fail(i, "brackets nested deeper than " + std::to_string(kMaxNesting) +
                    " levels are not supported");
    } else if (c == ')' || c == ']' || c == '}') {
      if (open.empty()) fail(i, std::string("unexpected '") + c + "' with no matching opening bracket");
      if (closer_of(open.back().ch) != c)
        fail(i, std::string("expected '") + closer_of(open.back().ch) + "' to close '" +
                    open.back().ch + "' opened at " + where(source, open.back().offset) +
                    ", found '" + c + "'");
      open.pop_back();
    }
    if (!std::isspace(static_cast<unsigned char>(c))) {
      any_token = true;
      last_token_end = i + 1;
    }
    i += len;
  }
  if (!any_token) fail(0, "the model is empty (no program blocks)");
  if (!open.empty())
    fail(last_token_end, std::string("unclosed '") + open.back().ch + "' opened at " +
                             where(source, open.back().offset) + ": expected '" +
                             closer_of(open.back().ch) + "'");
  return text;
}

}  // namespace mcmc::grammar

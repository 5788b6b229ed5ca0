// Turns an X3 expectation failure (rule name + place) into a human message such as "expected ';'".
#pragma once

#include <cctype>
#include <cstddef>
#include <string>

namespace mcmc::grammar {

namespace detail {

inline bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

inline std::size_t skip_space(const std::string& text, std::size_t at) {
  while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
  return at;
}

inline std::string word_at(const std::string& text, std::size_t at) {
  std::size_t end = at;
  while (end < text.size() && is_word_char(text[end])) ++end;
  return text.substr(at, end - at);
}

/// End of the last token before `at` (just after its last character).
inline std::size_t end_of_previous_token(const std::string& text, std::size_t at) {
  while (at > 0 && std::isspace(static_cast<unsigned char>(text[at - 1]))) --at;
  return at;
}

/// The token that ends just before `at` ("+", "=", "normal", ...), for "after '+'".
inline std::string previous_token(const std::string& text, std::size_t at) {
  std::size_t end = end_of_previous_token(text, at), begin = end;
  if (begin == 0) return "";
  if (is_word_char(text[begin - 1])) {
    while (begin > 0 && is_word_char(text[begin - 1])) --begin;
  } else {
    static const std::string ops = "+-*/%^.=<>!&|~,(:?[{";
    while (begin > 0 && end - begin < 3 && ops.find(text[begin - 1]) != std::string::npos &&
           (begin == end || std::string("([{,").find(text[begin - 1]) == std::string::npos))
      --begin;
  }
  return text.substr(begin, end - begin);
}

/// X3 names literals as '"in"'; messages quote with single quotes.
inline std::string quoted(std::string which) {
  if (which.size() < 2 || which.front() != '"' || which.back() != '"') return which;
  std::string out(1, '\'');
  out.append(which, 1, which.size() - 2);
  out += '\'';
  return out;
}

}  // namespace detail

/// Maps the rule name X3 reports (`which`, the rule's human name) and the failure offset to a
/// message; moves `offset` to where the caret should point.
inline std::string describe_expectation(const std::string& text, std::size_t& offset,
                                        const std::string& which) {
  using namespace detail;
  std::size_t at = skip_space(text, offset);
  std::string word = word_at(text, at);
  if (at < text.size() && text[at] == '\'') {
    offset = at;
    return "the transpose operator ' is not supported by mcmc";
  }
  if (which == "an unsupported type") {
    offset = at;
    return word + " is not supported by mcmc (see the language reference)";
  }
  if (which == "a block") {
    offset = at;
    if (word.empty())
      return "expected a block (data, transformed data, parameters, transformed parameters, "
             "model or generated quantities)";
    if (word == "transformed" || word == "generated") {
      std::string next = word_at(text, skip_space(text, at + word.size()));
      if (!next.empty()) word += " " + next;
    }
    return "unknown block '" + word + "'";
  }
  if (which == "';'") {
    offset = end_of_previous_token(text, offset);
    return "expected ';'";
  }
  if (which.rfind("'='", 0) == 0 && previous_token(text, at) == "else") {
    offset = end_of_previous_token(text, at) - 4;
    return "'else' without a matching 'if'";
  }
  offset = at;
  if (which.rfind("N5boost", 0) == 0) {  // an unnamed parser: fall back to the token found
    if (at >= text.size()) return "unexpected end of the model";
    return "unexpected '" + (word.empty() ? text.substr(at, 1) : word) + "'";
  }
  if (which == "an expression") {
    std::string prev = previous_token(text, at);
    if (!prev.empty()) return "expected an expression after '" + prev + "'";
    return "expected an expression";
  }
  return "expected " + quoted(which);
}

}  // namespace mcmc::grammar

// Runs the X3 program rule over the source and converts expectation failures to SyntaxError.
#include "grammar/parse.hpp"

#include <sstream>

#include "grammar/config.hpp"
#include "grammar/error_handler.hpp"
#include "grammar/program.hpp"

namespace mcmc::grammar {

namespace x3 = boost::spirit::x3;

std::size_t ParseOutput::begin_of(const x3::position_tagged& node) const {
  if (node.id_first < 0 || static_cast<std::size_t>(node.id_first) >= positions.size())
    return std::string::npos;
  return positions[node.id_first];
}

std::size_t ParseOutput::end_of(const x3::position_tagged& node) const {
  if (node.id_last < 0 || static_cast<std::size_t>(node.id_last) >= positions.size())
    return std::string::npos;
  return positions[node.id_last];
}

ParseOutput parse(const std::string& text) {
  using parser::iterator_type;
  iterator_type first = text.begin();
  const iterator_type last = text.end();
  std::ostringstream sink;  // X3's own error printer is not used
  parser::error_handler_type handler(first, last, sink);
  ParseOutput out;
  static const parser::program_type program_rule = "a program";
  auto const rule = x3::with<x3::error_handler_tag>(std::ref(handler))[program_rule];
  try {
    bool ok = x3::phrase_parse(first, last, rule, x3::ascii::space, out.program);
    if (!ok || first != last) {
      std::size_t offset = static_cast<std::size_t>(first - text.begin());
      throw SyntaxError{offset, describe_expectation(text, offset, "a block")};
    }
  } catch (const x3::expectation_failure<iterator_type>& e) {
    std::size_t offset = static_cast<std::size_t>(e.where() - text.begin());
    std::string message = describe_expectation(text, offset, e.which());
    throw SyntaxError{offset, message};
  }
  for (const auto& it : handler.get_position_cache().get_positions())
    out.positions.push_back(static_cast<std::size_t>(it - text.begin()));
  return out;
}

}  // namespace mcmc::grammar

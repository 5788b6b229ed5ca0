// The whole of a string as a number (std::stod's syntax), or nothing: one check for options, config values and --init.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace mcmc {

inline std::optional<double> parse_number(const std::string& text) {
  try {
    std::size_t pos = 0;
    const double v = std::stod(text, &pos);
    if (pos == text.size()) return v;
  } catch (...) {
  }
  return std::nullopt;
}

}  // namespace mcmc

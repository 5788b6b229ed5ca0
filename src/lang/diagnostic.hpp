// Positioned model errors: `file:line:col: message`, the source line and a caret under the column.
#pragma once

#include <string>
#include <string_view>

#include "lang/ast.hpp"
#include "util/error.hpp"

namespace mcmc::lang {

/// Formats `file:line:col: error: message\n  <source line>\n  <caret>`.
std::string format_diagnostic(std::string_view file, std::string_view source, Pos pos,
                              std::string_view message);

/// An mcmc::Error (ExitCode::ModelOrData) carrying a formatted diagnostic.
Error model_error(std::string_view file, std::string_view source, Pos pos, std::string_view message);

}  // namespace mcmc::lang

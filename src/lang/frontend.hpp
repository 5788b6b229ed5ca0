// The language front end in one call: parse (grammar/), lower to the clean AST, run the semantic checks.
#pragma once

#include <string>

#include "lang/ast.hpp"

namespace mcmc::lang {

/// Parses and checks `source` (named `file` in messages). Throws mcmc::Error
/// (ExitCode::ModelOrData) with a formatted diagnostic on the first syntax or semantic error.
/// On success every Expr has its `type` filled in.
Program parse_and_check(const std::string& file, const std::string& source);

/// Parses `source` without the semantic checks (syntax, block order, names); types stay unset.
/// Throws mcmc::Error (ExitCode::ModelOrData) with a formatted diagnostic.
Program parse_only(const std::string& file, const std::string& source);

/// Reads the file, then parse_and_check. A missing / unreadable file is ExitCode::Io.
Program load_program(const std::string& path);

/// Prints the AST back as an indented S-expression-like dump (used by golden tests and `mcmc parse`).
std::string dump(const Program& program);

}  // namespace mcmc::lang

// Semantic checks: scopes, types, function signatures and block rules, with positioned errors.
#pragma once

#include "lang/ast.hpp"

namespace mcmc::lang {

/// Checks the whole program and fills in every Expr::type. Throws mcmc::Error
/// (ExitCode::ModelOrData, formatted with lang::model_error) at the first error.
void check(Program& program);

}  // namespace mcmc::lang

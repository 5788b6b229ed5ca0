// The ODE solver functions (ode_rk45, ..., integrate_ode_rk45): their names and call forms, shared by the checker and the model compiler.
#pragma once

#include <string_view>

namespace mcmc::lang {

/// One ODE solver function. Their first argument is a user-defined function, so they are not
/// in the catalogue of built-ins (whose signatures are over value types); docs/language.md
/// describes them.
struct OdeSolver {
  std::string_view name;
  enum Method { Rk45, Bdf, Adams } method;
  /// integrate_ode_*(f, y0, t0, ts, theta, x_r, x_i[, rtol, atol, max_num_steps]) with
  /// f(real t, array[] real y, array[] real theta, array[] real x_r, array[] int x_i) => array[] real,
  /// returning array[,] real; else ode_*(f, y0, t0, ts[, rtol, atol, max_num_steps], ...) with
  /// f(real t, vector y, ...) => vector, returning array[] vector.
  bool old_form;
  /// Whether the tolerances are arguments (the _tol forms); the old forms take them optionally.
  bool tol;
};

inline constexpr OdeSolver kOdeSolvers[] = {
    {"ode_rk45", OdeSolver::Rk45, false, false},        {"ode_rk45_tol", OdeSolver::Rk45, false, true},
    {"ode_bdf", OdeSolver::Bdf, false, false},          {"ode_bdf_tol", OdeSolver::Bdf, false, true},
    {"ode_adams", OdeSolver::Adams, false, false},      {"ode_adams_tol", OdeSolver::Adams, false, true},
    {"integrate_ode_rk45", OdeSolver::Rk45, true, false}, {"integrate_ode_bdf", OdeSolver::Bdf, true, false},
    {"integrate_ode_adams", OdeSolver::Adams, true, false},
};

inline const OdeSolver* find_ode_solver(std::string_view name) {
  for (const OdeSolver& s : kOdeSolvers)
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace mcmc::lang

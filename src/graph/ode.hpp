// Solutions of ordinary differential equations as an External graph function, with forward sensitivities: Boost.Odeint's dopri5 (rk45) and SUNDIALS CVODES (bdf, adams).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "graph/external.hpp"
#include "graph/graph.hpp"

namespace mcmc::graph {

enum class OdeMethod { Rk45, Bdf, Adams };

/// The right-hand side dy/dt = f(t, y, theta) as a graph of its own: inputs t (offset 0, size 1),
/// y (offset 1, size n) and theta (offset 1 + n, size p); `f` is the node of the n derivatives
/// (its checks, if any, reject a state). The solver takes f's Jacobian w.r.t. (t, y, theta) from
/// the graph: one forward sweep, then one reverse sweep per state seeded at that derivative.
struct OdeRhs {
  Graph graph;
  NodeId f = kNoNode;
  std::uint32_t n = 0;  // states
  std::uint32_t p = 0;  // parameters theta
};

/// One ODE solve: the states at the output times.
struct OdeProblem {
  OdeMethod method = OdeMethod::Rk45;
  const char* name = "ode_rk45";  // for messages
  bool y0_var = false;            // the initial state is an input (else `y0`)
  std::vector<double> y0;         // the constant initial state (when !y0_var)
  double t0 = 0;
  std::vector<double> ts;         // output times, strictly increasing, all > t0
  double rtol = 1e-6, atol = 1e-6;
  long long max_steps = 1000000;
};

/// The solution y(ts[0]), ..., y(ts[T-1]) (T * n outputs, time-major) as a function of its
/// inputs: the initial state (n, when y0_var) then theta (p). Its Jacobian is the sensitivity
/// of the solution, solved with the states (the forward sensitivity equations
/// dS/dt = J_y S + J_theta). A solver failure (too many steps, a non-finite derivative) makes
/// eval return false.
std::shared_ptr<const External> make_ode_solution(OdeProblem problem, std::shared_ptr<const OdeRhs> rhs);

}  // namespace mcmc::graph

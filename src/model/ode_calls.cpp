// ODE solver calls: the user-defined right-hand side compiled into a graph of its own (inputs t, y, the parameters it reads), the solution one External node.
#include <cmath>
#include <map>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "graph/ode.hpp"
#include "model/interp.hpp"

namespace mcmc::model {

using graph::NodeId;
using lang::BaseType;

Value Interp::call_ode(const lang::Expr& e, const lang::OdeSolver& solver) {
  const std::string& name = e.name;
  const lang::FunDef& f = program_->functions.at(e.args.at(0).fun);
  std::vector<Value> args;
  for (std::size_t i = 1; i < e.args.size(); ++i) args.push_back(eval(e.args[i]));
  const Value& y0 = args[0];
  // The times and the controls must be data: their sensitivities are not computed.
  auto data_value = [&](std::size_t i, const char* what) {
    if (!args[i].all_const()) fail(e.args[i + 1].pos, fmt::format("{}: {} must not depend on parameters", name, what));
    return &args[i];
  };
  const double t0 = data_value(1, "the initial time")->elems[0].c;
  std::vector<double> ts;
  for (const Ref& r : data_value(2, "the output times")->elems) ts.push_back(r.c);
  graph::OdeProblem pr;
  pr.method = solver.method == lang::OdeSolver::Rk45  ? graph::OdeMethod::Rk45
              : solver.method == lang::OdeSolver::Bdf ? graph::OdeMethod::Bdf
                                                      : graph::OdeMethod::Adams;
  pr.name = solver.name.data();  // the table's names are string literals
  std::size_t extra = 3;         // the first argument passed on to the right-hand side
  std::size_t controls = 0;      // where rel_tol, abs_tol, max_num_steps are (0: absent)
  if (solver.old_form) {
    if (args.size() == 9) controls = 6;
  } else if (solver.tol) {
    controls = 3;
    extra = 6;
  }
  if (controls) {
    pr.rtol = data_value(controls, "rel_tol")->elems[0].c;
    pr.atol = data_value(controls + 1, "abs_tol")->elems[0].c;
    pr.max_steps = static_cast<long long>(data_value(controls + 2, "max_num_steps")->elems[0].c);
    if (!(pr.rtol > 0) || !(pr.atol > 0) || pr.max_steps <= 0)
      fail(e.pos, fmt::format("{}: rel_tol ({}), abs_tol ({}) and max_num_steps ({}) must be positive", name, pr.rtol,
                              pr.atol, pr.max_steps));
  }
  const std::size_t last = solver.old_form ? 6 : args.size();  // the extra arguments are [extra, last)
  if (!std::isfinite(t0)) fail(e.args[2].pos, fmt::format("{}: the initial time is {}", name, t0));
  for (std::size_t k = 0; k < ts.size(); ++k) {
    double before = k ? ts[k - 1] : t0;
    if (!std::isfinite(ts[k]) || !(ts[k] > before))
      fail(e.args[3].pos, fmt::format("{}: the output times must be finite and increase, from after the initial "
                                      "time {}; ts[{}] is {}",
                                      name, t0, k + 1, ts[k]));
  }
  if (y0.size() == 0) fail(e.args[1].pos, name + ": the initial state is empty");
  const auto n = static_cast<std::uint32_t>(y0.size());

  // The parameters the right-hand side reads: every distinct non-constant element of its extra
  // arguments, in order.
  std::vector<Ref> params;
  std::map<std::pair<NodeId, std::uint32_t>, std::uint32_t> param_index;
  for (std::size_t i = extra; i < last; ++i)
    for (const Ref& r : args[i].elems)
      if (!r.is_const() && param_index.emplace(std::make_pair(r.node, r.idx), params.size()).second) params.push_back(r);
  const auto p = static_cast<std::uint32_t>(params.size());

  // The right-hand side's graph: inputs t, y, theta (graph/ode.hpp), the function's body
  // evaluated on them by an evaluator of its own.
  auto rhs = std::make_shared<graph::OdeRhs>();
  rhs->n = n;
  rhs->p = p;
  graph::Graph& sg = rhs->graph;
  const NodeId t_in = sg.input(0, 1), y_in = sg.input(1, n);
  const NodeId theta_in = p ? sg.input(1 + n, p) : graph::kNoNode;
  Interp sub(*program_, sg, nullptr);
  sub.block = block;
  sub.printer = printer;
  std::vector<Value> fargs;
  fargs.push_back(Value::scalar(Ref::of(t_in, 0)));
  Value y;
  y.base = solver.old_form ? BaseType::Real : BaseType::Vector;
  y.dims = {n};
  for (std::uint32_t i = 0; i < n; ++i) y.elems.push_back(Ref::of(y_in, i));
  fargs.push_back(std::move(y));
  for (std::size_t i = extra; i < last; ++i) {
    Value v = args[i];
    for (Ref& r : v.elems)
      if (!r.is_const()) r = Ref::of(theta_in, param_index.at({r.node, r.idx}));
    fargs.push_back(std::move(v));
  }
  Value dy = sub.call_user(f, e.pos, fargs);
  if (dy.size() != n)
    fail(e.pos, fmt::format("{}: the right-hand side {} returns {} derivatives for {} states", name, f.name, dy.size(), n));
  rhs->f = sub.node_of(dy);

  pr.y0_var = !y0.all_const();
  if (!pr.y0_var)
    for (const Ref& r : y0.elems) pr.y0.push_back(r.c);
  pr.t0 = t0;
  pr.ts = ts;
  std::vector<NodeId> inputs;
  if (pr.y0_var) inputs.push_back(node_of(y0));
  if (p) {
    Value theta;
    theta.dims = {p};
    theta.elems = params;
    inputs.push_back(node_of(theta));
  }
  NodeId out;
  try {
    out = graph_->external(graph::make_ode_solution(std::move(pr), std::move(rhs)), inputs);
  } catch (const std::exception& ex) {
    fail(e.pos, ex.what());
  }
  return wrap(out, solver.old_form ? BaseType::Real : BaseType::Vector, {ts.size(), n});
}

}  // namespace mcmc::model

// Finite-difference gradient check of a tape, shared by the graph and model tests.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "graph/tape.hpp"

namespace mcmc::test {

/// Compares the tape's gradient at q with central differences of its log density: step 1e-6
/// relative, tolerance 1e-6 relative + absolute (plus the differencing error of a large log
/// density). `label(i)` names coordinate i in failure messages.
inline void check_tape_gradient(const graph::Tape& tape, const std::vector<double>& q,
                                const std::function<std::string(std::size_t)>& label) {
  graph::Evaluator ev(tape, 1);
  std::vector<double> grad(q.size()), scratch(q.size());
  double lp = ev.logp_grad(q, grad);
  INFO("log density " << lp);
  REQUIRE(std::isfinite(lp));
  for (std::size_t i = 0; i < q.size(); ++i) {
    double h = 1e-6 * std::max(1.0, std::fabs(q[i]));
    std::vector<double> qp = q, qm = q;
    qp[i] += h;
    qm[i] -= h;
    double numeric = (ev.logp_grad(qp, scratch) - ev.logp_grad(qm, scratch)) / (2 * h);
    INFO("coordinate " << i << " (" << label(i) << "): analytic " << grad[i] << " numeric " << numeric);
    CHECK(std::fabs(grad[i] - numeric) <= 1e-6 * std::max(1.0, std::fabs(numeric)) + 1e-9 * std::fabs(lp));
  }
}

}  // namespace mcmc::test

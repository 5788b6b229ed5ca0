// L-BFGS to the maximum of a log density (LBFGSpp), with CmdStan's convergence tests and the path of iterates.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace mcmc::optim {

/// A log density on the unconstrained space: returns log p(q) and writes its gradient into
/// `grad`. A point outside the support returns -inf or NaN (the optimizer then steps back).
using LogDensity = std::function<double(std::span<const double> q, std::span<double> grad)>;

/// CmdStan's L-BFGS settings (`method=optimize algorithm=lbfgs`), with CmdStan's defaults.
struct LbfgsOptions {
  int max_iterations = 2000;  // iter
  double tol_obj = 1e-12;     // |f_k - f_{k-1}| below this: converged
  double tol_rel_obj = 1e4;   // |f_k - f_{k-1}| / max(|f_k|, |f_{k-1}|, 1) below this * epsilon
  double tol_grad = 1e-8;     // ||g_k|| below this
  double tol_rel_grad = 1e7;  // g_k' H_k g_k / max(|f_k|, 1) below this * epsilon (H_k: the L-BFGS inverse Hessian)
  double tol_param = 1e-8;    // ||x_k - x_{k-1}|| below this
  int history_size = 5;       // (s, y) pairs kept
};

/// One accepted L-BFGS iterate.
struct Iterate {
  std::vector<double> x;
  double lp = 0;
  std::vector<double> grad;  // of lp
};

struct LbfgsResult {
  std::vector<double> x;        // the best point found
  double lp = 0;                // log density there
  int iterations = 0;
  std::int64_t evaluations = 0; // log density + gradient evaluations
  bool converged = false;       // one of the tolerances was met (else: iterations or line search ran out)
  bool failed = false;          // the line search found no acceptable step (CmdStan: "terminated with error")
  std::string message;          // why it stopped, in CmdStan's words
  std::vector<Iterate> path;    // every accepted iterate, the initial point first
};

/// Maximizes `f` from `x0` (where f must be finite). Throws mcmc::Error(Sampling) when f is
/// not finite at x0.
LbfgsResult maximize(const LogDensity& f, std::vector<double> x0, const LbfgsOptions& options);

}  // namespace mcmc::optim

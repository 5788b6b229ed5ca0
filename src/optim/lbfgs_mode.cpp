// L-BFGS to the maximum of a log density (LBFGSpp), with CmdStan's convergence tests and the path of iterates.
#include "optim/lbfgs_mode.hpp"

#include <cmath>
#include <deque>
#include <limits>
#include <stdexcept>

#include <Eigen/Core>
#include <LBFGS.h>
#include <fmt/format.h>

#include "util/error.hpp"

namespace mcmc::optim {

namespace {

using Vec = Eigen::VectorXd;

/// Thrown by the iterate hook to end LBFGSpp's minimize() when a CmdStan test is met.
struct Stop {};

/// The objective LBFGSpp minimizes (-log density), which also sees every accepted iterate: the
/// line search below hands it each one. It keeps the (s, y) history for CmdStan's relative
/// gradient test and decides when to stop.
class Objective {
 public:
  Objective(const LogDensity& f, const LbfgsOptions& o, LbfgsResult& r) : f_(f), o_(o), r_(r) {}

  double operator()(const Vec& x, Vec& grad) {
    ++r_.evaluations;
    grad.resize(x.size());
    const double lp = f_(std::span<const double>(x.data(), static_cast<std::size_t>(x.size())),
                         std::span<double>(grad.data(), static_cast<std::size_t>(grad.size())));
    bool finite = std::isfinite(lp);
    for (Eigen::Index i = 0; finite && i < grad.size(); ++i) finite = std::isfinite(grad[i]);
    if (!finite) {  // outside the support: an infinitely bad point, from which the line search steps back
      grad.setZero();
      return std::numeric_limits<double>::infinity();
    }
    grad = -grad;
    return -lp;
  }

  /// Forgets the (s, y) history (L-BFGS restarts from the last iterate).
  void restart() { hist_.clear(); }

  /// An accepted iterate (x, f(x), grad f(x)); throws Stop when a test is met.
  void accept(const Vec& x, double fx, const Vec& grad) {
    const Iterate& prev = r_.path.back();
    Vec s = x - Eigen::Map<const Vec>(prev.x.data(), x.size());
    Vec y = grad + Eigen::Map<const Vec>(prev.grad.data(), x.size());  // prev.grad is +grad of lp
    if (s.dot(y) > 0) {
      hist_.push_back({s, y});
      if (static_cast<int>(hist_.size()) > o_.history_size) hist_.pop_front();
    }
    const double f_prev = -prev.lp;  // before push_back, which may move the path (and prev with it)
    r_.path.push_back({std::vector<double>(x.data(), x.data() + x.size()), -fx,
                       std::vector<double>(x.size())});
    Eigen::Map<Vec>(r_.path.back().grad.data(), x.size()) = -grad;
    ++r_.iterations;
    const double eps = std::numeric_limits<double>::epsilon();
    const double df = std::fabs(fx - f_prev);
    if (df < o_.tol_obj) return stop(true, "Convergence detected: absolute change in objective function was below tolerance");
    if (df / std::max({std::fabs(fx), std::fabs(f_prev), 1.0}) < o_.tol_rel_obj * eps)
      return stop(true, "Convergence detected: relative change in objective function was below tolerance");
    if (grad.norm() < o_.tol_grad) return stop(true, "Convergence detected: gradient norm is below tolerance");
    // (Not after the first step: its pair can span regions of very different curvature, e.g. from a
    // start where the log density is -1e70, and its scaled-identity H would call any gradient small.)
    if (r_.iterations >= 2 &&
        std::fabs(grad.dot(inv_hessian_times(grad))) / std::max(std::fabs(fx), 1.0) < o_.tol_rel_grad * eps)
      return stop(true, "Convergence detected: relative gradient magnitude is below tolerance");
    if (s.norm() < o_.tol_param) return stop(true, "Convergence detected: absolute parameter change was below tolerance");
    if (r_.iterations >= o_.max_iterations) return stop(false, "Maximum number of iterations hit, may not be at an optima");
  }

 private:
  void stop(bool converged, const char* message) {
    r_.converged = converged;
    r_.message = message;
    throw Stop{};
  }

  /// H g by the two-loop recursion over the history (H0 = s'y / y'y of the newest pair).
  Vec inv_hessian_times(const Vec& g) const {
    Vec q = g;
    if (hist_.empty()) return q;
    std::vector<double> a(hist_.size());
    for (std::size_t i = hist_.size(); i-- > 0;) {
      a[i] = hist_[i].s.dot(q) / hist_[i].s.dot(hist_[i].y);
      q -= a[i] * hist_[i].y;
    }
    q *= hist_.back().s.dot(hist_.back().y) / hist_.back().y.squaredNorm();
    for (std::size_t i = 0; i < hist_.size(); ++i) {
      const double b = hist_[i].y.dot(q) / hist_[i].s.dot(hist_[i].y);
      q += (a[i] - b) * hist_[i].s;
    }
    return q;
  }

  struct Pair {
    Vec s, y;
  };
  const LogDensity& f_;
  const LbfgsOptions& o_;
  LbfgsResult& r_;
  std::deque<Pair> hist_;
};

/// LBFGSpp's backtracking line search (Wolfe conditions), then the iterate goes to the objective.
template <typename Scalar>
class RecordingLineSearch {
 public:
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  template <typename Foo>
  static void LineSearch(Foo& f, Scalar& fx, Vector& x, Vector& grad, Scalar& step, const Vector& drt,
                         const Vector& xp, const LBFGSpp::LBFGSParam<Scalar>& param) {
    LBFGSpp::LineSearchBacktracking<Scalar>::LineSearch(f, fx, x, grad, step, drt, xp, param);
    f.accept(x, fx, grad);
  }
};

}  // namespace

LbfgsResult maximize(const LogDensity& f, std::vector<double> x0, const LbfgsOptions& options) {
  LbfgsResult r;
  const std::size_t n = x0.size();
  std::vector<double> g0(n);
  const double lp0 = f(x0, g0);
  r.evaluations = 1;
  bool finite = std::isfinite(lp0);
  for (double g : g0) finite = finite && std::isfinite(g);
  if (!finite) throw Error(ExitCode::Sampling, fmt::format("the log density is {} at the initial point", lp0));
  r.path.push_back({x0, lp0, g0});
  r.x = x0;
  r.lp = lp0;
  if (n == 0) {
    r.converged = true;
    r.message = "Convergence detected: the model has no parameters";
    return r;
  }

  LBFGSpp::LBFGSParam<double> param;
  param.m = std::max(1, options.history_size);
  param.epsilon = 0;  // every stopping rule is CmdStan's, in Objective::accept
  param.epsilon_rel = 0;
  param.past = 0;
  param.max_iterations = 0;
  param.linesearch = LBFGSpp::LBFGS_LINESEARCH_BACKTRACKING_WOLFE;
  param.max_linesearch = 60;
  Objective objective(f, options, r);
  LBFGSpp::LBFGSSolver<double, RecordingLineSearch> solver(param);
  Vec x = Eigen::Map<const Vec>(x0.data(), static_cast<Eigen::Index>(n));
  double fx = 0;
  if (options.max_iterations <= 0) {
    r.message = "Maximum number of iterations hit, may not be at an optima";
  } else {
    // When the line search fails after progress, L-BFGS restarts from the last iterate with an
    // empty history (at most 5 times): a step from a start far out in the tails (log density -1e70,
    // say) leaves a (s, y) pair whose curvature is wrong everywhere else, and LBFGSpp keeps it.
    for (int restarts = 0;; ++restarts) {
      const int before = r.iterations;
      x = Eigen::Map<const Vec>(r.path.back().x.data(), static_cast<Eigen::Index>(n));
      try {
        solver.minimize(objective, x, fx);
        // minimize() returns on its own only when the gradient is exactly zero.
        r.converged = true;
        r.message = "Convergence detected: gradient norm is below tolerance";
      } catch (const Stop&) {
      } catch (const std::exception&) {  // LBFGSpp: the line search found no acceptable step
        if (restarts < 5 && r.iterations > before) {
          objective.restart();
          continue;
        }
        r.converged = false;
        r.failed = true;
        r.message = "Line search failed to achieve a sufficient decrease, no more progress can be made";
      }
      break;
    }
  }
  r.x = r.path.back().x;
  r.lp = r.path.back().lp;
  return r;
}

}  // namespace mcmc::optim

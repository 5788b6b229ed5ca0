// ODE solutions with forward sensitivities: the right-hand side and its Jacobians from the graph's tape, the integration by Boost.Odeint (rk45) or CVODES (bdf, adams).
#include "graph/ode.hpp"

#include <cmath>
#include <exception>
#include <stdexcept>
#include <string>

#include <boost/numeric/odeint.hpp>
#include <cvodes/cvodes.h>
#include <nvector/nvector_serial.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

#include "graph/tape.hpp"

namespace mcmc::graph {
namespace {

/// A failure inside the right-hand side (thrown through the solver, caught by eval).
struct RhsFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The nodes a right-hand side's tape computes: f and the checks of its body.
std::vector<NodeId> rhs_roots(const OdeRhs& rhs) {
  std::vector<NodeId> roots{rhs.f};
  roots.insert(roots.end(), rhs.graph.checks().begin(), rhs.graph.checks().end());
  return roots;
}

/// The right-hand side's tape, shared by every solve.
struct RhsTapes {
  std::shared_ptr<const OdeRhs> rhs;
  Tape tape;
  explicit RhsTapes(std::shared_ptr<const OdeRhs> r) : rhs(std::move(r)), tape(rhs->graph, rhs_roots(*rhs)) {}
};

/// Evaluates f and its Jacobians at (t, y) for one solve (its own evaluators: one per thread).
/// The Jacobian as Stan's nested autodiff takes it: one forward sweep of the right-hand side's
/// tape, then one reverse sweep per state seeded at that state's derivative.
class RhsEval {
 public:
  RhsEval(const RhsTapes& tapes, std::span<const double> theta)
      : t_(tapes), n_(tapes.rhs->n), p_(tapes.rhs->p), fsize_(tapes.rhs->graph.size(tapes.rhs->f)),
        ev_(tapes.tape, 1), q_(tapes.tape.dim(), 0.0), seed_(fsize_, 0.0), grad_(q_.size()) {
    std::copy(theta.begin(), theta.end(), q_.begin() + 1 + n_);
  }

  /// dy = f(t, y).
  void f(double t, const double* y, double* dy) {
    const Graph& g = t_.rhs->graph;
    if (g.is_const(t_.rhs->f)) {
      auto c = g.const_values(t_.rhs->f);
      for (std::uint32_t i = 0; i < n_; ++i) dy[i] = c.size() == 1 ? c[0] : c[i];
    } else {
      forward(t, y);
      for (std::uint32_t i = 0; i < n_; ++i) dy[i] = ev_.value(t_.rhs->f, fsize_ == 1 ? 0 : i);
    }
    for (std::uint32_t i = 0; i < n_; ++i)
      if (!std::isfinite(dy[i])) throw RhsFailure("the right-hand side is not finite");
  }

  /// fy = f(t, y), jy = df/dy (n x n), jp = df/dtheta (n x p), both row-major.
  void jacobian(double t, const double* y, double* fy, double* jy, double* jp) {
    const Graph& g = t_.rhs->graph;
    if (g.is_const(t_.rhs->f)) {
      f(t, y, fy);
      std::fill(jy, jy + static_cast<std::size_t>(n_) * n_, 0.0);
      std::fill(jp, jp + static_cast<std::size_t>(n_) * p_, 0.0);
      return;
    }
    forward(t, y);
    for (std::uint32_t k = 0; k < n_; ++k) {
      fy[k] = ev_.value(t_.rhs->f, fsize_ == 1 ? 0 : k);
      if (!std::isfinite(fy[k])) throw RhsFailure("the right-hand side is not finite");
      seed_[fsize_ == 1 ? 0 : k] = 1;
      ev_.reverse_seeded(t_.rhs->f, seed_, grad_.data());
      seed_[fsize_ == 1 ? 0 : k] = 0;
      for (std::uint32_t j = 0; j < n_; ++j) jy[k * n_ + j] = grad_[1 + j];
      for (std::uint32_t j = 0; j < p_; ++j) jp[k * p_ + j] = grad_[1 + n_ + j];
    }
  }

  std::uint32_t n() const { return n_; }
  std::uint32_t p() const { return p_; }

 private:
  // The forward sweep at (t, y), with the right-hand side's checks.
  void forward(double t, const double* y) {
    q_[0] = t;
    std::copy(y, y + n_, q_.begin() + 1);
    double lp = 0;
    ev_.logp(q_.data(), &lp);
    if (std::isinf(lp) && lp < 0) throw RhsFailure("the right-hand side rejected the state");
  }

  const RhsTapes& t_;
  std::uint32_t n_, p_, fsize_;
  Evaluator ev_;
  std::vector<double> q_, seed_, grad_;
};

/// The sensitivity right-hand side: dS/dt = J_y S + [0 | J_theta], S n x s row-major, its first
/// `y0_cols` columns for the initial state.
void sensitivity_rhs(std::uint32_t n, std::uint32_t p, std::uint32_t s, std::uint32_t y0_cols, const double* jy,
                     const double* jp, const double* S, double* dS) {
  for (std::uint32_t i = 0; i < n; ++i)
    for (std::uint32_t j = 0; j < s; ++j) {
      double acc = j >= y0_cols ? jp[i * p + (j - y0_cols)] : 0.0;
      for (std::uint32_t l = 0; l < n; ++l) acc += jy[i * n + l] * S[l * s + j];
      dS[i * s + j] = acc;
    }
}

class OdeSolution final : public External {
 public:
  OdeSolution(OdeProblem pr, std::shared_ptr<const OdeRhs> rhs)
      : pr_(std::move(pr)), tapes_(std::move(rhs)), n_(tapes_.rhs->n), p_(tapes_.rhs->p) {}

  std::uint32_t output_size() const override { return static_cast<std::uint32_t>(pr_.ts.size()) * n_; }
  std::uint32_t input_size() const override { return (pr_.y0_var ? n_ : 0) + p_; }
  const char* name() const override { return pr_.name; }

  bool eval(std::span<const double> in, std::span<double> out, double* jac, std::string* error) const override {
    const std::uint32_t y0_cols = pr_.y0_var ? n_ : 0;
    const std::uint32_t s = jac ? y0_cols + p_ : 0;  // sensitivity columns
    RhsEval r(tapes_, in.subspan(y0_cols));
    std::vector<double> z(n_ + static_cast<std::size_t>(n_) * s, 0.0);
    for (std::uint32_t i = 0; i < n_; ++i) z[i] = pr_.y0_var ? in[i] : pr_.y0[i];
    for (std::uint32_t i = 0; i < y0_cols && s; ++i) z[n_ + i * s + i] = 1;
    // Each output time's coupled state lands in `out` (states) and `jac` (sensitivities).
    auto record = [&](std::size_t k, const double* y, const double* S) {
      for (std::uint32_t i = 0; i < n_; ++i) out[k * n_ + i] = y[i];
      if (s) std::copy(S, S + static_cast<std::size_t>(n_) * s, jac + k * n_ * s);
    };
    try {
      if (pr_.method == OdeMethod::Rk45)
        solve_rk45(r, z, s, y0_cols, record);
      else
        solve_cvodes(r, z, s, y0_cols, record);
      return true;
    } catch (const std::exception& ex) {
      if (error) *error = ex.what();
      return false;
    }
  }

 private:
  template <class Record>
  void solve_rk45(RhsEval& r, std::vector<double>& z, std::uint32_t s, std::uint32_t y0_cols, Record& record) const {
    namespace odeint = boost::numeric::odeint;
    using State = std::vector<double>;
    std::vector<double> fy(n_), jy(static_cast<std::size_t>(n_) * n_), jp(static_cast<std::size_t>(n_) * p_);
    auto system = [&](const State& x, State& dx, double t) {
      if (s == 0) return r.f(t, x.data(), dx.data());
      r.jacobian(t, x.data(), fy.data(), jy.data(), jp.data());
      std::copy(fy.begin(), fy.end(), dx.begin());
      sensitivity_rhs(n_, p_, s, y0_cols, jy.data(), jp.data(), x.data() + n_, dx.data() + n_);
    };
    std::vector<double> times;
    times.push_back(pr_.t0);
    times.insert(times.end(), pr_.ts.begin(), pr_.ts.end());
    std::size_t seen = 0;
    auto observer = [&](const State& x, double) {
      if (seen > 0) record(seen - 1, x.data(), x.data() + n_);
      ++seen;
    };
    // As Stan: dense-output Dormand-Prince 5(4), first step 0.1, at most max_steps steps between
    // output times.
    odeint::integrate_times(
        odeint::make_dense_output(pr_.atol, pr_.rtol, odeint::runge_kutta_dopri5<State, double, State, double>()),
        std::ref(system), z, times.begin(), times.end(), 0.1, observer,
        odeint::max_step_checker(static_cast<int>(std::min<long long>(pr_.max_steps, 2147483647))));
    if (seen != times.size()) throw std::runtime_error("the integration stopped early");
  }

  struct CvodesUser {
    RhsEval* r;
    std::uint32_t s, y0_cols;
    std::vector<double> fy, jy, jp, S, dS;
  };

  static int cv_rhs(sunrealtype t, N_Vector y, N_Vector ydot, void* u) {
    auto* d = static_cast<CvodesUser*>(u);
    try {
      d->r->f(t, NV_DATA_S(y), NV_DATA_S(ydot));
      return 0;
    } catch (const RhsFailure&) {
      return 1;  // recoverable: CVODES retries with a smaller step
    }
  }

  static int cv_jac(sunrealtype t, N_Vector y, N_Vector, SUNMatrix J, void* u, N_Vector, N_Vector, N_Vector) {
    auto* d = static_cast<CvodesUser*>(u);
    const std::uint32_t n = d->r->n();
    try {
      d->r->jacobian(t, NV_DATA_S(y), d->fy.data(), d->jy.data(), d->jp.data());
    } catch (const RhsFailure&) {
      return 1;
    }
    for (std::uint32_t i = 0; i < n; ++i)
      for (std::uint32_t j = 0; j < n; ++j) SM_ELEMENT_D(J, i, j) = d->jy[i * n + j];
    return 0;
  }

  static int cv_sens(int ns, sunrealtype t, N_Vector y, N_Vector, N_Vector* yS, N_Vector* ySdot, void* u, N_Vector,
                     N_Vector) {
    auto* d = static_cast<CvodesUser*>(u);
    const std::uint32_t n = d->r->n(), s = static_cast<std::uint32_t>(ns);
    try {
      d->r->jacobian(t, NV_DATA_S(y), d->fy.data(), d->jy.data(), d->jp.data());
    } catch (const RhsFailure&) {
      return 1;
    }
    for (std::uint32_t j = 0; j < s; ++j)
      for (std::uint32_t i = 0; i < n; ++i) d->S[i * s + j] = NV_Ith_S(yS[j], i);
    sensitivity_rhs(n, d->r->p(), s, d->y0_cols, d->jy.data(), d->jp.data(), d->S.data(), d->dS.data());
    for (std::uint32_t j = 0; j < s; ++j)
      for (std::uint32_t i = 0; i < n; ++i) NV_Ith_S(ySdot[j], i) = d->dS[i * s + j];
    return 0;
  }

  static void cv_silent(int, const char*, const char*, char*, void*) {}

  template <class Record>
  void solve_cvodes(RhsEval& r, std::vector<double>& z, std::uint32_t s, std::uint32_t y0_cols, Record& record) const {
    const auto n = static_cast<sunindextype>(n_);
    CvodesUser user{&r, s, y0_cols, std::vector<double>(n_), std::vector<double>(n_ * n_),
                    std::vector<double>(static_cast<std::size_t>(n_) * p_), std::vector<double>(n_ * s),
                    std::vector<double>(n_ * s)};
    // Everything CVODES allocates, freed however the solve ends.
    struct Memory {
      SUNContext ctx = nullptr;
      N_Vector y = nullptr;
      N_Vector* yS = nullptr;
      int ns = 0;
      void* mem = nullptr;
      SUNMatrix A = nullptr;
      SUNLinearSolver LS = nullptr;
      ~Memory() {
        if (mem) CVodeFree(&mem);
        if (LS) SUNLinSolFree(LS);
        if (A) SUNMatDestroy(A);
        if (yS) N_VDestroyVectorArray(yS, ns);
        if (y) N_VDestroy(y);
        if (ctx) SUNContext_Free(&ctx);
      }
    } m;
    auto ok = [](int flag, const char* what) {
      if (flag < 0) throw std::runtime_error(std::string("CVODES ") + what + " failed (flag " + std::to_string(flag) + ")");
    };
    ok(SUNContext_Create(nullptr, &m.ctx), "SUNContext_Create");
    m.y = N_VNew_Serial(n, m.ctx);
    std::copy(z.begin(), z.begin() + n_, NV_DATA_S(m.y));
    // As Stan: CVODES's BDF or Adams-Moulton with Newton iterations on a dense Jacobian (from
    // the graph), staggered forward sensitivities with estimated tolerances.
    m.mem = CVodeCreate(pr_.method == OdeMethod::Bdf ? CV_BDF : CV_ADAMS, m.ctx);
    if (!m.mem) throw std::runtime_error("CVodeCreate failed");
    ok(CVodeSetErrHandlerFn(m.mem, cv_silent, nullptr), "CVodeSetErrHandlerFn");
    ok(CVodeInit(m.mem, cv_rhs, pr_.t0, m.y), "CVodeInit");
    ok(CVodeSStolerances(m.mem, pr_.rtol, pr_.atol), "CVodeSStolerances");
    ok(CVodeSetUserData(m.mem, &user), "CVodeSetUserData");
    ok(CVodeSetMaxNumSteps(m.mem, static_cast<long>(pr_.max_steps)), "CVodeSetMaxNumSteps");
    m.A = SUNDenseMatrix(n, n, m.ctx);
    m.LS = SUNLinSol_Dense(m.y, m.A, m.ctx);
    ok(CVodeSetLinearSolver(m.mem, m.LS, m.A), "CVodeSetLinearSolver");
    ok(CVodeSetJacFn(m.mem, cv_jac), "CVodeSetJacFn");
    if (s > 0) {
      m.ns = static_cast<int>(s);
      m.yS = N_VCloneVectorArray(m.ns, m.y);
      for (std::uint32_t j = 0; j < s; ++j) {
        N_VConst(0.0, m.yS[j]);
        if (j < y0_cols) NV_Ith_S(m.yS[j], j) = 1.0;
      }
      ok(CVodeSensInit(m.mem, m.ns, CV_STAGGERED, cv_sens, m.yS), "CVodeSensInit");
      ok(CVodeSensEEtolerances(m.mem), "CVodeSensEEtolerances");
      // The sensitivities in the error test too (the gradient is then as accurate as the states).
      ok(CVodeSetSensErrCon(m.mem, SUNTRUE), "CVodeSetSensErrCon");
    }
    std::vector<double> S(n_ * s);
    for (std::size_t k = 0; k < pr_.ts.size(); ++k) {
      sunrealtype t = 0;
      int flag = CVode(m.mem, pr_.ts[k], m.y, &t, CV_NORMAL);
      if (flag == CV_TOO_MUCH_WORK)
        throw std::runtime_error("more than max_num_steps = " + std::to_string(pr_.max_steps) + " steps");
      ok(flag, "CVode");
      if (s > 0) {
        ok(CVodeGetSens(m.mem, &t, m.yS), "CVodeGetSens");
        for (std::uint32_t j = 0; j < s; ++j)
          for (std::uint32_t i = 0; i < n_; ++i) S[i * s + j] = NV_Ith_S(m.yS[j], i);
      }
      record(k, NV_DATA_S(m.y), S.data());
    }
  }

  OdeProblem pr_;
  RhsTapes tapes_;
  std::uint32_t n_, p_;
};

}  // namespace

std::shared_ptr<const External> make_ode_solution(OdeProblem problem, std::shared_ptr<const OdeRhs> rhs) {
  return std::make_shared<OdeSolution>(std::move(problem), std::move(rhs));
}

}  // namespace mcmc::graph

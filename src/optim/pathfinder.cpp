// Multi-path Pathfinder (Zhang, Carpenter, Gelman, Vehtari 2022): normal approximations along L-BFGS paths, PSIS across paths.
#include "optim/pathfinder.hpp"

#include <omp.h>

#include <cmath>
#include <deque>
#include <exception>
#include <limits>
#include <numbers>

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/QR>
#include <fmt/format.h>

#include "optim/psis.hpp"
#include "util/error.hpp"

namespace mcmc::optim {

namespace {

using Vec = Eigen::VectorXd;
using Mat = Eigen::MatrixXd;
constexpr double kNegInf = -std::numeric_limits<double>::infinity();

/// The normal approximation at one iterate: mean mu and a square root A of the covariance
/// (the L-BFGS inverse Hessian), as its dense Cholesky factor or its diagonal-plus-low-rank form
/// alpha^(1/2) (Q (L - I) Q' + I).
struct Approximation {
  Vec mu;
  bool dense = true;
  Mat chol;           // dense: lower Cholesky factor of the covariance; low rank: of I + R M R'
  Mat q;              // low rank: the thin Q of the QR factorization
  Vec sqrt_alpha;     // low rank
  double log_det_chol = 0;  // log |A|

  /// The draw for standard normal u, and log q there.
  double draw(const Vec& u, Vec& out) const {
    if (dense) {
      out = mu + chol * u;
    } else {
      const Vec qu = q.transpose() * u;
      out = mu + sqrt_alpha.cwiseProduct(q * (chol * qu - qu) + u);
    }
    const double n = static_cast<double>(u.size());
    return -log_det_chol - 0.5 * (u.squaredNorm() + n * std::log(2 * std::numbers::pi));
  }
};

/// The approximation at x (gradient g of the log density) from the history (S, Y: columns s_i,
/// y_i = differences of the iterates and of the objective's gradients, oldest first) and the
/// diagonal alpha. False when the covariance is not positive definite.
bool approximate(const Vec& x, const Vec& g, const Mat& S, const Mat& Y, const Vec& alpha, Approximation& a) {
  const Eigen::Index n = x.size(), m = S.cols();
  const Mat sty = S.transpose() * Y;
  Mat R = sty.triangularView<Eigen::Upper>();
  const Mat W = R.triangularView<Eigen::Upper>().solve(S.transpose());  // R^-1 S'   (m x n)
  const Mat ya = Y.transpose() * alpha.asDiagonal();                     // Y' diag(alpha)  (m x n)
  Mat E = ya * Y;                                                         // D + Y' diag(alpha) Y
  E.diagonal() += sty.diagonal();
  // The inverse Hessian (Byrd, Nocedal, Schnabel 1994) with H0 = diag(alpha):
  //   H = diag(alpha) + W' E W - W' Y' diag(alpha) - diag(alpha) Y W.
  if (2 * m >= n) {
    Mat H = W.transpose() * E * W - W.transpose() * ya - ya.transpose() * W;
    H.diagonal() += alpha;
    H = 0.5 * (H + H.transpose());
    Eigen::LLT<Mat> llt(H);
    if (llt.info() != Eigen::Success) return false;
    a.dense = true;
    a.chol = llt.matrixL();
    a.log_det_chol = a.chol.diagonal().array().log().sum();
    a.mu = x + H * g;
  } else {
    // H = diag(sqrt alpha) (I + B M B') diag(sqrt alpha), B = [sqrt(alpha) Y, W' / sqrt(alpha)],
    // M = [[0, -I], [-I, E]]; with B = Q Rq: I + B M B' = Q (I + Rq M Rq') Q' + (I - Q Q').
    const Vec sa = alpha.array().sqrt();
    Mat B(n, 2 * m);
    B.leftCols(m) = sa.asDiagonal() * Y;
    B.rightCols(m) = sa.cwiseInverse().asDiagonal() * W.transpose();
    Mat M = Mat::Zero(2 * m, 2 * m);
    M.topRightCorner(m, m) = -Mat::Identity(m, m);
    M.bottomLeftCorner(m, m) = -Mat::Identity(m, m);
    M.bottomRightCorner(m, m) = E;
    Eigen::HouseholderQR<Mat> qr(B);
    const Mat Rq = qr.matrixQR().topRows(2 * m).triangularView<Eigen::Upper>();
    Mat K = Rq * M * Rq.transpose();
    K.diagonal().array() += 1;
    K = 0.5 * (K + K.transpose());
    Eigen::LLT<Mat> llt(K);
    if (llt.info() != Eigen::Success) return false;
    a.dense = false;
    a.q = qr.householderQ() * Mat::Identity(n, 2 * m);
    a.chol = llt.matrixL();
    a.sqrt_alpha = sa;
    a.log_det_chol = a.chol.diagonal().array().log().sum() + 0.5 * alpha.array().log().sum();
    const Vec sg = sa.cwiseProduct(g);
    a.mu = x + sa.cwiseProduct(sg + B * (M * (B.transpose() * sg)));
  }
  return a.mu.allFinite() && std::isfinite(a.log_det_chol);
}

/// The diagonal update of Zhang et al. (2022), eq. 4.9 (Gilbert & Lemaréchal 1989) with the new pair (s, y).
void update_alpha(Vec& alpha, const Vec& s, const Vec& y) {
  const double yay = y.dot(alpha.cwiseProduct(y));
  const double ys = y.dot(s);
  const double sas = s.dot(s.cwiseQuotient(alpha));
  Vec next(alpha.size());
  for (Eigen::Index i = 0; i < alpha.size(); ++i) {
    const double t = s[i] / alpha[i];
    next[i] = ys / (yay / alpha[i] + y[i] * y[i] - yay / sas * t * t);
  }
  if (next.allFinite() && (next.array() > 0).all()) alpha = next;
}

double safe_lp(Density& d, const Vec& x) {
  const double lp = d.lp(std::span<const double>(x.data(), static_cast<std::size_t>(x.size())));
  return std::isnan(lp) ? kNegInf : lp;
}

struct PathDraws {
  std::vector<double> draws, lp, lq;
};

PathDraws single_path(Density& density, const InitialPoint& init, const PathfinderOptions& o, std::uint64_t seed,
                      int p, PathReport& rep) {
  sampler::Rng rng(seed, kPathStream + static_cast<std::uint64_t>(p));
  std::vector<double> x0 = init(p, rng, density);
  const Eigen::Index n = static_cast<Eigen::Index>(x0.size());
  LbfgsResult path = maximize(density.lp_grad, x0, o.lbfgs);
  rep.lbfgs_iterations = path.iterations;
  rep.gradient_evals = path.evaluations;
  rep.lbfgs_message = path.message;

  Vec alpha = Vec::Ones(n);
  std::deque<std::pair<Vec, Vec>> hist;
  Approximation best, cur;
  double best_elbo = kNegInf;
  Vec u(n), phi(n);
  for (std::size_t k = 1; k < path.path.size(); ++k) {
    const Eigen::Map<const Vec> x(path.path[k].x.data(), n), xp(path.path[k - 1].x.data(), n);
    const Eigen::Map<const Vec> g(path.path[k].grad.data(), n), gp(path.path[k - 1].grad.data(), n);
    const Vec s = x - xp, y = gp - g;  // y: the change in the gradient of -lp
    const double sy = s.dot(y);
    if (sy > 0 && y.squaredNorm() / sy <= 1e12) {
      update_alpha(alpha, s, y);
      hist.emplace_back(s, y);
      if (static_cast<int>(hist.size()) > o.lbfgs.history_size) hist.pop_front();
    }
    if (hist.empty()) continue;
    Mat S(n, static_cast<Eigen::Index>(hist.size())), Y(n, static_cast<Eigen::Index>(hist.size()));
    for (std::size_t j = 0; j < hist.size(); ++j) {
      S.col(static_cast<Eigen::Index>(j)) = hist[j].first;
      Y.col(static_cast<Eigen::Index>(j)) = hist[j].second;
    }
    if (!approximate(x, g, S, Y, alpha, cur)) continue;
    double elbo = 0;
    for (int d = 0; d < o.num_elbo_draws; ++d) {
      for (Eigen::Index i = 0; i < n; ++i) u[i] = rng.normal();
      const double lq = cur.draw(u, phi);
      elbo += safe_lp(density, phi) - lq;
      ++rep.density_evals;
    }
    elbo /= std::max(1, o.num_elbo_draws);
    if (elbo > best_elbo || (rep.best_iteration < 0 && !std::isnan(elbo))) {
      best_elbo = elbo;
      best = cur;
      rep.best_iteration = static_cast<int>(k);
    }
  }
  rep.best_elbo = best_elbo;
  PathDraws out;
  if (rep.best_iteration < 0) {
    rep.error = path.iterations == 0 ? "L-BFGS made no step (" + path.message + ")"
                                     : "no L-BFGS iterate gave a positive definite approximation";
    return out;
  }
  for (int d = 0; d < o.num_draws; ++d) {
    for (Eigen::Index i = 0; i < n; ++i) u[i] = rng.normal();
    out.lq.push_back(best.draw(u, phi));
    out.lp.push_back(safe_lp(density, phi));
    ++rep.density_evals;
    out.draws.insert(out.draws.end(), phi.data(), phi.data() + n);
  }
  return out;
}

}  // namespace

std::size_t PathfinderResult::pick(sampler::Rng& rng) const {
  double u = rng.uniform(), acc = 0;
  std::size_t last = 0;
  for (std::size_t i = 0; i < log_weights.size(); ++i) {
    if (!std::isfinite(log_weights[i])) continue;
    last = i;
    acc += std::exp(log_weights[i]);
    if (u < acc) return i;
  }
  return last;  // rounding: the sum fell short of u
}

PathfinderResult pathfinder(const DensityFactory& make_density, const InitialPoint& init,
                            const PathfinderOptions& o, std::uint64_t seed) {
  const int P = o.num_paths;
  std::vector<PathDraws> draws(static_cast<std::size_t>(P));
  PathfinderResult r;
  r.paths.resize(static_cast<std::size_t>(P));
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(P));
  const int threads = std::max(1, std::min(P, o.threads > 0 ? o.threads : omp_get_max_threads()));
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (int p = 0; p < P; ++p) {
    r.paths[p].path = p;
    try {
      Density density = make_density();
      draws[p] = single_path(density, init, o, seed, p, r.paths[p]);
    } catch (...) {
      errors[p] = std::current_exception();
    }
  }
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
  std::string why;
  for (int p = 0; p < P; ++p) {
    const PathReport& rep = r.paths[p];
    r.gradient_evals += rep.gradient_evals;
    r.density_evals += rep.density_evals;
    if (!rep.error.empty()) why += fmt::format("\n  path {}: {}", p + 1, rep.error);
    const PathDraws& d = draws[p];
    r.draws.insert(r.draws.end(), d.draws.begin(), d.draws.end());
    r.lp.insert(r.lp.end(), d.lp.begin(), d.lp.end());
    r.lq.insert(r.lq.end(), d.lq.begin(), d.lq.end());
  }
  if (!r.lp.empty()) r.dim = r.draws.size() / r.lp.size();
  std::vector<double> ratios(r.lp.size());
  bool any_finite = false;
  for (std::size_t i = 0; i < ratios.size(); ++i) {
    ratios[i] = r.lp[i] - r.lq[i];
    any_finite = any_finite || std::isfinite(ratios[i]);
  }
  if (!any_finite)
    throw Error(ExitCode::Sampling,
                fmt::format("Pathfinder: no path gave draws with a finite log density{}", why));
  PsisResult w = psis(ratios);
  r.log_weights = std::move(w.log_weights);
  r.k_hat = w.k_hat;
  return r;
}

}  // namespace mcmc::optim

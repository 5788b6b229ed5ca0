// ChEES-HMC (shared jittered trajectory, Adam on the ChEES criterion) and MEADS (fold-wise GHMC parameters).
#include "sampler/ensemble.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "sampler/metric_adaptation.hpp"
#include "sampler/stepsize_adaptation.hpp"
#include "sampler/windows.hpp"
#include "util/error.hpp"

namespace mcmc::sampler {

double halton(std::uint64_t i) {
  double f = 1, r = 0;
  while (i > 0) {
    f /= 2;
    r += f * static_cast<double>(i & 1u);
    i >>= 1;
  }
  return r;
}

double max_eigenvalue_estimate(const double* X, std::size_t n, std::size_t dim) {
  double trace = 0, off = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double* xi = X + i * dim;
    double sii = 0;
    for (std::size_t k = 0; k < dim; ++k) sii += xi[k] * xi[k];
    trace += sii;
    for (std::size_t j = i + 1; j < n; ++j) {
      const double* xj = X + j * dim;
      double sij = 0;
      for (std::size_t k = 0; k < dim; ++k) sij += xi[k] * xj[k];
      off += 2 * sij * sij;
    }
  }
  const double nn = static_cast<double>(n);
  return (off / (nn * (nn - 1))) / (trace / nn);
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// ChEES-HMC. Every chain runs HMC with the same step size, metric and number of leapfrog steps
/// ceil(h_t * T / eps), h_t the Halton sequence. During warm-up:
///  - the step size follows Nesterov dual averaging of the harmonic mean of the chains' acceptance
///    probabilities towards `delta` (0.651 by default), shrunk towards the current step size at
///    each restart (Stan shrinks towards 10x the step size, which with the gentler gain used for
///    ensembles, `gamma`, would overshoot by that factor after every metric window);
///  - log T follows Adam (ascent) on the ChEES criterion's gradient estimate, measured in
///    coordinates whitened by the current metric, each chain weighted by its acceptance
///    probability; the final T is the moving average with weights t^-decay;
///  - the diagonal metric is the variance pooled over all chains and all iterations of each of
///    Stan's windows (75 / 25 doubling / 50, or one window over 15%-90% of a short warm-up),
///    regularized as Stan does; each window end restarts dual averaging.
///  - while every chain diverges (the start, from --step-size), the step size is quartered per
///    iteration and the trajectory restarts at one step, instead of waiting for dual averaging;
///  - a chain whose transition diverged (or was almost surely rejected) uses a step size reduced
///    by a factor that shrinks 4x at each such transition and grows back 2x per transition that
///    reaches `delta`; until it is back to 1 it is left out of the statistics above. This lets
///    chains that start far out in the tails (where any shared step size diverges) walk in instead
///    of staying stuck, without pulling the shared step size down for the whole ensemble.
/// After warm-up step size, T and metric are frozen (the jitter goes on; every chain uses the
/// shared step size).
class Chees : public Ensemble {
 public:
  Chees(const SamplerSettings& s, std::size_t dim)
      : s_(s), dim_(dim), da_(s.delta, s.gamma, s.kappa, s.t0), welford_(dim),
        inv_metric_(s.inv_metric.empty() ? std::vector<double>(dim, 1.0) : s.inv_metric) {
    eps_ = s.step_size;
    // Adaptation starts from one leapfrog step; without warm-up the trajectory is steps * eps.
    T_ = s.warmup > 0 ? eps_ : s.steps * eps_;
    log_T_ = std::log(T_);
    log_T_ma_ = log_T_;
    da_.set_mu(std::log(eps_));
    da_.restart();
    if (s.warmup > 0) schedule_ = build_schedule(s.warmup, s.init_buffer, s.term_buffer, s.window, true);
  }

  void step(std::span<Chain* const> chains, int t) override {
    if (t > 0 && t - 1 < s_.warmup) learn(chains, t - 1);
    if (t == s_.warmup && s_.warmup > 0) {  // freeze
      eps_ = da_.final_stepsize();
      T_ = std::exp(log_T_ma_);
      clamp_T(true);
      metric_dirty_ = true;
    }
    h_ = halton(static_cast<std::uint64_t>(t) + 1);
    double L = std::ceil(h_ * T_ / eps_);
    if (!(L >= 1)) L = 1;
    if (L > s_.max_steps) L = s_.max_steps;
    EnsembleStep st;
    st.steps = static_cast<int>(L);
    st.adapted = t >= s_.warmup && s_.warmup > 0;
    if (factor_.size() != chains.size() || t >= s_.warmup) factor_.assign(chains.size(), 1.0);
    for (std::size_t c = 0; c < chains.size(); ++c) {
      if (chains[c]->status() != Chain::Status::Waiting) continue;
      st.step_size = eps_ * factor_[c];
      if (metric_dirty_ || t == 0) st.inv_metric = inv_metric_;
      chains[c]->set_step(st);
    }
    metric_dirty_ = false;
  }

 private:
  // During warm-up T is only capped (max_steps steps); a floor of one step at a temporarily large
  // step size would leave T far too long once the step size comes down.
  void clamp_T(bool floor) {
    const double lo = eps_, hi = s_.max_steps * eps_;
    if (floor && !(T_ >= lo)) T_ = lo;
    if (T_ > hi) T_ = hi;
    if (!(T_ > 0)) T_ = eps_;
  }

  void learn(std::span<Chain* const> chains, int it) {
    // Every chain diverged or was almost surely rejected: the shared step size is far too large
    // (the first iterations start from --step-size, 1 by default). Quarter it, restart dual
    // averaging and the trajectory length from it, and drop the per-chain reductions.
    bool any_ok = false;
    for (Chain* c : chains) {
      const EnsembleStats& st = c->ensemble_stats();
      any_ok = any_ok || (st.moved && !st.divergent && st.accept_prob >= 1e-3);
    }
    if (!any_ok) {
      eps_ /= 4;
      da_.set_mu(std::log(eps_));
      da_.restart();
      T_ = eps_;
      log_T_ = log_T_ma_ = std::log(T_);
      adam_m_ = adam_v_ = 0;
      adam_t_ = 0;
      std::fill(factor_.begin(), factor_.end(), 1.0);
      learn_metric(chains, it);
      return;
    }
    // Which chains speak for the ensemble: those that used the shared step size and did not diverge.
    used_.assign(chains.size(), 0);
    for (std::size_t c = 0; c < chains.size(); ++c) {
      const EnsembleStats& st = chains[c]->ensemble_stats();
      used_[c] = st.moved && !st.divergent && factor_[c] == 1.0;
      if (st.divergent || st.accept_prob < 1e-3) {
        factor_[c] = std::max(factor_[c] * 0.25, 1e-12);
      } else if (factor_[c] < 1 && st.accept_prob >= s_.delta) {
        factor_[c] = std::min(1.0, factor_[c] * 2);
      }
    }
    // Step size: dual averaging on the harmonic mean acceptance probability.
    double inv_sum = 0, n_ok = 0;
    for (std::size_t c = 0; c < chains.size(); ++c) {
      const EnsembleStats& st = chains[c]->ensemble_stats();
      if (!used_[c]) continue;
      inv_sum += 1.0 / st.accept_prob;  // +inf for a zero probability: harmonic mean 0
      n_ok += 1;
    }
    double hmean = n_ok > 0 ? n_ok / inv_sum : 0.0;
    if (!std::isfinite(hmean)) hmean = 0;
    const double eps_new = da_.learn(hmean);
    if (std::isfinite(eps_new) && eps_new > 0) eps_ = eps_new;

    // Trajectory length: the ChEES gradient in whitened coordinates, x / sigma, velocity sigma p.
    std::vector<double> sd(dim_), mean_init(dim_, 0.0), mean_prop(dim_, 0.0);
    for (std::size_t i = 0; i < dim_; ++i) sd[i] = std::sqrt(inv_metric_[i]);
    double n_init = 0, w_sum = 0;
    for (std::size_t c = 0; c < chains.size(); ++c) {
      const EnsembleStats& st = chains[c]->ensemble_stats();
      if (!used_[c]) continue;
      n_init += 1;
      for (std::size_t i = 0; i < dim_; ++i) mean_init[i] += st.q_init[i] / sd[i];
      if (!finite(st.q_prop)) continue;
      w_sum += st.accept_prob;
      for (std::size_t i = 0; i < dim_; ++i) mean_prop[i] += st.accept_prob * (st.q_prop[i] / sd[i]);
    }
    double grad = 0;
    if (n_init > 0 && w_sum > 0) {
      for (std::size_t i = 0; i < dim_; ++i) {
        mean_init[i] /= n_init;
        mean_prop[i] /= w_sum;
      }
      double num = 0;
      for (std::size_t c = 0; c < chains.size(); ++c) {
        const EnsembleStats& st = chains[c]->ensemble_stats();
        if (!used_[c] || !finite(st.q_prop)) continue;
        double sq_prop = 0, sq_init = 0, dot = 0;
        for (std::size_t i = 0; i < dim_; ++i) {
          const double xp = st.q_prop[i] / sd[i] - mean_prop[i];
          const double xi = st.q_init[i] / sd[i] - mean_init[i];
          sq_prop += xp * xp;
          sq_init += xi * xi;
          dot += xp * (sd[i] * st.p_prop[i]);
        }
        num += st.accept_prob * (h_ * T_ * (sq_prop - sq_init) * dot);
      }
      grad = num / w_sum;
    }
    if (std::isfinite(grad)) {
      // Adam, ascending: log T moves towards larger ChEES.
      ++adam_t_;
      adam_m_ = 0.9 * adam_m_ + 0.1 * grad;
      adam_v_ = 0.999 * adam_v_ + 0.001 * grad * grad;
      const double mhat = adam_m_ / (1 - std::pow(0.9, adam_t_));
      const double vhat = adam_v_ / (1 - std::pow(0.999, adam_t_));
      double update = s_.chees_learning_rate * mhat / (std::sqrt(vhat) + 1e-8);
      update = std::clamp(update, -0.35, 0.35);
      if (std::isfinite(update)) log_T_ += update;
    }
    T_ = std::exp(log_T_);
    clamp_T(false);
    log_T_ = std::log(T_);
    const double w = std::pow(static_cast<double>(it + 1), -s_.chees_decay);
    log_T_ma_ = (1 - w) * log_T_ma_ + w * log_T_;

    learn_metric(chains, it);
  }

  // Metric: pooled variance over the chains within Stan's windows.
  void learn_metric(std::span<Chain* const> chains, int it) {
    if (schedule_.collects(it))
      for (std::size_t c = 0; c < chains.size(); ++c) {
        if (factor_[c] < 1) continue;  // still walking in from the tails
        auto q = chains[c]->position();
        pos_.assign(q.begin(), q.end());
        welford_.add_sample(pos_);
      }
    if (schedule_.ends_window(it)) {
      std::vector<double> var = inv_metric_;
      if (welford_.regularized_variance(var)) {
        // The trajectory length is measured in time units: keep T, rescale nothing.
        inv_metric_ = var;
        metric_dirty_ = true;
      }
      welford_.restart();
      da_.set_mu(std::log(eps_));
      da_.restart();
    }
  }

  static bool finite(const std::vector<double>& v) {
    for (double x : v)
      if (!std::isfinite(x)) return false;
    return true;
  }

  SamplerSettings s_;
  std::size_t dim_;
  DualAveraging da_;
  WelfordVariance welford_;
  WindowSchedule schedule_;
  std::vector<double> inv_metric_, pos_;
  std::vector<double> factor_;  // per-chain step-size reduction during warm-up (1: none)
  std::vector<char> used_;      // chains whose last transition enters the statistics
  bool metric_dirty_ = true;
  double eps_ = 1, T_ = 1, log_T_ = 0, log_T_ma_ = 0, h_ = kNaN;
  double adam_m_ = 0, adam_v_ = 0;
  int adam_t_ = 0;
};

/// MEADS. Chains are split into K folds (chain c in fold c % K). At iteration t fold t % K stays
/// put and every other fold k takes one generalized-HMC step whose parameters come from the
/// current state of fold k - 1 (mod K): the metric from its per-coordinate variance, the step
/// size 0.5 / sqrt(lambda_max) of its gradients' scaled second moment (at most 1), the damping
/// gamma = max(1 / sqrt(lambda_max) of its standardized positions, 1 / ((t + 1) eps)), momentum
/// refresh alpha = 1 - exp(-2 eps gamma) and slice drift alpha / 2. Because a fold's parameters
/// depend only on another fold's state and one fold is held each iteration, every iteration is a
/// valid MCMC update of the ensemble, so adaptation never stops (there is nothing to freeze).
///
/// Two guards against chains that start far out in the tails (Stan-style initial values), where
/// gradients are orders of magnitude larger than in the typical set and would make every fold's
/// step size vanish: (1) a fold's statistics use its chains whose log density is within
/// 10 + 2 dim of the fold's best (at least two chains) — still a function of that fold's state
/// only; (2) during the first half of warm-up each chain multiplies its fold's step size by a
/// factor of its own: 4x smaller after a divergent or almost surely rejected transition, 0.7x
/// after an acceptance probability under 0.3, 2x larger after one of 0.9 or more. That makes the
/// walk in from the tails a per-chain adaptive Langevin walk instead of a crawl at the step size
/// of the typical set. From the second half of warm-up on, every chain uses its fold's step size.
/// The largest-eigenvalue estimates use at most 128 chains of a fold.
class Meads : public Ensemble {
 public:
  Meads(const SamplerSettings& s, int num_chains, std::size_t dim) : s_(s), K_(s.folds), dim_(dim) {
    if (K_ < 2) throw Error(ExitCode::Usage, "--folds must be at least 2 for --algorithm meads");
    if (num_chains < 2 * K_)
      throw Error(ExitCode::Usage,
                  "--algorithm meads needs at least " + std::to_string(2 * K_) + " chains (" +
                      std::to_string(K_) + " folds of at least 2 chains; each fold's settings are "
                      "estimated from another fold); got --chains " + std::to_string(num_chains));
  }

  void step(std::span<Chain* const> chains, int t) override {
    const int C = static_cast<int>(chains.size());
    const bool warm = t < s_.warmup;
    const bool walk_in = t < s_.warmup / 2;
    if (factor_.size() != chains.size() || !walk_in) factor_.assign(chains.size(), 1.0);
    if (walk_in && t > 0)
      for (int c = 0; c < C; ++c) {
        const EnsembleStats& st = chains[c]->ensemble_stats();
        if (!st.moved) continue;
        if (st.divergent || st.accept_prob < 1e-3)
          factor_[c] = std::max(factor_[c] * 0.25, 1e-12);
        else if (st.accept_prob < 0.3)
          factor_[c] = std::max(factor_[c] * 0.7, 1e-12);
        else if (st.accept_prob >= 0.9)
          factor_[c] = std::min(factor_[c] * 2, 1e8);
      }
    std::vector<EnsembleStep> steps(static_cast<std::size_t>(K_));
    for (int f = 0; f < K_; ++f) steps[f] = params_from_fold(chains, (f + K_ - 1) % K_, t, C);
    const int held = t % K_;
    for (int c = 0; c < C; ++c) {
      if (chains[c]->status() != Chain::Status::Waiting) continue;
      EnsembleStep st = steps[c % K_];
      st.step_size *= factor_[c];
      st.skip = (c % K_) == held;
      st.adapted = !warm;
      chains[c]->set_step(st);
    }
  }

 private:
  EnsembleStep params_from_fold(std::span<Chain* const> chains, int fold, int t, int C) {
    // The fold's chains near its best log density (at least two).
    members_.clear();
    double best = -std::numeric_limits<double>::infinity();
    for (int c = fold; c < C; c += K_) best = std::max(best, chains[c]->log_density());
    const double cut = best - (10.0 + 2.0 * static_cast<double>(dim_));
    for (int c = fold; c < C; c += K_)
      if (chains[c]->log_density() >= cut) members_.push_back(c);
    if (members_.size() < 2) {
      members_.clear();
      for (int c = fold; c < C; c += K_) members_.push_back(c);
      std::stable_sort(members_.begin(), members_.end(), [&](int a, int b) {
        return chains[a]->log_density() > chains[b]->log_density();
      });
      members_.resize(2);
    }
    std::vector<double> mean(dim_, 0.0), m2(dim_, 0.0);
    double n = 0;
    for (int c : members_) {  // Welford
      auto q = chains[c]->position();
      n += 1;
      for (std::size_t i = 0; i < dim_; ++i) {
        const double d = q[i] - mean[i];
        mean[i] += d / n;
        m2[i] += d * (q[i] - mean[i]);
      }
    }
    std::vector<double> sd(dim_);
    for (std::size_t i = 0; i < dim_; ++i) {
      sd[i] = std::sqrt(m2[i] / n);
      if (!(sd[i] > 0) || !std::isfinite(sd[i])) sd[i] = 1;
    }
    const std::size_t rows = std::min<std::size_t>(members_.size(), 128);
    gs_.clear();
    zs_.clear();
    for (std::size_t r = 0; r < rows; ++r) {
      auto q = chains[members_[r]]->position();
      auto g = chains[members_[r]]->gradient();
      for (std::size_t i = 0; i < dim_; ++i) {
        gs_.push_back(g[i] * sd[i]);
        zs_.push_back((q[i] - mean[i]) / sd[i]);
      }
    }
    EnsembleStep st;
    double lam_g = dim_ > 0 ? max_eigenvalue_estimate(gs_.data(), rows, dim_) : 1.0;
    double eps = 0.5 / std::sqrt(lam_g);
    if (!(eps > 0) || !std::isfinite(eps)) eps = 1;
    eps = std::min(eps, 1.0);
    double lam_z = dim_ > 0 ? max_eigenvalue_estimate(zs_.data(), rows, dim_) : 1.0;
    double gamma = 1.0 / std::sqrt(lam_z);
    if (!std::isfinite(gamma)) gamma = 0;
    gamma = std::max(gamma, 1.0 / ((t + 1) * eps));
    st.step_size = eps;
    st.alpha = 1 - std::exp(-2 * eps * gamma);
    st.delta = st.alpha / 2;
    st.inv_metric.resize(dim_);
    for (std::size_t i = 0; i < dim_; ++i) st.inv_metric[i] = sd[i] * sd[i];
    st.steps = 1;
    return st;
  }

  SamplerSettings s_;
  int K_;
  std::size_t dim_;
  std::vector<double> factor_;  // per-chain step-size reduction during warm-up (1: none)
  std::vector<int> members_;
  std::vector<double> gs_, zs_;
};

}  // namespace

std::unique_ptr<Ensemble> Ensemble::make(const SamplerSettings& s, int num_chains, std::size_t dim) {
  if (s.algorithm == Algorithm::Chees) return std::make_unique<Chees>(s, dim);
  if (s.algorithm == Algorithm::Meads) return std::make_unique<Meads>(s, num_chains, dim);
  throw Error(ExitCode::Usage, "internal: not an ensemble algorithm");
}

}  // namespace mcmc::sampler

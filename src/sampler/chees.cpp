// ChEES-HMC: a shared jittered trajectory length tuned by Adam on the ChEES criterion, pooled step size and metric.
#include "sampler/chees.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "sampler/metric_adaptation.hpp"
#include "sampler/stepsize_adaptation.hpp"
#include "sampler/stragglers.hpp"
#include "sampler/windows.hpp"

namespace mcmc::sampler {

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
///    probability (Adam's betas 0.9 and 0.95); the final T is the moving average of log T with
///    weights t^-decay, t counted from the last metric window;
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
      : s_(s), dim_(dim), da_(s.delta, s.gamma, s.kappa, s.t0), welford_(dim), guard_(s.warmup, dim),
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

  // Learning from iteration t - 1 runs in three phases over the statistics blocks: (0) per-chain
  // step-size factors, the harmonic-mean and whitened-mean sums; (1) the ChEES gradient's sum,
  // which needs the means; (2) the metric's pooled variance. Each block's partial results are
  // reduced in block order.
  void prepare(std::span<Chain* const> chains, int t) override {
    t_ = t;
    const std::size_t C = chains.size();
    // Stragglers: chains far below the ensemble's log density stay out of every statistic, and
    // those stuck there since the last check point restart from a donor (with its step factor).
    if (t > 0 && t <= s_.warmup) {
      guard_.update(chains);
      if (guard_.checks(t)) {
        const std::vector<int>& donor = guard_.restart(chains, t);
        for (std::size_t c = 0; c < C && factor_.size() == C; ++c)
          if (donor[c] >= 0) factor_[c] = factor_[static_cast<std::size_t>(donor[c])];
      }
      if (t == s_.warmup) report_.stuck = guard_.below_list();
      report_.restarts = guard_.restarts();
    }
    if (!(t > 0 && t - 1 < s_.warmup)) {
      phases_ = 0;
      finish(C);
      return;
    }
    it_ = t - 1;
    const std::size_t nb = stat_blocks(C);
    used_.assign(C, 0);
    factor_next_.resize(C);
    part_.assign(nb, Partial{});
    part_init_.assign(nb * dim_, 0.0);
    part_prop_.assign(nb * dim_, 0.0);
    // Whitening multiplies by 1 / sd (one division per coordinate here, not per chain).
    sd_.resize(dim_);
    inv_sd_.resize(dim_);
    for (std::size_t i = 0; i < dim_; ++i) {
      sd_[i] = std::sqrt(inv_metric_[i]);
      inv_sd_[i] = 1 / sd_[i];
    }
    collect_ = schedule_.collects(it_);
    if (collect_) {
      if (block_welford_.size() != nb) block_welford_.assign(nb, WelfordVariance(dim_));
      for (WelfordVariance& w : block_welford_) w.restart();
    }
    phases_ = 3;
  }

  int phases() const override { return phases_; }
  StragglerReport stragglers() const override { return report_; }

  // Between two iterations: everything prepare() and the phases read that an earlier iteration
  // wrote (the per-iteration sums are rebuilt by each prepare()).
  void save(StateWriter& w) const override {
    w.tag("chees");
    da_.save(w);
    welford_.save(w);
    guard_.save(w);
    w.i64(report_.restarts);
    w.ivec(report_.stuck);
    w.vec(inv_metric_);
    w.vec(factor_);
    w.flag(metric_dirty_);
    for (double v : {eps_, T_, log_T_, log_T_ma_, h_, adam_m_, adam_v_}) w.f64(v);
    w.i64(adam_t_);
    w.i64(ma_count_);
    w.i64(t_);
  }
  void restore(StateReader& r) override {
    r.tag("chees");
    da_.restore(r);
    welford_.restore(r);
    guard_.restore(r);
    report_.restarts = r.i64();
    report_.stuck = r.ivec();
    inv_metric_ = r.vec(dim_);
    factor_ = r.vec();
    metric_dirty_ = r.flag();
    for (double* v : {&eps_, &T_, &log_T_, &log_T_ma_, &h_, &adam_m_, &adam_v_}) *v = r.f64();
    adam_t_ = static_cast<int>(r.i64());
    ma_count_ = static_cast<int>(r.i64());
    t_ = static_cast<int>(r.i64());
  }

  void gather(int phase, std::span<Chain* const> chains, std::size_t j) override {
    const std::size_t lo = j * kStatBlock, hi = std::min(chains.size(), lo + kStatBlock);
    Partial& P = part_[j];
    if (phase == 0) {
      double* mi = part_init_.data() + j * dim_;
      double* mp = part_prop_.data() + j * dim_;
      const std::vector<char>& below = guard_.below();
      for (std::size_t c = lo; c < hi; ++c) {
        const EnsembleStats& st = chains[c]->ensemble_stats();
        if (!st.moved) {  // just restarted: nothing to learn from its last transition
          factor_next_[c] = factor_[c];
          continue;
        }
        const bool straggler = c < below.size() && below[c];
        P.any_ok = P.any_ok || (!straggler && !st.divergent && st.accept_prob >= 1e-3);
        // Which chains speak for the ensemble: those that used the shared step size, did not
        // diverge and are not stragglers.
        used_[c] = !st.divergent && factor_[c] == 1.0 && !straggler;
        double f = factor_[c];
        if (st.divergent || st.accept_prob < 1e-3) {
          f = std::max(f * 0.25, 1e-12);
        } else if (f < 1 && st.accept_prob >= s_.delta) {
          f = std::min(1.0, f * 2);
        }
        factor_next_[c] = f;
        if (!used_[c]) continue;
        P.inv_sum += 1.0 / st.accept_prob;  // +inf for a zero probability: harmonic mean 0
        P.n_ok += 1;
        for (std::size_t i = 0; i < dim_; ++i) mi[i] += st.q_init[i] * inv_sd_[i];
        if (!finite(st.q_prop)) continue;
        P.w_sum += st.accept_prob;
        for (std::size_t i = 0; i < dim_; ++i) mp[i] += st.accept_prob * (st.q_prop[i] * inv_sd_[i]);
      }
    } else if (phase == 1) {
      if (reset_ || !(n_ok_ > 0 && w_sum_ > 0)) return;
      for (std::size_t c = lo; c < hi; ++c) {
        const EnsembleStats& st = chains[c]->ensemble_stats();
        if (!used_[c] || !finite(st.q_prop)) continue;
        double sq_prop = 0, sq_init = 0, dot = 0;
        for (std::size_t i = 0; i < dim_; ++i) {
          const double xp = st.q_prop[i] * inv_sd_[i] - mean_prop_[i];
          const double xi = st.q_init[i] * inv_sd_[i] - mean_init_[i];
          sq_prop += xp * xp;
          sq_init += xi * xi;
          dot += xp * (sd_[i] * st.p_prop[i]);
        }
        P.num += st.accept_prob * (h_ * T_ * (sq_prop - sq_init) * dot);
      }
    } else if (collect_) {  // the pooled metric: chains still walking in from the tails stay out
      const std::vector<char>& below = guard_.below();
      for (std::size_t c = lo; c < hi; ++c)
        if (factor_[c] >= 1 && !(c < below.size() && below[c])) block_welford_[j].add_sample(chains[c]->position());
    }
  }

  void combine(int phase, std::span<Chain* const> chains) override {
    if (phase == 0) {
      bool any_ok = false;
      double inv_sum = 0;
      n_ok_ = w_sum_ = 0;
      mean_init_.assign(dim_, 0.0);
      mean_prop_.assign(dim_, 0.0);
      for (std::size_t j = 0; j < part_.size(); ++j) {
        any_ok = any_ok || part_[j].any_ok;
        inv_sum += part_[j].inv_sum;
        n_ok_ += part_[j].n_ok;
        w_sum_ += part_[j].w_sum;
        for (std::size_t i = 0; i < dim_; ++i) {
          mean_init_[i] += part_init_[j * dim_ + i];
          mean_prop_[i] += part_prop_[j * dim_ + i];
        }
      }
      reset_ = !any_ok;
      if (reset_) {
        // Every chain diverged or was almost surely rejected: the shared step size is far too
        // large (the first iterations start from --step-size, 1 by default). Quarter it, restart
        // dual averaging and the trajectory length from it, and drop the per-chain reductions.
        eps_ /= 4;
        da_.set_mu(std::log(eps_));
        da_.restart();
        T_ = eps_;
        log_T_ = log_T_ma_ = std::log(T_);
        ma_count_ = 0;
        adam_m_ = adam_v_ = 0;
        adam_t_ = 0;
        std::fill(factor_.begin(), factor_.end(), 1.0);
        return;
      }
      factor_.swap(factor_next_);
      // Step size: dual averaging on the harmonic mean acceptance probability.
      double hmean = n_ok_ > 0 ? n_ok_ / inv_sum : 0.0;
      if (!std::isfinite(hmean)) hmean = 0;
      const double eps_new = da_.learn(hmean);
      if (std::isfinite(eps_new) && eps_new > 0) eps_ = eps_new;
      if (n_ok_ > 0 && w_sum_ > 0)
        for (std::size_t i = 0; i < dim_; ++i) {
          mean_init_[i] /= n_ok_;
          mean_prop_[i] /= w_sum_;
        }
    } else if (phase == 1) {
      if (reset_) return;
      // Trajectory length: the ChEES gradient in whitened coordinates, x / sigma, velocity sigma p.
      double grad = 0;
      if (n_ok_ > 0 && w_sum_ > 0) {
        double num = 0;
        for (const Partial& P : part_) num += P.num;
        grad = num / w_sum_;
      }
      if (std::isfinite(grad)) {
        // Adam, ascending: log T moves towards larger ChEES.
        ++adam_t_;
        // beta2 = 0.95, not Adam's 0.999: the ChEES gradient of the first iterations, while
        // chains walk in from their initial values, is orders of magnitude larger than later on,
        // and a 1000-iteration memory of it would freeze T for the rest of a short warm-up.
        adam_m_ = 0.9 * adam_m_ + 0.1 * grad;
        adam_v_ = 0.95 * adam_v_ + 0.05 * grad * grad;
        const double mhat = adam_m_ / (1 - std::pow(0.9, adam_t_));
        const double vhat = adam_v_ / (1 - std::pow(0.95, adam_t_));
        double update = s_.chees_learning_rate * mhat / (std::sqrt(vhat) + 1e-8);
        update = std::clamp(update, -0.35, 0.35);
        if (std::isfinite(update)) log_T_ += update;
      }
      T_ = std::exp(log_T_);
      clamp_T(false);
      log_T_ = std::log(T_);
      // The moving average restarts with each metric window (as dual averaging does), so the
      // final T averages the last window's iterates rather than the whole warm-up's history.
      const double w = std::pow(static_cast<double>(++ma_count_), -s_.chees_decay);
      log_T_ma_ = (1 - w) * log_T_ma_ + w * log_T_;
    } else {
      // Metric: the variance pooled over the chains within Stan's windows.
      if (collect_)
        for (const WelfordVariance& b : block_welford_) welford_.merge(b);
      if (schedule_.ends_window(it_)) {
        std::vector<double> var = inv_metric_;
        if (welford_.regularized_variance(var)) {
          // The trajectory length is measured in time units: keep T, rescale nothing.
          inv_metric_ = var;
          metric_dirty_ = true;
        }
        welford_.restart();
        da_.set_mu(std::log(eps_));
        da_.restart();
        ma_count_ = 0;
      }
      finish(chains.size());
    }
  }

  void apply(Chain& chain, int c) const override {
    if (chain.status() != Chain::Status::Waiting) return;
    EnsembleStep st = step_;
    st.step_size = eps_ * factor_[static_cast<std::size_t>(c)];
    chain.set_step(st);
  }

 private:
  // Per statistics block: phase 0's and phase 1's sums.
  struct Partial {
    bool any_ok = false;
    double inv_sum = 0, n_ok = 0, w_sum = 0, num = 0;
  };

  // The settings of iteration t_, once learning (if any) is done.
  void finish(std::size_t C) {
    const int t = t_;
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
    step_ = EnsembleStep{};
    step_.steps = static_cast<int>(L);
    step_.adapted = t >= s_.warmup && s_.warmup > 0;
    if (metric_dirty_ || t == 0) step_.inv_metric = inv_metric_;
    metric_dirty_ = false;
    if (factor_.size() != C || t >= s_.warmup) factor_.assign(C, 1.0);
  }

  // During warm-up T is only capped (max_steps steps); a floor of one step at a temporarily large
  // step size would leave T far too long once the step size comes down.
  void clamp_T(bool floor) {
    const double lo = eps_, hi = s_.max_steps * eps_;
    if (floor && !(T_ >= lo)) T_ = lo;
    if (T_ > hi) T_ = hi;
    if (!(T_ > 0)) T_ = eps_;
  }

  static bool finite(std::span<const double> v) {
    for (double x : v)
      if (!std::isfinite(x)) return false;
    return true;
  }

  SamplerSettings s_;
  std::size_t dim_;
  DualAveraging da_;
  WelfordVariance welford_;
  WindowSchedule schedule_;
  Stragglers guard_;
  StragglerReport report_;
  std::vector<double> inv_metric_;
  std::vector<double> factor_;  // per-chain step-size reduction during warm-up (1: none)
  std::vector<double> factor_next_;
  std::vector<char> used_;      // chains whose last transition enters the statistics
  EnsembleStep step_;           // this iteration's settings (step size before factor_)
  // The iteration being prepared and its learning phases.
  int t_ = 0, it_ = 0, phases_ = 0;
  bool reset_ = false, collect_ = false;
  std::vector<Partial> part_;
  std::vector<double> part_init_, part_prop_;  // per block: sums of whitened starts / proposals
  std::vector<WelfordVariance> block_welford_;
  std::vector<double> sd_, inv_sd_, mean_init_, mean_prop_;
  double n_ok_ = 0, w_sum_ = 0;
  bool metric_dirty_ = true;
  double eps_ = 1, T_ = 1, log_T_ = 0, log_T_ma_ = 0, h_ = kNaN;
  double adam_m_ = 0, adam_v_ = 0;
  int adam_t_ = 0;
  int ma_count_ = 0;  // iterations in the moving average of log T since its last restart
};

}  // namespace

std::unique_ptr<Ensemble> make_chees(const SamplerSettings& s, std::size_t dim) {
  return std::make_unique<Chees>(s, dim);
}

}  // namespace mcmc::sampler

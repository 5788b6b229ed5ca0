// MEADS: fold-wise generalized-HMC parameters, each fold's set from another fold's current state.
#include "sampler/meads.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "sampler/stragglers.hpp"
#include "util/error.hpp"

namespace mcmc::sampler {

namespace {

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
  Meads(const SamplerSettings& s, int num_chains, std::size_t dim)
      : s_(s), K_(s.folds), dim_(dim), guard_(s.warmup, dim) {
    if (K_ < 2) throw Error(ExitCode::Usage, "--folds must be at least 2 for --algorithm meads");
    if (num_chains < 2 * K_)
      throw Error(ExitCode::Usage,
                  "--algorithm meads needs at least " + std::to_string(2 * K_) + " chains (" +
                      std::to_string(K_) + " folds of at least 2 chains; each fold's settings are "
                      "estimated from another fold); got --chains " + std::to_string(num_chains));
  }

  void prepare(std::span<Chain* const> chains, int t) override {
    const int C = static_cast<int>(chains.size());
    const bool walk_in = t < s_.warmup / 2;
    if (factor_.size() != chains.size() || !walk_in) factor_.assign(chains.size(), 1.0);
    // Stragglers: chains stuck far below the ensemble's log density since the last check point
    // restart from a donor's state (and step factor) before the folds' statistics are taken.
    if (t > 0 && t <= s_.warmup) {
      guard_.update(chains);
      if (t < s_.warmup && guard_.checks(t)) {
        const std::vector<int>& donor = guard_.restart(chains, t);
        for (int c = 0; c < C; ++c)
          if (donor[c] >= 0) factor_[c] = factor_[donor[c]];
      }
      if (t == s_.warmup) report_.stuck = guard_.below_list();
      report_.restarts = guard_.restarts();
    }
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
    steps_.resize(static_cast<std::size_t>(K_));
    metrics_.resize(static_cast<std::size_t>(K_));
    for (int f = 0; f < K_; ++f) {
      steps_[f] = params_from_fold(chains, (f + K_ - 1) % K_, t, C, metrics_[f]);
      steps_[f].adapted = t >= s_.warmup;
    }
    held_ = t % K_;
  }

  StragglerReport stragglers() const override { return report_; }

  // Between two iterations: the straggler guard and the per-chain step factors (the folds'
  // settings are rebuilt by each prepare()).
  void save(StateWriter& w) const override {
    w.tag("meads");
    guard_.save(w);
    w.i64(report_.restarts);
    w.ivec(report_.stuck);
    w.vec(factor_);
  }
  void restore(StateReader& r) override {
    r.tag("meads");
    guard_.restore(r);
    report_.restarts = r.i64();
    report_.stuck = r.ivec();
    factor_ = r.vec();
  }

  void apply(Chain& chain, int c) const override {
    if (chain.status() != Chain::Status::Waiting) return;
    EnsembleStep st = steps_[static_cast<std::size_t>(c % K_)];
    st.step_size *= factor_[static_cast<std::size_t>(c)];
    st.skip = (c % K_) == held_;
    chain.set_step(st);
  }

 private:
  // The settings fold `fold` gives; `metric` receives the inverse metric (st.inv_metric views it).
  EnsembleStep params_from_fold(std::span<Chain* const> chains, int fold, int t, int C,
                                std::vector<double>& metric) {
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
    metric.resize(dim_);
    for (std::size_t i = 0; i < dim_; ++i) metric[i] = sd[i] * sd[i];
    st.inv_metric = metric;
    st.steps = 1;
    return st;
  }

  SamplerSettings s_;
  int K_;
  std::size_t dim_;
  Stragglers guard_;
  StragglerReport report_;
  std::vector<double> factor_;  // per-chain step-size reduction during warm-up (1: none)
  std::vector<int> members_;
  std::vector<double> gs_, zs_;
  std::vector<EnsembleStep> steps_;           // this iteration's settings of each fold
  std::vector<std::vector<double>> metrics_;  // their inverse metrics
  int held_ = 0;                              // the fold that stays put this iteration
};

}  // namespace

std::unique_ptr<Ensemble> make_meads(const SamplerSettings& s, int num_chains, std::size_t dim) {
  return std::make_unique<Meads>(s, num_chains, dim);
}

}  // namespace mcmc::sampler

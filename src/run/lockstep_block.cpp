// A lockstep block of chains as arrays: gather the chains in plain leapfrog steps, step them together, hand them back.
#include "run/lockstep_block.hpp"

#include <algorithm>
#include <limits>

#include "sampler/block_leapfrog.hpp"

namespace mcmc::run {

using sampler::Chain;

graph::Evaluator& LockstepBlock::evaluator(std::size_t n) {
  auto it = evals_.find(n);
  if (it == evals_.end()) {
    if (evals_.size() >= 8) evals_.erase(evals_.begin());  // a few sizes at most
    it = evals_.emplace(n, std::make_unique<graph::Evaluator>(*tape_, n)).first;
  }
  return *it->second;
}

// Lane k leaves the block: its chain gets back position, momentum and gradient as the arrays
// hold them, with the `steps` plain steps it took (last_lp_: the log density of the last); with
// `provide`, also the gradient just evaluated (which ends its plain steps). The lane is then parked at the chain's (finite) position with a
// zero step, so the evaluations it still takes part in are harmless.
void LockstepBlock::leave(std::size_t k, int steps, bool provide) {
  Chain& ch = *lanes_[k];
  Chain::Leapfrog lf = ch.leapfrog();
  for (std::size_t i = 0; i < dim_; ++i) {
    lf.q[i] = q_[i * ld_ + k];
    lf.p[i] = p_[i * ld_ + k];
    g_one_[i] = grad_[i * ld_ + k];
  }
  ch.plain_steps_done(steps, last_lp_[k]);
  if (provide) {
    std::copy(g_one_.begin(), g_one_.end(), lf.grad.begin());
    ch.provide(lp_[k], g_one_);
  } else {
    std::copy(g_one_.begin(), g_one_.end(), lf.grad.begin());
  }
  active_[k] = 0;
  auto pos = ch.status() == Chain::Status::NeedGradient ? ch.query() : ch.position();
  for (std::size_t i = 0; i < dim_; ++i) {
    q_[i * ld_ + k] = pos[i];
    p_[i * ld_ + k] = 0;
  }
  eps_[k] = half_[k] = 0;
}

bool LockstepBlock::advance(std::span<Chain* const> chains, std::int64_t& paid, std::int64_t& useful) {
  lanes_.clear();
  for (Chain* ch : chains)
    if (ch->status() == Chain::Status::NeedGradient && ch->plain_steps() > 0) lanes_.push_back(ch);
  if (lanes_.size() < 2) return false;
  dim_ = tape_->dim();
  n_ = lanes_.size();
  ld_ = (n_ + 7) / 8 * 8;  // rows start 64-byte apart
  const std::size_t cells = dim_ * ld_;
  for (auto* v : {&q_, &p_, &grad_, &inv_metric_}) v->assign(cells, 0.0);
  for (auto* v : {&eps_, &half_, &lp_, &last_lp_, &scratch_}) v->assign(ld_, 0.0);
  left_.assign(n_, 0);
  bad_.assign(ld_, 0);
  active_.assign(n_, 1);
  g_one_.resize(dim_);
  for (std::size_t k = 0; k < n_; ++k) {
    Chain& ch = *lanes_[k];
    const Chain::Leapfrog lf = ch.leapfrog();
    for (std::size_t i = 0; i < dim_; ++i) {
      q_[i * ld_ + k] = lf.q[i];
      p_[i * ld_ + k] = lf.p[i];
      inv_metric_[i * ld_ + k] = lf.inv_metric[i];
    }
    eps_[k] = lf.eps;
    half_[k] = 0.5 * lf.eps;  // as Hamiltonian's leapfrog
    left_[k] = ch.plain_steps();
  }
  graph::Evaluator& ev = evaluator(n_);
  // Every lane in the block has taken `step` plain steps; lane k leaves at the gradient that
  // finds left_[k] == step (its last plain step done) or that is not finite.
  int step = 0;
  int next_exit = *std::min_element(left_.begin(), left_.end());
  std::size_t active = n_;
  while (true) {
    ev.logp_grad_soa(q_.data(), ld_, lp_.data(), grad_.data());
    paid += static_cast<std::int64_t>(n_);
    useful += static_cast<std::int64_t>(active);
    const bool any_bad =
        sampler::block_nonfinite(dim_, n_, ld_, lp_.data(), grad_.data(), scratch_.data(), bad_.data());
    if (any_bad || step == next_exit) {  // the chain's own state machine takes these gradients
      next_exit = std::numeric_limits<int>::max();
      for (std::size_t k = 0; k < n_; ++k) {
        if (!active_[k]) continue;
        if (bad_[k] || left_[k] == step) {
          leave(k, step, true);
          --active;
        } else {
          next_exit = std::min(next_exit, left_[k]);
        }
      }
      if (active == 0) break;
    }
    sampler::block_leapfrog(dim_, n_, ld_, q_.data(), p_.data(), grad_.data(), inv_metric_.data(), eps_.data(),
                            half_.data());
    std::swap(lp_, last_lp_);
    ++step;
    if (2 * active < n_) {  // most lanes have left: the rest go on outside the block
      for (std::size_t k = 0; k < n_; ++k)
        if (active_[k]) leave(k, step, false);
      break;
    }
  }
  return true;
}

}  // namespace mcmc::run

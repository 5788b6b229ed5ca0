// A lockstep block of chains as arrays: the plain leapfrog steps of static HMC and ChEES in vmap mode.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <vector>

#include "graph/tape.hpp"
#include "sampler/chain.hpp"

namespace mcmc::run {

/// Keeps a block of chains' positions, momenta, gradients, inverse metrics and step sizes as
/// arrays with the chain index innermost ([i * ld + k]); the batched evaluation reads the
/// positions and writes the gradients there in place (graph::Evaluator::logp_grad_soa), and
/// the leapfrog updates run across the block (sampler/block_leapfrog.hpp). Only the plain
/// leapfrog steps are done so (Chain::plain_steps); the chain's own state machine still starts
/// every transition, makes every Metropolis decision and handles every non-finite gradient, so
/// every chain's arithmetic and random numbers are the ones it has when run alone.
class LockstepBlock {
 public:
  explicit LockstepBlock(const graph::Tape& tape) : tape_(&tape) {}

  /// The chains among `chains` that are in plain leapfrog steps take them together, one batched
  /// evaluation per step; each leaves the block at the gradient that ends its plain steps or
  /// is not finite, which it gets through Chain::provide (so it may reach its draw). The block
  /// stops when fewer than half of its chains are left (they keep their pending step). `paid`
  /// and `useful` count the gradients evaluated and those a chain used. Returns false (and does
  /// nothing) when fewer than two chains are in plain steps.
  bool advance(std::span<sampler::Chain* const> chains, std::int64_t& paid, std::int64_t& useful);

 private:
  graph::Evaluator& evaluator(std::size_t n);
  void leave(std::size_t k, int steps, bool provide);

  const graph::Tape* tape_;
  std::map<std::size_t, std::unique_ptr<graph::Evaluator>> evals_;
  std::size_t dim_ = 0, n_ = 0, ld_ = 0;
  std::vector<sampler::Chain*> lanes_;
  std::vector<int> left_;  // plain steps of each lane when it entered
  std::vector<double> q_, p_, grad_, inv_metric_, eps_, half_, lp_, last_lp_, scratch_, g_one_;
  std::vector<unsigned char> bad_, active_;
};

}  // namespace mcmc::run

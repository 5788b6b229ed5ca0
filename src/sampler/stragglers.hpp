// Stragglers of an ensemble: chains whose log density stays far below the ensemble's bulk during warm-up, restarted from other chains.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sampler/chain.hpp"
#include "util/state_io.hpp"

namespace mcmc::sampler {

/// The straggler guard of ChEES and MEADS. With m the median of the chains' log densities and
/// s = 1.4826 MAD their robust spread, a chain is below the bulk when its log density is under
///     max(m - max(8 s, 10 + 4 sqrt(dim / 2)), q90 - (10 + 2 dim))
/// (a d-dimensional normal posterior's log density has sd sqrt(d / 2); the floor keeps a tight
/// ensemble from flagging its own tail; q90, the 90% quantile of the log densities, sets the bar
/// when half the chains or more are stuck and the median and MAD are theirs). update() runs at every warm-up iteration; a chain below
/// the bulk at every iteration since the last check point is stuck, and at each check point
/// (every `period` iterations, up to `last` iterations into warm-up) stuck chains restart from the
/// state of a donor: a chain at or above the median, chosen by a hash of (iteration, chain), so
/// that which chain is copied depends only on the ensemble's state, never on threads or mode.
class Stragglers {
 public:
  Stragglers(int warmup, std::size_t dim);

  /// Flags the chains below the bulk now (below()) and counts how long each has been. One thread.
  void update(std::span<Chain* const> chains);
  /// The chains below the bulk at the last update() (1: below).
  const std::vector<char>& below() const { return below_; }
  /// Whether warm-up iteration `t` is a check point.
  bool checks(int t) const { return period_ > 0 && t > 0 && t % period_ == 0 && t <= last_; }
  /// At a check point, after update(): restarts every stuck chain (Chain::restart_from) and
  /// returns the donors (donor[c] = -1 for chains left as they are). Every chain must be Waiting.
  const std::vector<int>& restart(std::span<Chain* const> chains, int t);
  /// Chains restarted so far.
  std::int64_t restarts() const { return restarts_; }
  /// The chains below the bulk at the last update() (0-based).
  std::vector<int> below_list() const;

  /// --checkpoint: the flags and counts between two iterations.
  void save(StateWriter& w) const {
    w.tag("stragglers");
    w.cvec(below_);
    w.ivec(count_);
    w.ivec(donor_);
    w.i64(restarts_);
  }
  void restore(StateReader& r) {
    r.tag("stragglers");
    below_ = r.cvec();
    count_ = r.ivec();
    donor_ = r.ivec();
    restarts_ = r.i64();
  }

 private:
  std::size_t dim_;
  int period_ = 0, last_ = 0;
  std::vector<char> below_;
  std::vector<int> count_;   // consecutive updates below the bulk
  std::vector<int> donor_;
  std::vector<double> lp_, dev_;
  std::int64_t restarts_ = 0;
};

}  // namespace mcmc::sampler

// One chain as a state machine that stops at every gradient it needs: warm-up, adaptation and draws.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sampler/rng.hpp"
#include "sampler/settings.hpp"
#include "util/state_io.hpp"

namespace mcmc::sampler {

class Metric;

/// Statistics of one transition, one-to-one with Stan CSV's sampler columns.
struct TransitionInfo {
  double lp = 0;            // lp__: log density at the draw (up to a constant)
  double accept_stat = 0;   // accept_stat__
  double step_size = 0;     // stepsize__
  int treedepth = 0;        // treedepth__ (NUTS)
  int n_leapfrog = 0;       // n_leapfrog__ (NUTS)
  bool divergent = false;   // divergent__ (NUTS)
  double energy = 0;        // energy__: Hamiltonian at the draw
  double int_time = 0;      // int_time__ (static HMC: steps * step size)
  double damping = 0;       // damping__ (MEADS: the momentum refresh fraction alpha)
};

/// Ensemble algorithms: the parameters of one transition, set by the ensemble between iterations.
struct EnsembleStep {
  double step_size = 1;
  int steps = 1;                    // ChEES: leapfrog steps of this transition
  std::span<const double> inv_metric;  // diagonal inverse metric (empty: keep the current one);
                                       // set_step copies it
  double alpha = 1;                 // MEADS: momentum refresh fraction (1 = full refresh)
  double delta = 0.5;               // MEADS: drift of the non-reversible slice variable
  bool skip = false;                // MEADS: this chain's fold stays put this iteration
  bool adapted = false;             // warm-up adaptation is over (the settings are final)
};

/// Ensemble algorithms: what the ensemble learns from a chain's last transition. The spans view
/// the chain's own state and stay valid until its next set_step().
struct EnsembleStats {
  std::span<const double> q_init;   // position at the start of the transition
  std::span<const double> q_prop;   // proposed position (before the accept / reject decision)
  std::span<const double> p_prop;   // proposed momentum
  double accept_prob = 0;       // min(1, exp(H0 - H1))
  bool divergent = false;
  bool moved = false;           // a transition ran (false for a skipped MEADS fold)
};

/// A chain. The driver (parallel or lockstep) loops:
///
///     while (chain.status() != Status::Finished) {
///       if (chain.status() == Status::NeedGradient) {
///         double lp = density(chain.query(), grad);   // log density and gradient at query()
///         chain.provide(lp, grad);
///       } else {  // Status::Draw
///         write(chain.info(), chain.position());
///         chain.next();
///       }
///     }
///
/// The chain consumes random numbers only from its own Rng, so a chain's draws depend only on
/// (seed, chain id, settings, density), not on how the driver interleaves chains.
/// A non-finite log density or gradient supplied to provide() is a divergence (NUTS) or a
/// rejection (HMC), never an error.
class Chain {
 public:
  /// Waiting: ensemble algorithms only; the chain waits for set_step() before its next transition.
  enum class Status { NeedGradient, Draw, Finished, Waiting };

  /// `q0` is the initial unconstrained position, `logp0` / `grad0` the density and gradient there
  /// (the driver found a finite initial point before constructing the chain).
  Chain(const SamplerSettings& settings, Rng rng, std::vector<double> q0, double logp0,
        std::vector<double> grad0);
  ~Chain();
  Chain(Chain&&) noexcept;
  Chain& operator=(Chain&&) noexcept;

  Status status() const { return hot_->status; }

  /// NeedGradient: the position at which the next log density and gradient are needed.
  std::span<const double> query() const;
  /// NeedGradient: supply them; the chain runs on to its next NeedGradient, Draw or Finished.
  void provide(double logp, std::span<const double> grad);

  /// Draw: the statistics and the unconstrained position of the transition just completed.
  const TransitionInfo& info() const;
  std::span<const double> position() const;
  bool is_warmup() const;   // the draw belongs to warm-up
  int iteration() const;    // 0-based iteration, counting warm-up iterations first
  /// Draw: go on to the next transition (or Finished after the last).
  void next();

  /// Waiting: the parameters of the next transition (ensemble algorithms); the chain goes on to its
  /// first NeedGradient, or to Draw when it has nothing to integrate.
  void set_step(const EnsembleStep& step);
  /// After a Draw (and while Waiting): statistics of the last transition, for the ensemble.
  const EnsembleStats& ensemble_stats() const;
  /// Waiting, during warm-up (ensemble algorithms): move this chain to `donor`'s state (position,
  /// log density and gradient); the statistics of this chain's last transition are dropped
  /// (ensemble_stats().moved is false). The chain keeps its own random stream (and, for MEADS,
  /// its own momentum).
  void restart_from(const Chain& donor);
  /// The log density and its gradient at position().
  double log_density() const;
  std::span<const double> gradient() const;

  /// The current step size and the diagonal of the inverse metric (after warm-up: the adapted ones).
  double step_size() const;
  std::span<const double> inv_metric() const;
  /// The metric itself (its elements() are what the output records).
  const Metric& metric() const;
  /// Whether warm-up adaptation has run (false with warmup == 0).
  bool adapted() const;

  /// Number of provide() calls so far (gradient evaluations used by this chain).
  std::int64_t gradient_evals() const;

  /// Fatal sampler condition (e.g. "posterior is improper" from the step-size search); empty if none.
  /// When set, status() is Finished.
  const std::string& failure() const;

  /// --checkpoint: the chain's whole state at a Draw (after the driver has written it), while
  /// Waiting, or Finished: random stream, points, step size, metric, adaptation, iteration,
  /// counters. Throws StateError for a piece that cannot be saved (e.g. MEADS, a dense metric).
  void save(StateWriter& w) const;
  /// A chain in the state save() wrote, moved on as next() would have moved it from a Draw. The
  /// settings must be the saved chain's (the checkpoint checks them).
  static Chain restore(const SamplerSettings& settings, StateReader& r);
  /// Throws StateError when chains with these settings could not be saved (before any draw).
  static void check_saveable(const SamplerSettings& settings, std::size_t dim);

  /// The part of the chain's state the drivers read at every step (inline, no call).
  struct Hot {
    Status status = Status::Finished;
  };
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  const Hot* hot_;  // impl_'s Hot part
};

}  // namespace mcmc::sampler

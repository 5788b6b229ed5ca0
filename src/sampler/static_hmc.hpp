// One static-HMC transition (Stan's base_static_hmc, optional step-count jitter) as a state machine.
#pragma once

#include <optional>

#include "sampler/hamiltonian.hpp"
#include "sampler/rng.hpp"

namespace mcmc::sampler {

/// The Metropolis decision of a transition. The proposal is the integrated point itself (`z` as
/// left by the last on_leapfrog); on acceptance it becomes the draw, else the start stays.
struct StaticHmcResult {
  bool accepted = false;
  double H0 = 0;           // Hamiltonian at the start (with the sampled momentum)
  double H1 = 0;           // Hamiltonian at the proposal
  double accept_stat = 0;  // min(1, exp(H0 - H1))
  double accept_prob = 0;  // the same, 0 when it is NaN
  int n_leapfrog = 0;
};

/// Same protocol as NutsTransition: `start` returns the first step, `on_leapfrog` the next one or
/// nullopt when the Metropolis decision has been made (then `result()` holds the draw).
class StaticHmcTransition {
 public:
  StaticHmcTransition(int steps, bool jitter) : steps_(steps < 1 ? 1 : steps), jitter_(jitter) {}
  /// The number of steps of the next transitions (keeps the buffers: no allocation).
  void set_steps(int steps) { steps_ = steps < 1 ? 1 : steps; }

  std::optional<double> start(Point& z, Rng& rng, const Hamiltonian& ham, double eps);
  std::optional<double> on_leapfrog(Point& z, Rng& rng, const Hamiltonian& ham) {
    // A non-finite density or gradient makes H infinite: the proposal is rejected, so stop there.
    if (!z.bad && remaining_ > 1) {  // inline: every step but the last
      ++result_.n_leapfrog;
      --remaining_;
      return eps_;
    }
    return finish(z, rng, ham);
  }
  const StaticHmcResult& result() const { return result_; }
  /// Gradients after the pending one that on_leapfrog would only count (a plain leapfrog step),
  /// if they are all finite; the one after them makes the Metropolis decision.
  int plain_steps() const { return remaining_ - 1; }
  /// A lockstep driver did `n` <= plain_steps() of those steps itself (run/lockstep_block.hpp).
  void plain_steps_done(int n) {
    result_.n_leapfrog += n;
    remaining_ -= n;
  }

 private:
  // The last step (or a bad point): the Metropolis decision.
  std::optional<double> finish(Point& z, Rng& rng, const Hamiltonian& ham);

  int steps_;
  bool jitter_;
  double eps_ = 0;
  double H0_ = 0;
  int remaining_ = 0;
  StaticHmcResult result_;
};

}  // namespace mcmc::sampler

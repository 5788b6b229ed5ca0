// One static-HMC transition (Stan's base_static_hmc, optional step-count jitter) as a state machine.
#pragma once

#include <optional>

#include "sampler/hamiltonian.hpp"
#include "sampler/rng.hpp"

namespace mcmc::sampler {

struct StaticHmcResult {
  Point sample;
  Point proposal;        // the end of the trajectory, accepted or not
  double H0 = 0;         // Hamiltonian at the start
  double accept_prob = 0;
  double accept_stat = 0;
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
  std::optional<double> on_leapfrog(Point& z, Rng& rng, const Hamiltonian& ham);
  const StaticHmcResult& result() const { return result_; }

 private:
  int steps_;
  bool jitter_;
  double eps_ = 0;
  double H0_ = 0;
  int remaining_ = 0;
  Point z_init_;
  StaticHmcResult result_;
};

}  // namespace mcmc::sampler

// Stan's init_stepsize heuristic (double or halve until one leapfrog's acceptance crosses 0.8),
// one leapfrog at a time.
#pragma once

#include <optional>
#include <string>

#include "sampler/hamiltonian.hpp"
#include "sampler/rng.hpp"

namespace mcmc::sampler {

/// Same protocol as NutsTransition. `start` and `on_leapfrog` return nullopt when the search is
/// over; then `stepsize()` is the result, or `failure()` is non-empty. `z` is left at z_init.
class InitStepsize {
 public:
  std::optional<double> start(Point& z, Rng& rng, const Hamiltonian& ham, double nom_eps);
  std::optional<double> on_leapfrog(Point& z, Rng& rng, const Hamiltonian& ham);
  double stepsize() const { return eps_; }
  const std::string& failure() const { return failure_; }

 private:
  std::optional<double> probe(Point& z, Rng& rng, const Hamiltonian& ham);

  double eps_ = 0;
  double H0_ = 0;
  int direction_ = 0;  // 0 during the first probe
  Point z_init_;
  std::string failure_;
};

}  // namespace mcmc::sampler

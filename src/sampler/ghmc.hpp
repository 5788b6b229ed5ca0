// One generalized-HMC step (MEADS): persistent momentum, partial refresh, non-reversible slice acceptance.
#pragma once

#include <optional>
#include <vector>

#include "sampler/hamiltonian.hpp"
#include "sampler/rng.hpp"
#include "util/state_io.hpp"

namespace mcmc::sampler {

/// The Metropolis decision of one generalized-HMC step.
struct GhmcResult {
  bool accepted = false;
  double accept_stat = 0;  // min(1, exp(H0 - H1))
  bool divergent = false;  // a bad point or H1 - H0 above max_delta_h
};

/// Generalized HMC (Horowitz 1991) with the non-reversible slice variable of Neal (2020): the
/// momentum persists between transitions (in whitened units v = p sqrt(inv_metric)) and is only
/// partly refreshed, and the uniform of the accept test drifts instead of being redrawn.
class GhmcTransition {
 public:
  /// Draws the persistent momentum and the slice variable (once, when the chain is created).
  void init(std::size_t dim, Rng& rng);
  /// Partial momentum refresh (fraction `alpha`), slice drift `delta`; sets z.p and current.p
  /// and returns the one leapfrog step to take from z.
  std::optional<double> start(Point& z, Point& current, Rng& rng, const Hamiltonian& ham, double alpha,
                              double delta, double eps);
  /// After the leapfrog: the decision against the slice variable; on acceptance `current`
  /// becomes `z`, else the momentum flips. `z` keeps the proposal.
  const GhmcResult& finish(const Point& z, Point& current, const Hamiltonian& ham, double max_delta_h);

  /// --checkpoint: the persistent momentum and the slice variable (between two transitions).
  void save(StateWriter& w) const {
    w.tag("ghmc");
    w.vec(v_);
    w.f64(slice_u_);
  }
  void restore(StateReader& r) {
    r.tag("ghmc");
    v_ = r.vec();
    slice_u_ = r.f64();
  }

 private:
  std::vector<double> v_;  // persistent momentum in whitened units (p * sqrt(inv_metric))
  double slice_u_ = 0;     // non-reversible slice variable in [-1, 1]
  double H0_ = 0;
  GhmcResult result_;
};

}  // namespace mcmc::sampler

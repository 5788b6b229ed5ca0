// Stan's base_hmc::init_stepsize as a state machine.
#include "sampler/init_stepsize.hpp"

#include <cmath>

namespace mcmc::sampler {

std::optional<double> InitStepsize::start(Point& z, Rng& rng, const Hamiltonian& ham, double nom_eps) {
  eps_ = nom_eps;
  failure_.clear();
  direction_ = 0;
  // Skip extreme step sizes that could loop forever (as Stan does).
  if (eps_ == 0 || eps_ > 1e7 || std::isnan(eps_)) return std::nullopt;
  z_init_ = z;
  return probe(z, rng, ham);
}

std::optional<double> InitStepsize::probe(Point& z, Rng& rng, const Hamiltonian& ham) {
  z = z_init_;
  ham.sample_p(z, rng);
  H0_ = ham.energy(z);
  return eps_;
}

std::optional<double> InitStepsize::on_leapfrog(Point& z, Rng& rng, const Hamiltonian& ham) {
  const double h = ham.energy(z);
  const double delta_H = H0_ - h;
  const double log_target = std::log(0.8);
  if (direction_ == 0) {
    direction_ = delta_H > log_target ? 1 : -1;
    return probe(z, rng, ham);
  }
  if ((direction_ == 1 && !(delta_H > log_target)) || (direction_ == -1 && !(delta_H < log_target))) {
    z = z_init_;
    return std::nullopt;
  }
  eps_ = direction_ == 1 ? 2 * eps_ : 0.5 * eps_;
  if (eps_ > 1e7) {
    failure_ = "Posterior is improper. Please check your model.";
  } else if (eps_ == 0) {
    failure_ = "No acceptably small step size could be found. Perhaps the posterior is not continuous?";
  }
  if (!failure_.empty()) {
    z = z_init_;
    return std::nullopt;
  }
  return probe(z, rng, ham);
}

}  // namespace mcmc::sampler

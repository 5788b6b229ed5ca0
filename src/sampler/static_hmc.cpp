// Static HMC transition: L leapfrog steps and a Metropolis correction, one step at a time.
#include "sampler/static_hmc.hpp"

#include <cmath>
#include <limits>

namespace mcmc::sampler {

std::optional<double> StaticHmcTransition::start(Point& z, Rng& rng, const Hamiltonian& ham,
                                                 double eps) {
  eps_ = eps;
  int n = steps_;
  if (jitter_) {
    const int range = 2 * steps_ - 1;  // uniform on 1..2*steps-1
    n = 1 + static_cast<int>(rng.uniform() * range);
    if (n > range) n = range;
  }
  ham.sample_p(z, rng);
  H0_ = ham.energy(z);
  remaining_ = n;
  result_.n_leapfrog = 0;
  return eps_;
}

std::optional<double> StaticHmcTransition::finish(Point& z, Rng& rng, const Hamiltonian& ham) {
  ++result_.n_leapfrog;
  --remaining_;

  const double h = ham.energy(z);
  const double accept_prob = std::exp(H0_ - h);
  bool accept = true;
  if (accept_prob < 1 && rng.uniform() > accept_prob) accept = false;
  result_.accepted = accept;
  result_.H0 = H0_;
  result_.H1 = h;
  result_.accept_stat = accept_prob > 1 ? 1 : accept_prob;
  result_.accept_prob = std::isnan(accept_prob) ? 0.0 : result_.accept_stat;
  return std::nullopt;
}

}  // namespace mcmc::sampler

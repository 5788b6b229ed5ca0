// Generalized HMC step of MEADS: partial momentum refresh, one leapfrog step, slice-variable decision.
#include "sampler/ghmc.hpp"

#include <cmath>
#include <limits>

namespace mcmc::sampler {

void GhmcTransition::init(std::size_t dim, Rng& rng) {
  v_.resize(dim);
  for (double& x : v_) x = rng.normal();
  slice_u_ = 2 * rng.uniform() - 1;
}

std::optional<double> GhmcTransition::start(Point& z, Point& current, Rng& rng, const Hamiltonian& ham,
                                            double alpha, double delta, double eps) {
  const double keep = std::sqrt(1 - alpha), fresh = std::sqrt(alpha);
  for (double& x : v_) x = keep * x + fresh * rng.normal();
  slice_u_ = std::fmod(slice_u_ + 1 + delta, 2.0) - 1;
  const auto& sm = ham.sqrt_inv_metric();
  for (std::size_t i = 0; i < v_.size(); ++i) z.p[i] = v_[i] / sm[i];
  current.p = z.p;
  H0_ = ham.energy(z);
  return eps;
}

const GhmcResult& GhmcTransition::finish(const Point& z, Point& current, const Hamiltonian& ham,
                                         double max_delta_h) {
  const double h1 = ham.energy(z);
  double dlog = H0_ - h1;  // log acceptance ratio
  if (std::isnan(dlog)) dlog = -std::numeric_limits<double>::infinity();
  const bool accept = !z.bad && std::isfinite(h1) && std::log(std::abs(slice_u_)) <= dlog;
  result_ = GhmcResult{};
  result_.accepted = accept;
  result_.accept_stat = dlog >= 0 ? 1.0 : std::exp(dlog);
  result_.divergent = z.bad || !(h1 - H0_ <= max_delta_h);
  const auto& sm = ham.sqrt_inv_metric();
  if (accept) {
    slice_u_ *= std::exp(-dlog);
    // Keep |u| off zero (an underflow would accept every later proposal).
    if (!(std::abs(slice_u_) >= 1e-300)) slice_u_ = std::signbit(slice_u_) ? -1e-300 : 1e-300;
    current = z;
    for (std::size_t i = 0; i < v_.size(); ++i) v_[i] = z.p[i] * sm[i];
  } else {
    for (double& x : v_) x = -x;
    for (double& x : current.p) x = -x;
  }
  return result_;
}

}  // namespace mcmc::sampler

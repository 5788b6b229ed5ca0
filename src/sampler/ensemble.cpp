// The ensemble machinery shared by ChEES-HMC and MEADS: Halton jitter, the largest-eigenvalue estimate, the factory.
#include "sampler/ensemble.hpp"

#include "sampler/chees.hpp"
#include "sampler/meads.hpp"
#include "util/error.hpp"

namespace mcmc::sampler {

double halton(std::uint64_t i) {
  double f = 1, r = 0;
  while (i > 0) {
    f /= 2;
    r += f * static_cast<double>(i & 1u);
    i >>= 1;
  }
  return r;
}

double max_eigenvalue_estimate(const double* X, std::size_t n, std::size_t dim) {
  double trace = 0, off = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double* xi = X + i * dim;
    double sii = 0;
    for (std::size_t k = 0; k < dim; ++k) sii += xi[k] * xi[k];
    trace += sii;
    for (std::size_t j = i + 1; j < n; ++j) {
      const double* xj = X + j * dim;
      double sij = 0;
      for (std::size_t k = 0; k < dim; ++k) sij += xi[k] * xj[k];
      off += 2 * sij * sij;
    }
  }
  const double nn = static_cast<double>(n);
  return (off / (nn * (nn - 1))) / (trace / nn);
}

std::unique_ptr<Ensemble> Ensemble::make(const SamplerSettings& s, int num_chains, std::size_t dim) {
  if (s.algorithm == Algorithm::Chees) return make_chees(s, dim);
  if (s.algorithm == Algorithm::Meads) return make_meads(s, num_chains, dim);
  throw Error(ExitCode::Usage, "internal: not an ensemble algorithm");
}

}  // namespace mcmc::sampler

// Leapfrog arithmetic of a block of chains as arrays (chain index innermost), vectorized across chains.
#pragma once

#include <cstddef>

namespace mcmc::sampler {

/// Arrays of a block: element i of chain k at [i * ld + k], k < n <= ld. Per chain the
/// arithmetic is exactly Hamiltonian::end_leapfrog followed by Hamiltonian::begin_leapfrog with a
/// diagonal metric (p += half g; p += half g; q += eps (inv_metric p), half = eps / 2 computed
/// as 0.5 * eps), so a chain advanced here draws what it draws when advanced alone.
void block_leapfrog(std::size_t dim, std::size_t n, std::size_t ld, double* q, double* p, const double* grad,
                    const double* inv_metric, const double* eps, const double* half);

/// bad[k] = 1 where logp[k] or some grad[i * ld + k] is not finite, else 0 (k < n); whether any is.
bool block_nonfinite(std::size_t dim, std::size_t n, std::size_t ld, const double* logp, const double* grad,
                     double* scratch, unsigned char* bad);

}  // namespace mcmc::sampler

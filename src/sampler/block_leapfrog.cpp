// Leapfrog arithmetic of a block of chains as arrays, compiled for AVX-512F, AVX2 and baseline x86-64.
#include "sampler/block_leapfrog.hpp"

namespace mcmc::sampler {

// As the graph's batched sweeps (graph/tape.cpp): three clones, picked by the loader; the build's
// -ffp-contract=off keeps them (and the one-chain Hamiltonian) bit-identical.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define MCMC_BLOCK_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define MCMC_BLOCK_CLONES
#endif

MCMC_BLOCK_CLONES void block_leapfrog(std::size_t dim, std::size_t n, std::size_t ld, double* __restrict q,
                                      double* __restrict p, const double* __restrict grad,
                                      const double* __restrict inv_metric, const double* __restrict eps,
                                      const double* __restrict half) {
  for (std::size_t i = 0; i < dim; ++i) {
    double* qi = q + i * ld;
    double* pi = p + i * ld;
    const double* gi = grad + i * ld;
    const double* mi = inv_metric + i * ld;
    for (std::size_t k = 0; k < n; ++k) {
      double pk = pi[k] + half[k] * gi[k];  // end of the last leapfrog
      pk = pk + half[k] * gi[k];            // start of the next one
      pi[k] = pk;
      qi[k] = qi[k] + eps[k] * (mi[k] * pk);
    }
  }
}

MCMC_BLOCK_CLONES bool block_nonfinite(std::size_t dim, std::size_t n, std::size_t ld,
                                       const double* __restrict logp, const double* __restrict grad,
                                       double* __restrict scratch, unsigned char* __restrict bad) {
  // x * 0 is (+-)0 for a finite x and NaN for an infinite or NaN one; a sum of them is 0 exactly
  // when every term is finite.
  for (std::size_t k = 0; k < n; ++k) scratch[k] = logp[k] * 0.0;
  for (std::size_t i = 0; i < dim; ++i) {
    const double* gi = grad + i * ld;
    for (std::size_t k = 0; k < n; ++k) scratch[k] += gi[k] * 0.0;
  }
  unsigned char any = 0;
  for (std::size_t k = 0; k < n; ++k) {
    bad[k] = scratch[k] == 0.0 ? 0 : 1;
    any |= bad[k];
  }
  return any != 0;
}

}  // namespace mcmc::sampler

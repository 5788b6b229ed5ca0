// Per-chain random streams: xoshiro256** seeded from (seed, chain) only, with uniform and normal variates.
#pragma once

#include <cstdint>

#include "util/state_io.hpp"

namespace mcmc::sampler {

/// Generated quantities of chain c (0-based) draw from Rng(seed, kGeneratedQuantitiesStream + c),
/// one draw after another (`mcmc run` and `mcmc generate-quantities` alike).
inline constexpr std::uint64_t kGeneratedQuantitiesStream = 1ull << 32;

/// A small, fast, reproducible generator. Chain c of a run with seed S uses Rng(S, c): its
/// output depends on nothing else (not on threads, not on mode).
class Rng {
 public:
  Rng(std::uint64_t seed, std::uint64_t stream);

  std::uint64_t next_u64();
  /// Uniform on [0, 1) with 53 random bits.
  double uniform();
  /// Uniform on (0, 1): never exactly 0 (safe for log).
  double uniform_pos();
  /// Standard normal (Marsaglia polar method, caching the second variate).
  double normal();

  /// --checkpoint: the stream's exact position (state words and the cached normal variate).
  void save(StateWriter& w) const;
  void restore(StateReader& r);

 private:
  std::uint64_t s_[4];
  bool has_spare_ = false;
  double spare_ = 0;
};

}  // namespace mcmc::sampler

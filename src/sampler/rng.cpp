// xoshiro256** per-chain random streams seeded by splitmix64 from (seed, stream).
#include "sampler/rng.hpp"

#include <cmath>

namespace mcmc::sampler {

namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  x += 0x9E3779B97F4A7C15ULL;
  std::uint64_t z = x;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Rng::Rng(std::uint64_t seed, std::uint64_t stream) {
  // Mix the stream in multiplicatively, then run splitmix64 twice over the seed so that
  // nearby (seed, stream) pairs give unrelated states.
  std::uint64_t x = seed ^ (0x9E3779B97F4A7C15ULL * (stream + 1));
  std::uint64_t mixed = splitmix64(x) ^ stream;
  x = mixed;
  for (auto& s : s_) s = splitmix64(x);
  if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;  // the all-zero state is a fixed point
}

std::uint64_t Rng::next_u64() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double Rng::uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

double Rng::uniform_pos() {
  // (k + 0.5) * 2^-52 for k in [0, 2^52): strictly inside (0, 1) (with 53 bits the largest k
  // would round up to exactly 1).
  return (static_cast<double>(next_u64() >> 12) + 0.5) * 0x1.0p-52;
}

double Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u, v, s;
  do {
    u = 2.0 * uniform() - 1.0;
    v = 2.0 * uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double f = std::sqrt(-2.0 * std::log(s) / s);
  spare_ = v * f;
  has_spare_ = true;
  return u * f;
}

void Rng::save(StateWriter& w) const {
  w.tag("rng");
  for (std::uint64_t x : s_) w.u64(x);
  w.flag(has_spare_);
  w.f64(spare_);
}

void Rng::restore(StateReader& r) {
  r.tag("rng");
  for (std::uint64_t& x : s_) x = r.u64();
  has_spare_ = r.flag();
  spare_ = r.f64();
}

}  // namespace mcmc::sampler

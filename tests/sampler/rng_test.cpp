// The per-chain generator: reproducible, distinct streams, sane uniform and normal moments.
#include <doctest/doctest.h>

#include <cmath>

#include "sampler/rng.hpp"

using mcmc::sampler::Rng;

TEST_CASE("Rng is reproducible and streams differ") {
  Rng a(42, 0), b(42, 0), c(42, 1), d(43, 0);
  int same_c = 0, same_d = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto x = a.next_u64();
    CHECK(x == b.next_u64());
    same_c += x == c.next_u64();
    same_d += x == d.next_u64();
  }
  CHECK(same_c == 0);
  CHECK(same_d == 0);
}

TEST_CASE("uniform and normal moments") {
  Rng r(7, 3);
  const int n = 200000;
  double su = 0, sn = 0, sn2 = 0, sn4 = 0;
  double umin = 1, umax = 0;
  for (int i = 0; i < n; ++i) {
    const double u = r.uniform_pos();
    CHECK(u > 0);
    CHECK(u < 1);
    umin = std::min(umin, u);
    umax = std::max(umax, u);
    su += u;
    const double z = r.normal();
    sn += z;
    sn2 += z * z;
    sn4 += z * z * z * z;
  }
  // Standard errors: uniform mean sqrt(1/12/n) ~ 6.5e-4; normal mean 1/sqrt(n) ~ 2.2e-3;
  // E z^2 = 1 with sd sqrt(2/n) ~ 3.2e-3; E z^4 = 3 with sd sqrt(96/n) ~ 0.022. Bounds are 5 sd.
  CHECK(std::abs(su / n - 0.5) < 5 * 6.5e-4);
  CHECK(std::abs(sn / n) < 5 * 2.3e-3);
  CHECK(std::abs(sn2 / n - 1) < 5 * 3.2e-3);
  CHECK(std::abs(sn4 / n - 3) < 5 * 0.022);
  CHECK(umin < 1e-4);
  CHECK(umax > 1 - 1e-4);
}

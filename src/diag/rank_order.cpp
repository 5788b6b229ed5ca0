// Radix sort of doubles with their positions, the folded order by merging, and z-scaling from an order.
#include "diag/rank_order.hpp"

#include <array>
#include <bit>
#include <cmath>

#include "diag/special.hpp"

namespace mcmc::diag {
namespace {

/// Maps a (non-NaN) double to an unsigned key with the same order (-0 just below +0).
std::uint64_t key_of(double v) {
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(v);
  return (bits >> 63) != 0 ? ~bits : bits | (std::uint64_t{1} << 63);
}

}  // namespace

std::vector<Ranked> sorted_order(std::span<const double> x) {
  const std::size_t n = x.size();
  std::vector<Ranked> a(n);
  for (std::size_t i = 0; i < n; ++i) a[i] = {x[i], static_cast<std::uint32_t>(i)};
  if (n < 2) return a;
  // LSD radix sort, 11 bits a pass; a pass in which every key has the same digit is skipped.
  constexpr int bits = 11;
  constexpr std::size_t buckets = std::size_t{1} << bits;
  constexpr int passes = (64 + bits - 1) / bits;
  std::vector<std::array<std::uint32_t, buckets>> counts(passes);
  for (auto& c : counts) c.fill(0);
  for (const Ranked& r : a) {
    const std::uint64_t k = key_of(r.value);
    for (int p = 0; p < passes; ++p) ++counts[p][(k >> (p * bits)) & (buckets - 1)];
  }
  std::vector<Ranked> b(n);
  for (int p = 0; p < passes; ++p) {
    auto& count = counts[p];
    if (count[(key_of(a[0].value) >> (p * bits)) & (buckets - 1)] == n) continue;
    std::uint32_t offset = 0;
    for (auto& c : count) {
      const std::uint32_t here = c;
      c = offset;
      offset += here;
    }
    for (const Ranked& r : a) b[count[(key_of(r.value) >> (p * bits)) & (buckets - 1)]++] = r;
    a.swap(b);
  }
  return a;
}

std::vector<Ranked> folded_order(const std::vector<Ranked>& order, double center) {
  const std::size_t n = order.size();
  std::size_t split = 0;  // first position with value >= center
  while (split < n && order[split].value < center) ++split;
  // Below center |v - center| grows as v falls, at or above it as v rises (rounding is monotone).
  std::vector<Ranked> out;
  out.reserve(n);
  std::size_t lo = split;  // next below-center draw is order[lo - 1]
  std::size_t hi = split;
  while (lo > 0 || hi < n) {
    const double f_lo = lo > 0 ? std::fabs(order[lo - 1].value - center) : INFINITY;
    const double f_hi = hi < n ? std::fabs(order[hi].value - center) : INFINITY;
    if (hi >= n || (lo > 0 && f_lo <= f_hi)) {
      out.push_back({f_lo, order[lo - 1].index});
      --lo;
    } else {
      out.push_back({f_hi, order[hi].index});
      ++hi;
    }
  }
  return out;
}

void z_scale_from_order(const std::vector<Ranked>& order, std::span<double> out) {
  const std::size_t n = order.size();
  const double c = 3.0 / 8.0;
  const double denominator = static_cast<double>(n) - 2.0 * c + 1.0;
  for (std::size_t first = 0; first < n;) {
    std::size_t last = first;
    while (last + 1 < n && order[last + 1].value == order[first].value) ++last;
    const double rank = (static_cast<double>(first + 1) + static_cast<double>(last + 1)) / 2.0;
    const double z = qnorm((rank - c) / denominator);
    for (std::size_t i = first; i <= last; ++i) out[order[i].index] = z;
    first = last + 1;
  }
}

}  // namespace mcmc::diag

// Sorted order of pooled draws (by radix sort) and posterior's rank normalization computed from it.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace mcmc::diag {

/// One draw and its position in the pooled sequence.
struct Ranked {
  double value;
  std::uint32_t index;
};

/// The values of x in ascending order with their positions (ties in any order). x must hold no NaN and
/// fewer than 2^32 values. -0 and +0 end up adjacent, so groups of equal values stay contiguous.
std::vector<Ranked> sorted_order(std::span<const double> x);

/// Given the ascending order of x, the ascending order of |x - center| (values replaced by those),
/// by merging the two monotone runs either side of center. center must be finite.
std::vector<Ranked> folded_order(const std::vector<Ranked>& order, double center);

/// posterior's z_scale() from an ascending order: qnorm((r - 3/8) / (S + 1/4)) with r the average
/// (1-based) rank of each value among equals, written to out[index]; identical to ranking with
/// rstats::average_ranks. qnorm runs once per group of equal values.
void z_scale_from_order(const std::vector<Ranked>& order, std::span<double> out);

}  // namespace mcmc::diag

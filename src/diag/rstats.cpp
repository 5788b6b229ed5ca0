// R-compatible elementary statistics; long double where R uses it, so that results match R bit for bit
// where it matters (medians feed the folding of draws, quantiles feed indicator comparisons).
#include "diag/rstats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

namespace mcmc::diag::rstats {
namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

bool any_nan(std::span<const double> x) {
  return std::any_of(x.begin(), x.end(), [](double v) { return std::isnan(v); });
}

std::vector<double> sorted_copy(std::span<const double> x) {
  std::vector<double> v(x.begin(), x.end());
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

double mean(std::span<const double> x) {
  if (x.empty()) return nan_value;
  const long double n = static_cast<long double>(x.size());
  long double s = 0.0L;
  for (double v : x) s += v;
  s /= n;
  if (std::isfinite(static_cast<double>(s))) {
    long double t = 0.0L;
    for (double v : x) t += (v - s);
    s += t / n;
  }
  return static_cast<double>(s);
}

double var(std::span<const double> x) {
  if (x.size() < 2) return nan_value;
  const long double m = mean(x);
  long double sum = 0.0L;
  for (double v : x) sum += (v - m) * (v - m);
  return static_cast<double>(sum / static_cast<long double>(x.size() - 1));
}

double sd(std::span<const double> x) { return std::sqrt(var(x)); }

double median(std::span<const double> x) {
  if (x.empty() || any_nan(x)) return nan_value;
  return median_sorted(sorted_copy(x));
}

double median_sorted(std::span<const double> v) {
  if (v.empty()) return nan_value;
  const std::size_t half = (v.size() + 1) / 2;  // R's 1-based `half`
  if (v.size() % 2 == 1) return v[half - 1];
  const double middle[2] = {v[half - 1], v[half]};
  return mean(middle);
}

double quantile7_sorted(std::span<const double> sorted, double prob) {
  const std::size_t n = sorted.size();
  if (n == 0 || std::isnan(prob)) return nan_value;
  const double index = 1.0 + static_cast<double>(n - 1) * prob;  // 1-based, as in R
  const double lo = std::floor(index);
  const double hi = std::ceil(index);
  const double q_lo = sorted[static_cast<std::size_t>(lo) - 1];
  const double q_hi = sorted[static_cast<std::size_t>(hi) - 1];
  if (index > lo && q_hi != q_lo) {
    const double h = index - lo;
    return (1.0 - h) * q_lo + h * q_hi;
  }
  return q_lo;
}

double quantile7(std::span<const double> x, double prob) {
  if (any_nan(x)) return nan_value;  // R's quantile() refuses NA; NaN stands for that here
  return quantile7_sorted(sorted_copy(x), prob);
}

double mad(std::span<const double> x) {
  if (x.empty()) return nan_value;
  const double center = median(x);
  std::vector<double> deviation(x.size());
  std::transform(x.begin(), x.end(), deviation.begin(), [center](double v) { return std::fabs(v - center); });
  return 1.4826 * median(deviation);
}

std::vector<double> average_ranks(std::span<const double> x) { return average_ranks(x, nullptr); }

std::vector<double> average_ranks(std::span<const double> x, std::vector<double>* sorted) {
  const std::size_t n = x.size();
  if (any_nan(x)) return std::vector<double>(n, nan_value);
  // Ties get their average rank, so the order among equal values does not matter: a plain (unstable)
  // sort of (value, index) pairs, compared by value only, gives the same ranks as a stable index sort.
  std::vector<std::pair<double, std::size_t>> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = {x[i], i};
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<double> ranks(n);
  for (std::size_t first = 0; first < n;) {
    std::size_t last = first;
    while (last + 1 < n && order[last + 1].first == order[first].first) ++last;
    const double rank = (static_cast<double>(first + 1) + static_cast<double>(last + 1)) / 2.0;
    for (std::size_t i = first; i <= last; ++i) ranks[order[i].second] = rank;
    first = last + 1;
  }
  if (sorted != nullptr) {
    sorted->resize(n);
    for (std::size_t i = 0; i < n; ++i) (*sorted)[i] = order[i].first;
  }
  return ranks;
}

}  // namespace mcmc::diag::rstats

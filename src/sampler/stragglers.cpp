// Straggler guard of the ensemble samplers: median / MAD of the chains' log densities, deterministic restarts.
#include "sampler/stragglers.hpp"

#include <algorithm>
#include <cmath>

namespace mcmc::sampler {

namespace {

double median(std::vector<double>& v) {
  const std::size_t n = v.size(), h = n / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(h), v.end());
  const double hi = v[h];
  if (n % 2 == 1) return hi;
  return 0.5 * (hi + *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(h)));
}

// SplitMix64's finalizer: a well-mixed function of (t, c).
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

Stragglers::Stragglers(int warmup, std::size_t dim) : dim_(dim) {
  if (warmup >= 40) {
    period_ = std::max(10, warmup / 20);
    last_ = warmup - std::max(warmup / 10, 50);  // time for the adaptation to settle afterwards
  }
}

void Stragglers::update(std::span<Chain* const> chains) {
  const std::size_t C = chains.size();
  below_.assign(C, 0);
  count_.resize(C, 0);
  if (C < 4 || dim_ == 0) return;
  lp_.resize(C);
  for (std::size_t c = 0; c < C; ++c) lp_[c] = chains[c]->log_density();
  dev_ = lp_;
  const double m = median(dev_);
  for (std::size_t c = 0; c < C; ++c) dev_[c] = std::abs(lp_[c] - m);
  const double s = 1.4826 * median(dev_);
  double cut = m - std::max(8 * s, 10 + 4 * std::sqrt(static_cast<double>(dim_) / 2));
  // When half the chains or more are stuck, the median and MAD are theirs: then the chains near
  // the top (the 90% quantile) set the bar, with the margin MEADS' folds use.
  dev_ = lp_;
  const std::size_t k = (C - 1) * 9 / 10;
  std::nth_element(dev_.begin(), dev_.begin() + static_cast<std::ptrdiff_t>(k), dev_.end());
  const double top = dev_[k];
  if (std::isfinite(top)) cut = std::max(cut, top - (10 + 2 * static_cast<double>(dim_)));
  for (std::size_t c = 0; c < C; ++c) {
    below_[c] = !(lp_[c] >= cut);  // NaN counts as below
    count_[c] = below_[c] ? count_[c] + 1 : 0;
  }
}

const std::vector<int>& Stragglers::restart(std::span<Chain* const> chains, int t) {
  const std::size_t C = chains.size();
  donor_.assign(C, -1);
  if (below_.size() != C) return donor_;
  // Donors: the chains at or above the median log density, in chain order.
  dev_ = lp_;
  const double m = median(dev_);
  std::vector<int> donors;
  for (std::size_t c = 0; c < C; ++c)
    if (lp_[c] >= m && !below_[c]) donors.push_back(static_cast<int>(c));
  if (donors.empty()) return donor_;
  for (std::size_t c = 0; c < C; ++c) {
    if (!below_[c] || count_[c] < period_) continue;  // below the bulk since the last check point
    const std::uint64_t h = mix((static_cast<std::uint64_t>(t) << 32) ^ static_cast<std::uint64_t>(c));
    const int d = donors[h % donors.size()];
    chains[c]->restart_from(*chains[d]);
    donor_[c] = d;
    count_[c] = 0;
    below_[c] = 0;
    ++restarts_;
  }
  return donor_;
}

std::vector<int> Stragglers::below_list() const {
  std::vector<int> out;
  for (std::size_t c = 0; c < below_.size(); ++c)
    if (below_[c]) out.push_back(static_cast<int>(c));
  return out;
}

}  // namespace mcmc::sampler

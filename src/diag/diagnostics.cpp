// Convergence diagnostics, a line-by-line port of R posterior 1.4.0 (R/convergence.R).
//
// NA in posterior is NaN here. posterior returns NA for rhat / ess / mcse of draws that contain a
// non-finite value or are constant (max - min < DBL_EPSILON), and R's max()/min() propagate NA, so
// e.g. rhat is NaN when either its bulk or its tail part is.
#include "diag/diagnostics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "diag/autocovariance.hpp"
#include "diag/rank_order.hpp"
#include "diag/rstats.hpp"
#include "diag/special.hpp"

namespace mcmc::diag {
namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

/// Draws as columns (one per chain or split half), like posterior's iterations x chains matrix.
using Columns = std::vector<std::vector<double>>;

Columns to_columns(const Chains& x) {
  Columns out;
  out.reserve(x.size());
  for (const auto& chain : x) {
    if (chain.size() != x.front().size()) {
      throw std::invalid_argument("diagnostics: all chains must have the same number of draws (chain 1 has " +
                                  std::to_string(x.front().size()) + ", another has " +
                                  std::to_string(chain.size()) + ")");
    }
    out.emplace_back(chain.begin(), chain.end());
  }
  return out;
}

std::size_t rows(const Columns& x) { return x.empty() ? 0 : x.front().size(); }

std::vector<double> pooled(const Columns& x) {
  std::vector<double> all;
  all.reserve(x.size() * rows(x));
  for (const auto& column : x) all.insert(all.end(), column.begin(), column.end());
  return all;
}

bool empty(const Columns& x) { return x.empty() || rows(x) == 0; }

/// posterior's .split_chains(): first floor(n/2) and last floor(n/2) draws; an odd middle draw is dropped.
Columns split_chains(const Columns& x) {
  const std::size_t n = rows(x);
  if (n <= 1) return x;
  const std::size_t half = n / 2;
  Columns out;
  out.reserve(2 * x.size());
  for (const auto& column : x) out.emplace_back(column.begin(), column.begin() + half);
  for (const auto& column : x) out.emplace_back(column.end() - half, column.end());
  return out;
}

/// posterior's should_return_NA(): any non-finite value, or max - min < DBL_EPSILON.
bool should_return_na(const Columns& x) {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  for (const auto& column : x) {
    for (double v : column) {
      if (!std::isfinite(v)) return true;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  return std::fabs(hi - lo) < std::numeric_limits<double>::epsilon();
}

/// posterior's z_scale(): average ranks over all values, then qnorm((r - 3/8) / (S + 1/4)).
/// When `sorted` is given it receives all values sorted ascending (untouched if one is NaN).
Columns z_scale(const Columns& x, std::vector<double>* sorted = nullptr) {
  const std::vector<double> ranks = rstats::average_ranks(pooled(x), sorted);
  const double c = 3.0 / 8.0;
  const double denominator = static_cast<double>(ranks.size()) - 2.0 * c + 1.0;
  Columns out = x;
  std::size_t k = 0;
  for (auto& column : out) {
    for (double& v : column) v = qnorm((ranks[k++] - c) / denominator);
  }
  return out;
}

/// Pooled values laid out again as columns shaped like `like` (one column after another).
Columns unpool(const std::vector<double>& flat, const Columns& like) {
  Columns out;
  out.reserve(like.size());
  std::size_t k = 0;
  for (const auto& column : like) {
    out.emplace_back(flat.begin() + static_cast<std::ptrdiff_t>(k),
                     flat.begin() + static_cast<std::ptrdiff_t>(k + column.size()));
    k += column.size();
  }
  return out;
}

/// z_scale() of the columns whose pooled ascending order is `order`; the sorted values go to *sorted.
Columns z_scale_ordered(const std::vector<Ranked>& order, const Columns& like, std::vector<double>* sorted) {
  std::vector<double> z(order.size());
  z_scale_from_order(order, z);
  sorted->resize(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) (*sorted)[i] = order[i].value;
  return unpool(z, like);
}

/// |x - center| for every draw.
Columns fold_about(const Columns& x, double center) {
  Columns out = x;
  for (auto& column : out) {
    for (double& v : column) v = std::fabs(v - center);
  }
  return out;
}

/// posterior's fold_draws(): |x - median(x)| over all draws.
Columns fold_draws(const Columns& x) { return fold_about(x, rstats::median(pooled(x))); }

/// Indicator x <= threshold, as 0/1.
Columns indicator_at_most(const Columns& x, double threshold) {
  Columns out = x;
  for (auto& column : out) {
    for (double& v : column) v = v <= threshold ? 1.0 : 0.0;
  }
  return out;
}

/// R's max() / min() of two values: NA if either is NA.
double r_max(double a, double b) { return std::isnan(a) || std::isnan(b) ? nan_value : std::max(a, b); }
double r_min(double a, double b) { return std::isnan(a) || std::isnan(b) ? nan_value : std::min(a, b); }

std::vector<double> column_means(const Columns& x) {
  std::vector<double> means;
  means.reserve(x.size());
  for (const auto& column : x) means.push_back(rstats::mean(column));
  return means;
}

/// posterior's .rhat(): split-free potential scale reduction of the columns as given.
double rhat_core(const Columns& x) {
  if (empty(x) || should_return_na(x)) return nan_value;
  const double n = static_cast<double>(rows(x));
  const std::vector<double> chain_mean = column_means(x);
  std::vector<double> chain_var;
  chain_var.reserve(x.size());
  for (const auto& column : x) chain_var.push_back(rstats::var(column));
  const double var_between = n * rstats::var(chain_mean);
  const double var_within = rstats::mean(chain_var);
  return std::sqrt((var_between / var_within + n - 1.0) / n);
}

/// Geyer's initial positive sequence, then the initial monotone sequence; returns tau_hat.
double geyer_tau(const std::vector<double>& acov_means, double mean_var, double var_plus) {
  const std::size_t n = acov_means.size();
  auto rho_at = [&](std::size_t lag) { return 1.0 - (mean_var - acov_means[lag]) / var_plus; };
  std::vector<double> rho(n, 0.0);
  std::size_t t = 0;
  double rho_even = 1.0;
  rho[0] = rho_even;
  double rho_odd = rho_at(1);
  rho[1] = rho_odd;
  // posterior: while (t < n - 5 && !is.nan(even + odd) && even + odd > 0), in 1-based lags t + 1, t + 2.
  while (static_cast<double>(t) < static_cast<double>(n) - 5.0 && !std::isnan(rho_even + rho_odd) &&
         rho_even + rho_odd > 0.0) {
    t += 2;
    rho_even = rho_at(t);
    rho_odd = rho_at(t + 1);
    if (rho_even + rho_odd >= 0.0) {
      rho[t] = rho_even;
      rho[t + 1] = rho_odd;
    }
  }
  const std::size_t max_t = t;
  if (rho_even > 0.0) rho[max_t] = rho_even;  // used by the improved (antithetic-aware) estimate

  for (t = 2; t + 2 <= max_t; t += 2) {  // posterior: t = 0; while (t <= max_t - 4) { t <- t + 2; ... }
    if (rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1]) {
      rho[t] = (rho[t - 2] + rho[t - 1]) / 2.0;
      rho[t + 1] = rho[t];
    }
  }
  // sum(rho_hat_t[1:max_t]) in R; with max_t == 0 that is 1:0, i.e. just the first element.
  double sum = 0.0;
  const std::size_t terms = max_t == 0 ? 1 : max_t;
  for (std::size_t i = 0; i < terms; ++i) sum += rho[i];
  return -1.0 + 2.0 * sum + rho[max_t];
}

/// posterior's .ess(): multi-chain ESS of the columns as given (split them first for split-ESS).
double ess_core(const Columns& x) {
  const std::size_t n = rows(x);
  if (x.empty() || n < 3 || should_return_na(x)) return nan_value;
  const double nd = static_cast<double>(n);
  std::vector<double> acov_means = autocovariance_sum(x);
  for (double& v : acov_means) v /= static_cast<double>(x.size());
  const double mean_var = acov_means[0] * nd / (nd - 1.0);
  double var_plus = mean_var * (nd - 1.0) / nd;
  if (x.size() > 1) var_plus += rstats::var(column_means(x));

  const double total = static_cast<double>(x.size()) * nd;
  double tau = geyer_tau(acov_means, mean_var, var_plus);
  const double tau_bound = 1.0 / std::log10(total);  // caps ESS at S log10(S)
  if (tau < tau_bound) tau = tau_bound;
  return total / tau;
}

double ess_quantile_columns(const Columns& x, double prob) {
  if (empty(x) || should_return_na(x)) return nan_value;
  const std::vector<double> all = pooled(x);
  if (prob == 1.0) {
    const double len = static_cast<double>(all.size());
    prob = (len - 0.5) / len;
  }
  return ess_core(split_chains(indicator_at_most(x, rstats::quantile7(all, prob))));
}

void check_prob(double prob, const char* where) {
  if (!(prob >= 0.0 && prob <= 1.0)) {
    throw std::invalid_argument(std::string(where) + ": probability must be between 0 and 1");
  }
}

}  // namespace

double rhat(const Chains& x) {
  const Columns draws = to_columns(x);
  if (empty(draws)) return nan_value;
  const double bulk = rhat_core(z_scale(split_chains(draws)));
  const double tail = rhat_core(z_scale(split_chains(fold_draws(draws))));
  return r_max(bulk, tail);
}

double rhat_basic(const Chains& x) { return rhat_core(split_chains(to_columns(x))); }

double ess_bulk(const Chains& x) {
  const Columns draws = to_columns(x);
  if (empty(draws)) return nan_value;
  return ess_core(z_scale(split_chains(draws)));
}

double ess_tail(const Chains& x) {
  const Columns draws = to_columns(x);
  return r_min(ess_quantile_columns(draws, 0.05), ess_quantile_columns(draws, 0.95));
}

double ess_basic(const Chains& x) { return ess_core(split_chains(to_columns(x))); }

double ess_mean(const Chains& x) { return ess_core(split_chains(to_columns(x))); }

double ess_quantile(const Chains& x, double prob) {
  check_prob(prob, "ess_quantile");
  return ess_quantile_columns(to_columns(x), prob);
}

double mcse_mean(const Chains& x) {
  const Columns draws = to_columns(x);
  return rstats::sd(pooled(draws)) / std::sqrt(ess_core(split_chains(draws)));
}

double mcse_quantile(const Chains& x, double prob) {
  check_prob(prob, "mcse_quantile");
  const Columns draws = to_columns(x);
  const double ess = ess_quantile_columns(draws, prob);
  if (std::isnan(ess)) return nan_value;
  // posterior: a <- qbeta(c(0.1586553, 0.8413447), ess * prob + 1, ess * (1 - prob) + 1)
  const double shape1 = ess * prob + 1.0;
  const double shape2 = ess * (1.0 - prob) + 1.0;
  const double a1 = qbeta(0.1586553, shape1, shape2);
  const double a2 = qbeta(0.8413447, shape1, shape2);
  std::vector<double> sorted = pooled(draws);
  std::sort(sorted.begin(), sorted.end());
  const double s = static_cast<double>(sorted.size());
  const double i1 = std::max(std::floor(a1 * s), 1.0);  // 1-based, as in R
  const double i2 = std::min(std::ceil(a2 * s), s);
  return (sorted[static_cast<std::size_t>(i2) - 1] - sorted[static_cast<std::size_t>(i1) - 1]) / 2.0;
}

double quantile(const Chains& x, double prob) {
  check_prob(prob, "quantile");
  std::vector<double> all;
  for (const auto& chain : x) all.insert(all.end(), chain.begin(), chain.end());
  return rstats::quantile7(all, prob);
}

QuantityDiagnostics diagnose(const Chains& x, const std::vector<double>& probs) {
  const Columns draws = to_columns(x);
  for (double p : probs) {
    if (!(p >= 0.0 && p <= 1.0)) throw std::invalid_argument("summarize: probability must be between 0 and 1");
  }
  QuantityDiagnostics out;
  const std::vector<double> all = pooled(draws);
  out.mean = rstats::mean(all);
  out.sd = rstats::sd(all);
  const bool none = empty(draws);
  // The split chains hold every draw unless an odd chain length drops each chain's middle draw; only
  // then do the sorts of the split draws (made for the ranks) not serve the pooled statistics too.
  const bool split_keeps_all = rows(draws) % 2 == 0 || rows(draws) <= 1;

  // Bulk: rank-normalized split draws, shared by ess_bulk and R-hat's bulk part.
  const Columns split = split_chains(draws);
  const std::vector<double> split_pooled = pooled(split);
  // One radix sort of the split draws gives the bulk ranks, the pooled quantiles and (by merging its two
  // runs either side of the median) the folded draws' ranks. NaN draws go the generic way (all NaN).
  const bool ordered = split_pooled.size() < (std::size_t{1} << 32) &&
                       std::none_of(split_pooled.begin(), split_pooled.end(), [](double v) { return std::isnan(v); });
  std::vector<Ranked> order;
  std::vector<double> sorted_split;
  Columns z_bulk;
  if (ordered) {
    order = sorted_order(split_pooled);
    z_bulk = z_scale_ordered(order, split, &sorted_split);
  } else {
    z_bulk = z_scale(split, &sorted_split);
  }
  std::vector<double> sorted_all;
  if (split_keeps_all && sorted_split.size() == all.size() && !all.empty()) {
    sorted_all = std::move(sorted_split);
  } else {
    sorted_all = all;
    std::sort(sorted_all.begin(), sorted_all.end());
  }
  for (double p : probs) out.quantiles.push_back(rstats::quantile7_sorted(sorted_all, p));
  const bool has_nan = std::any_of(all.begin(), all.end(), [](double v) { return std::isnan(v); });

  out.mcse_mean = out.sd / std::sqrt(ess_core(split));
  out.ess_bulk = none ? nan_value : ess_core(z_bulk);

  // Tail: draws folded about the median (which also gives mad), rank-normalized after splitting.
  const double center = has_nan ? nan_value : rstats::median_sorted(sorted_all);
  std::vector<double> sorted_folded;
  Columns z_tail;
  if (ordered && std::isfinite(center)) {
    z_tail = z_scale_ordered(folded_order(order, center), split, &sorted_folded);
  } else {
    z_tail = z_scale(fold_about(split, center), &sorted_folded);
  }
  if (all.empty()) {
    out.mad = nan_value;
  } else if (split_keeps_all && sorted_folded.size() == all.size()) {
    out.mad = 1.4826 * rstats::median_sorted(sorted_folded);
  } else {
    out.mad = 1.4826 * rstats::median(pooled(fold_about(draws, center)));
  }
  out.rhat = none ? nan_value : r_max(rhat_core(z_bulk), rhat_core(z_tail));

  // Tail ESS: indicators at the pooled 5% and 95% quantiles.
  if (none || should_return_na(draws)) {
    out.ess_tail = nan_value;
  } else {
    // Indicators of the split draws are the split indicators of the draws.
    const double lower = ess_core(indicator_at_most(split, rstats::quantile7_sorted(sorted_all, 0.05)));
    const double upper = ess_core(indicator_at_most(split, rstats::quantile7_sorted(sorted_all, 0.95)));
    out.ess_tail = r_min(lower, upper);
  }
  return out;
}

double ebfmi(std::span<const double> energy) {
  if (energy.size() < 2) return nan_value;
  const double center = rstats::mean(energy);
  double squared_steps = 0.0;
  double squared_deviations = 0.0;
  for (std::size_t i = 0; i < energy.size(); ++i) {
    squared_deviations += (energy[i] - center) * (energy[i] - center);
    if (i > 0) squared_steps += (energy[i] - energy[i - 1]) * (energy[i] - energy[i - 1]);
  }
  return squared_steps / squared_deviations;
}

}  // namespace mcmc::diag

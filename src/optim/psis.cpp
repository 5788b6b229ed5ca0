// Pareto-smoothed importance sampling (Vehtari, Simpson, Gelman, Yao, Gabry 2024): smoothed log weights and k-hat.
#include "optim/psis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace mcmc::optim {

namespace {

double log_sum_exp(const std::vector<double>& v) {
  double m = -std::numeric_limits<double>::infinity();
  for (double x : v) m = std::max(m, x);
  if (!std::isfinite(m)) return m;
  double s = 0;
  for (double x : v) s += std::exp(x - m);
  return m + std::log(s);
}

/// Quantile p of the generalized Pareto with location 0, shape k, scale sigma.
double gpd_quantile(double p, double k, double sigma) {
  if (std::fabs(k) < 1e-12) return -sigma * std::log1p(-p);
  return sigma * std::expm1(-k * std::log1p(-p)) / k;
}

}  // namespace

void gpd_fit(std::vector<double> x, double& k, double& sigma) {
  std::sort(x.begin(), x.end());
  const std::size_t n = x.size();
  const double prior = 3;
  const std::size_t m = 30 + static_cast<std::size_t>(std::floor(std::sqrt(static_cast<double>(n))));
  const double xstar = x[static_cast<std::size_t>(std::floor(static_cast<double>(n) / 4 + 0.5)) - 1];  // first quartile
  std::vector<double> theta(m), l_theta(m);
  for (std::size_t j = 0; j < m; ++j) {
    theta[j] = 1 / x[n - 1] + (1 - std::sqrt(static_cast<double>(m) / (static_cast<double>(j) + 0.5))) / prior / xstar;
    // the profile log-likelihood of theta
    const double a = -theta[j];
    double kk = 0;
    for (double xi : x) kk += std::log1p(a * xi);
    kk /= static_cast<double>(n);
    l_theta[j] = static_cast<double>(n) * (std::log(a / kk) - kk - 1);
  }
  const double lse = log_sum_exp(l_theta);
  double theta_hat = 0;
  for (std::size_t j = 0; j < m; ++j) {
    const double w = std::exp(l_theta[j] - lse);
    if (std::isfinite(w)) theta_hat += theta[j] * w;
  }
  k = 0;
  for (double xi : x) k += std::log1p(-theta_hat * xi);
  k /= static_cast<double>(n);
  sigma = -k / theta_hat;
  k = (k * static_cast<double>(n) + 0.5 * 10) / (static_cast<double>(n) + 10);  // loo's weakly informative prior
  if (std::isnan(k)) k = std::numeric_limits<double>::infinity();
}

PsisResult psis(const std::vector<double>& log_ratios) {
  PsisResult r;
  const double ninf = -std::numeric_limits<double>::infinity();
  r.log_weights.assign(log_ratios.size(), ninf);
  std::vector<std::size_t> finite;
  double top = ninf;
  for (std::size_t i = 0; i < log_ratios.size(); ++i)
    if (std::isfinite(log_ratios[i])) {
      finite.push_back(i);
      top = std::max(top, log_ratios[i]);
    }
  r.k_hat = std::numeric_limits<double>::quiet_NaN();
  if (finite.empty()) return r;
  for (std::size_t i : finite) r.log_weights[i] = log_ratios[i] - top;
  const double s = static_cast<double>(finite.size());
  const std::size_t tail = static_cast<std::size_t>(std::ceil(std::min(0.2 * s, 3 * std::sqrt(s))));
  if (tail >= 5 && tail < finite.size()) {
    std::sort(finite.begin(), finite.end(),
              [&](std::size_t a, std::size_t b) { return r.log_weights[a] < r.log_weights[b]; });
    const std::size_t first = finite.size() - tail;  // the tail: finite[first..]
    const double cutoff = r.log_weights[finite[first - 1]];
    const double exp_cutoff = std::exp(cutoff);
    std::vector<double> x;
    for (std::size_t j = first; j < finite.size(); ++j) x.push_back(std::exp(r.log_weights[finite[j]]) - exp_cutoff);
    if (x.back() > x.front()) {
      double k = 0, sigma = 0;
      gpd_fit(x, k, sigma);
      r.k_hat = k;
      if (std::isfinite(k)) {
        for (std::size_t j = 0; j < tail; ++j) {
          const double p = (static_cast<double>(j) + 0.5) / static_cast<double>(tail);
          r.log_weights[finite[first + j]] = std::min(0.0, std::log(gpd_quantile(p, k, sigma) + exp_cutoff));
        }
      }
    }
  }
  const double lse = log_sum_exp(r.log_weights);
  for (double& w : r.log_weights) w -= lse;
  return r;
}

}  // namespace mcmc::optim

// The `_rng` variates: moments, frequencies and CDF points within Monte Carlo error; support; checks.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <numbers>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "graph/distributions.hpp"
#include "model/random_variates.hpp"

using mcmc::graph::Dist;
using mcmc::model::categorical_variate;
using mcmc::model::random_variate;
using mcmc::sampler::Rng;

namespace {

constexpr int kDraws = 100000;
constexpr double kZ = 5.0;  // tolerance in Monte Carlo standard errors

std::vector<double> sample(Dist d, std::vector<double> params, int n = kDraws,
                           std::uint64_t seed = 20240611) {
  Rng rng(seed, static_cast<std::uint64_t>(d));
  std::vector<double> x(n);
  for (auto& xi : x) xi = random_variate(d, params, rng);
  return x;
}

double draw_once(Dist d, std::vector<double> params) {
  Rng rng(1, 1);
  return random_variate(d, params, rng);
}

// Exact mean, variance and fourth central moment of a distribution.
struct Moments {
  double mean, var, mu4;
};

// From the raw moments E[X], E[X^2], E[X^3], E[X^4].
Moments from_raw(double m1, double m2, double m3, double m4) {
  return {m1, m2 - m1 * m1, m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 * m1 * m1 * m1};
}

// From the variance and the excess kurtosis.
Moments from_kurtosis(double mean, double var, double excess) {
  return {mean, var, var * var * (3 + excess)};
}

// Sample mean within kZ standard errors sqrt(var / n); sample variance within kZ standard errors
// sqrt((mu4 - var^2) / n), the asymptotic standard deviation of the sample variance.
void check_moments(const std::vector<double>& x, Moments m) {
  const double n = static_cast<double>(x.size());
  double sum = 0;
  for (double xi : x) sum += xi;
  const double mean = sum / n;
  double ss = 0;
  for (double xi : x) ss += (xi - mean) * (xi - mean);
  const double var = ss / (n - 1);
  const double se_mean = std::sqrt(m.var / n);
  const double se_var = std::sqrt((m.mu4 - m.var * m.var) / n);
  INFO("mean " << mean << " vs " << m.mean << " (se " << se_mean << "), var " << var << " vs "
               << m.var << " (se " << se_var << ")");
  CHECK(std::fabs(mean - m.mean) < kZ * se_mean);
  CHECK(std::fabs(var - m.var) < kZ * se_var);
}

// The fraction of draws <= q matches the exact CDF value within kZ binomial standard errors.
void check_cdf(const std::vector<double>& x, double q, double cdf) {
  const double n = static_cast<double>(x.size());
  double below = 0;
  for (double xi : x) below += xi <= q;
  INFO("P(X <= " << q << "): " << below / n << " vs " << cdf);
  CHECK(std::fabs(below / n - cdf) < kZ * std::sqrt(cdf * (1 - cdf) / n) + 1e-12);
}

// Every draw is an integer in [lo, hi].
void check_integers(const std::vector<double>& x, double lo, double hi) {
  int bad = 0;
  for (double xi : x) bad += !(xi == std::floor(xi) && xi >= lo && xi <= hi);
  CHECK(bad == 0);
}

// Every draw lies in [lo, hi] (and so is not NaN).
void check_range(const std::vector<double>& x, double lo, double hi) {
  int bad = 0;
  for (double xi : x) bad += !(xi >= lo && xi <= hi);
  CHECK(bad == 0);
}

// Frequencies against the pmf: each value k in [0, kmax] expected at least 10 times is its own
// cell; everything else (rare values and values beyond kmax) is pooled into one cell. Each cell's
// count is within kZ binomial standard errors of its expectation (plus 3 counts of slack, which
// only matters when the pooled cell expects almost nothing and the normal approximation fails).
// At 5 standard errors a false alarm over ~100 cells has probability below 1e-4 (and the seed is
// fixed anyway).
void check_pmf(const std::vector<double>& x, int kmax, const std::function<double(int)>& log_pmf) {
  const double n = static_cast<double>(x.size());
  std::vector<double> count(kmax + 1, 0);
  double rest_count = 0;
  for (double xi : x) {
    if (xi >= 0 && xi <= kmax) count[static_cast<int>(xi)] += 1;
  }
  auto check_cell = [&](double observed, double p) {
    CHECK(std::fabs(observed - n * p) < kZ * std::sqrt(n * p * (1 - p)) + 3.0);
  };
  double in_cells = 0, cell_mass = 0;
  for (int k = 0; k <= kmax; ++k) {
    const double p = std::exp(log_pmf(k));
    if (n * p < 10) continue;
    INFO("k = " << k << ": " << count[k] << " vs " << n * p);
    check_cell(count[k], p);
    in_cells += count[k];
    cell_mass += p;
  }
  rest_count = n - in_cells;
  const double rest = std::max(0.0, 1 - cell_mass);
  INFO("pooled rare values: " << rest_count << " vs " << n * rest);
  check_cell(rest_count, rest);
}

double lchoose(double n, double k) {
  return std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1);
}
double lbeta(double a, double b) { return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b); }

double binomial_lpmf(int k, int n, double p) {
  return lchoose(n, k) + k * std::log(p) + (n - k) * std::log1p(-p);
}
double poisson_lpmf(int k, double lambda) {
  return k * std::log(lambda) - lambda - std::lgamma(k + 1.0);
}
double neg_binomial_2_lpmf(int k, double mu, double phi) {
  return lchoose(k + phi - 1, k) + k * std::log(mu / (mu + phi)) + phi * std::log(phi / (mu + phi));
}
double beta_binomial_lpmf(int k, int n, double a, double b) {
  return lchoose(n, k) + lbeta(k + a, n - k + b) - lbeta(a, b);
}

// Exact moments of a distribution on {0..kmax} from its pmf.
Moments moments_from_pmf(int kmax, const std::function<double(int)>& log_pmf) {
  double m[5] = {0, 0, 0, 0, 0};
  for (int k = 0; k <= kmax; ++k) {
    const double p = std::exp(log_pmf(k));
    for (int j = 1; j <= 4; ++j) m[j] += p * std::pow(k, j);
  }
  return from_raw(m[1], m[2], m[3], m[4]);
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }

}  // namespace

TEST_CASE("normal, std_normal and lognormal") {
  const auto x = sample(Dist::Normal, {1.0, 2.0});
  check_moments(x, {1.0, 4.0, 3 * 16.0});
  check_cdf(x, -1.0, normal_cdf(-1.0));
  check_cdf(x, 4.0, normal_cdf(1.5));
  check_moments(sample(Dist::StdNormal, {}), {0.0, 1.0, 3.0});

  // E[X^k] = exp(k mu + k^2 sigma^2 / 2)
  const double mu = 0.3, s = 0.5;
  auto raw = [&](int k) { return std::exp(k * mu + k * k * s * s / 2); };
  const auto y = sample(Dist::Lognormal, {mu, s});
  check_moments(y, from_raw(raw(1), raw(2), raw(3), raw(4)));
  check_range(y, 0, INFINITY);
  check_cdf(y, std::exp(mu), 0.5);
}

TEST_CASE("student_t and cauchy") {
  // nu = 10: variance sigma^2 nu / (nu - 2), excess kurtosis 6 / (nu - 4).
  const auto x = sample(Dist::StudentT, {10.0, 1.0, 2.0});
  check_moments(x, from_kurtosis(1.0, 4.0 * 10 / 8, 6.0 / 6));
  check_cdf(x, 1.0, 0.5);
  // nu = 1 is a Cauchy: P(X <= mu + sigma) = 3/4.
  check_cdf(sample(Dist::StudentT, {1.0, 1.0, 2.0}), 3.0, 0.75);

  // Cauchy has no moments: check quantiles, F(x) = 1/2 + atan((x - mu) / sigma) / pi.
  const auto c = sample(Dist::Cauchy, {1.0, 2.0});
  for (double q : {-5.0, 0.0, 1.0, 3.0, 10.0})
    check_cdf(c, q, 0.5 + std::atan((q - 1.0) / 2.0) / std::numbers::pi);
}

TEST_CASE("double_exponential and logistic") {
  // Laplace: variance 2 sigma^2, excess kurtosis 3.
  const auto x = sample(Dist::DoubleExponential, {-1.0, 0.5});
  check_moments(x, from_kurtosis(-1.0, 2 * 0.25, 3.0));
  check_cdf(x, -1.5, 0.5 * std::exp(-1.0));
  // Logistic: variance sigma^2 pi^2 / 3, excess kurtosis 6/5.
  const auto y = sample(Dist::Logistic, {2.0, 1.5});
  check_moments(y, from_kurtosis(2.0, 2.25 * std::numbers::pi * std::numbers::pi / 3, 1.2));
  check_cdf(y, 3.0, 1 / (1 + std::exp(-1.0 / 1.5)));
}

TEST_CASE("gumbel") {
  // Gumbel(mu, beta): mean mu + beta * Euler's gamma, variance pi^2 beta^2 / 6, excess kurtosis 12/5;
  // F(x) = exp(-exp(-(x - mu) / beta)).
  const auto x = sample(Dist::Gumbel, {1.0, 2.0});
  check_moments(x, from_kurtosis(1.0 + 2.0 * 0.57721566490153286, std::numbers::pi * std::numbers::pi * 4 / 6, 2.4));
  check_cdf(x, 0.0, std::exp(-std::exp(0.5)));
  check_cdf(x, 4.0, std::exp(-std::exp(-1.5)));
}

TEST_CASE("rayleigh and pareto") {
  // Rayleigh(sigma): mean sigma sqrt(pi / 2), variance (4 - pi) / 2 sigma^2, excess kurtosis
  // -(6 pi^2 - 24 pi + 16) / (4 - pi)^2; F(x) = 1 - exp(-x^2 / (2 sigma^2)).
  const double pi = std::numbers::pi;
  const auto r = sample(Dist::Rayleigh, {1.5});
  check_moments(r, from_kurtosis(1.5 * std::sqrt(pi / 2), (4 - pi) / 2 * 2.25,
                                 -(6 * pi * pi - 24 * pi + 16) / ((4 - pi) * (4 - pi))));
  check_cdf(r, 1.0, 1 - std::exp(-1.0 / 4.5));
  // Pareto(y_min, alpha): F(x) = 1 - (y_min / x)^alpha for x >= y_min.
  const auto p = sample(Dist::Pareto, {1.2, 2.3});
  for (double q : {1.3, 2.0, 5.0}) check_cdf(p, q, 1 - std::pow(1.2 / q, 2.3));
  for (double v : p) REQUIRE(v >= 1.2);
}

TEST_CASE("exponential, gamma, inv_gamma, chi_square, weibull") {
  const auto e = sample(Dist::Exponential, {2.5});
  check_moments(e, from_kurtosis(0.4, 0.16, 6.0));
  check_range(e, 0, INFINITY);
  check_cdf(e, 0.5, 1 - std::exp(-1.25));

  // Gamma(alpha, beta): mean alpha / beta, variance alpha / beta^2, excess kurtosis 6 / alpha.
  for (const auto& ab : {std::pair{2.5, 2.0}, {1.0, 1.0}, {0.3, 1.5}, {40.0, 0.5}}) {
    const double alpha = ab.first, beta = ab.second;  // (clang 14 cannot capture structured bindings)
    INFO("gamma(" << alpha << ", " << beta << ")");
    const auto g = sample(Dist::Gamma, {alpha, beta});
    check_moments(g, from_kurtosis(alpha / beta, alpha / (beta * beta), 6 / alpha));
    check_range(g, 0, INFINITY);
  }
  // alpha = 1 is exponential(beta): P(X <= 1) = 1 - e^-1.
  check_cdf(sample(Dist::Gamma, {1.0, 1.0}), 1.0, 1 - std::exp(-1.0));
  // Very small shapes stay in [0, inf) instead of producing NaN.
  check_range(sample(Dist::Gamma, {1e-3, 1.0}, 10000), 0, INFINITY);

  // InvGamma(alpha, beta): E[X^k] = beta^k Gamma(alpha - k) / Gamma(alpha) for alpha > k.
  const double a = 6, b = 2;
  auto ig_raw = [&](int k) { return std::pow(b, k) * std::exp(std::lgamma(a - k) - std::lgamma(a)); };
  check_moments(sample(Dist::InvGamma, {a, b}), from_raw(ig_raw(1), ig_raw(2), ig_raw(3), ig_raw(4)));

  // ChiSquare(nu): mean nu, variance 2 nu, excess kurtosis 12 / nu.
  check_moments(sample(Dist::ChiSquare, {5.0}), from_kurtosis(5.0, 10.0, 12.0 / 5));

  // Weibull(alpha, sigma): E[X^k] = sigma^k Gamma(1 + k / alpha); F(x) = 1 - exp(-(x/sigma)^alpha).
  const double wa = 1.7, ws = 2.0;
  auto w_raw = [&](int k) { return std::pow(ws, k) * std::tgamma(1 + k / wa); };
  const auto w = sample(Dist::Weibull, {wa, ws});
  check_moments(w, from_raw(w_raw(1), w_raw(2), w_raw(3), w_raw(4)));
  check_cdf(w, 1.0, 1 - std::exp(-std::pow(0.5, wa)));
}

TEST_CASE("beta and uniform") {
  // Beta(a, b): E[X^k] = prod_{r<k} (a + r) / (a + b + r).
  for (const auto& ab : {std::pair{2.0, 3.0}, {0.5, 0.5}, {0.05, 0.2}, {200.0, 100.0}}) {
    const double a = ab.first, b = ab.second;
    INFO("beta(" << a << ", " << b << ")");
    auto raw = [&](int k) {
      double m = 1;
      for (int r = 0; r < k; ++r) m *= (a + r) / (a + b + r);
      return m;
    };
    const auto x = sample(Dist::Beta, {a, b});
    check_range(x, 0, 1);
    check_moments(x, from_raw(raw(1), raw(2), raw(3), raw(4)));
  }
  // Beta(1/2, 1/2) is the arcsine law: F(x) = 2 asin(sqrt(x)) / pi.
  const auto arc = sample(Dist::Beta, {0.5, 0.5});
  for (double q : {0.01, 0.2, 0.5, 0.9})
    check_cdf(arc, q, 2 * std::asin(std::sqrt(q)) / std::numbers::pi);
  // Both shapes tiny: draws pile at 0 and 1 but are never NaN; P(X > 1/2) -> a / (a + b).
  const auto tiny = sample(Dist::Beta, {1e-3, 3e-3});
  check_range(tiny, 0, 1);
  check_cdf(tiny, 0.5, 0.75);

  // Uniform(a, b): variance (b - a)^2 / 12, excess kurtosis -6/5.
  const auto u = sample(Dist::Uniform, {-1.0, 3.0});
  check_range(u, -1, 3);
  check_moments(u, from_kurtosis(1.0, 16.0 / 12, -1.2));
  check_cdf(u, 0.0, 0.25);
}

TEST_CASE("poisson and poisson_log") {
  // Poisson: mean = variance = lambda, fourth central moment lambda (1 + 3 lambda).
  for (double lambda : {0.5, 3.0, 9.5, 10.0, 50.0, 1e6}) {
    INFO("poisson(" << lambda << ")");
    const auto x = sample(Dist::Poisson, {lambda});
    check_integers(x, 0, INFINITY);
    check_moments(x, {lambda, lambda, lambda * (1 + 3 * lambda)});
    if (lambda <= 50) {
      const int kmax = static_cast<int>(lambda + 8 * std::sqrt(lambda) + 10);
      check_pmf(x, kmax, [&](int k) { return poisson_lpmf(k, lambda); });
    }
  }
  CHECK(draw_once(Dist::Poisson, {0.0}) == 0);
  // Near Stan's limit 2^30 the draws are still integers near lambda.
  const auto big = sample(Dist::Poisson, {1e9}, 2000);
  check_integers(big, 0, INFINITY);
  check_moments(big, {1e9, 1e9, 1e9 * (1 + 3e9)});

  const auto y = sample(Dist::PoissonLog, {std::log(20.0)});
  check_integers(y, 0, INFINITY);
  check_pmf(y, 60, [](int k) { return poisson_lpmf(k, 20.0); });
}

TEST_CASE("binomial and binomial_logit") {
  // Both algorithms (inversion for N min(p, 1-p) < 10, BTRS above) and the p > 1/2 reflection.
  struct Case {
    int n;
    double p;
  };
  for (Case c : {Case{1, 0.3}, {20, 0.3}, {30, 0.333}, {40, 0.25}, {200, 0.3}, {1000, 0.9},
                 {100000, 0.02}, {15, 0.97}}) {
    INFO("binomial(" << c.n << ", " << c.p << ")");
    const auto x = sample(Dist::Binomial, {double(c.n), c.p});
    check_integers(x, 0, c.n);
    auto lpmf = [&](int k) { return binomial_lpmf(k, c.n, c.p); };
    const double npq = c.n * c.p * (1 - c.p);
    // Fourth central moment: N p q (1 + 3 (N - 2) p q).
    check_moments(x, {c.n * c.p, npq, npq * (1 + 3 * (c.n - 2) * c.p * (1 - c.p))});
    if (c.n <= 1000) check_pmf(x, c.n, lpmf);
  }
  CHECK(draw_once(Dist::Binomial, {0.0, 0.5}) == 0);
  CHECK(draw_once(Dist::Binomial, {10.0, 1.0}) == 10);
  CHECK(draw_once(Dist::Binomial, {10.0, 0.0}) == 0);
  const auto big = sample(Dist::Binomial, {2147483647.0, 0.4}, 2000);
  check_integers(big, 0, 2147483647.0);
  const double bn = 2147483647.0, bv = bn * 0.24;
  check_moments(big, {bn * 0.4, bv, bv * (1 + 3 * (bn - 2) * 0.24)});

  const double p = 1 / (1 + std::exp(0.5));  // inv_logit(-0.5)
  const auto y = sample(Dist::BinomialLogit, {50.0, -0.5});
  check_integers(y, 0, 50);
  check_pmf(y, 50, [&](int k) { return binomial_lpmf(k, 50, p); });
  // A large logit keeps its precision through q = inv_logit(-alpha): almost always N.
  const auto z = sample(Dist::BinomialLogit, {100.0, 40.0}, 1000);
  check_integers(z, 100, 100);
}

TEST_CASE("bernoulli and bernoulli_logit") {
  const auto x = sample(Dist::Bernoulli, {0.3});
  check_integers(x, 0, 1);
  // Fourth central moment p q (1 - 3 p q).
  check_moments(x, {0.3, 0.21, 0.21 * (1 - 3 * 0.21)});
  const double p = 1 / (1 + std::exp(-1.2));
  const auto y = sample(Dist::BernoulliLogit, {1.2});
  check_integers(y, 0, 1);
  check_moments(y, {p, p * (1 - p), p * (1 - p) * (1 - 3 * p * (1 - p))});
  CHECK(draw_once(Dist::Bernoulli, {0.0}) == 0);
  CHECK(draw_once(Dist::Bernoulli, {1.0}) == 1);
}

TEST_CASE("neg_binomial_2, neg_binomial_2_log and beta_binomial") {
  // NB2(mu, phi): variance mu + mu^2 / phi; as NB(r = phi, p = phi / (mu + phi)) its excess
  // kurtosis is 6 / r + p^2 / (r (1 - p)).
  auto nb_moments = [](double mu, double phi) {
    const double p = phi / (mu + phi);
    return from_kurtosis(mu, mu + mu * mu / phi, 6 / phi + p * p / (phi * (1 - p)));
  };
  for (const auto& mp : {std::pair{4.0, 2.5}, {30.0, 0.7}, {0.5, 50.0}}) {
    const double mu = mp.first, phi = mp.second;
    INFO("neg_binomial_2(" << mu << ", " << phi << ")");
    const auto x = sample(Dist::NegBinomial2, {mu, phi});
    check_integers(x, 0, INFINITY);
    check_moments(x, nb_moments(mu, phi));
    check_pmf(x, 40, [&](int k) { return neg_binomial_2_lpmf(k, mu, phi); });
  }
  const auto y = sample(Dist::NegBinomial2Log, {std::log(4.0), 2.5});
  check_integers(y, 0, INFINITY);
  check_moments(y, nb_moments(4.0, 2.5));

  for (const auto& nab : {std::tuple{10, 2.0, 3.0}, {25, 0.3, 0.6}, {1000, 5.0, 1.0}}) {
    const int n = std::get<0>(nab);
    const double a = std::get<1>(nab), b = std::get<2>(nab);
    INFO("beta_binomial(" << n << ", " << a << ", " << b << ")");
    auto lpmf = [&](int k) { return beta_binomial_lpmf(k, n, a, b); };
    const auto z = sample(Dist::BetaBinomial, {double(n), a, b});
    check_integers(z, 0, n);
    check_moments(z, moments_from_pmf(n, lpmf));
    if (n <= 25) check_pmf(z, n, lpmf);
  }
}

TEST_CASE("categorical") {
  const std::vector<double> theta = {0.2, 0.0, 0.5, 0.3};
  Rng rng(5, 0);
  std::vector<double> count(5, 0);
  for (int i = 0; i < kDraws; ++i) {
    const int k = categorical_variate(theta, rng);
    REQUIRE(k >= 1);
    REQUIRE(k <= 4);
    count[k] += 1;
  }
  CHECK(count[2] == 0);
  for (int k = 1; k <= 4; ++k) {
    const double p = theta[k - 1];
    INFO("category " << k);
    CHECK(std::fabs(count[k] - kDraws * p) < kZ * std::sqrt(kDraws * p * (1 - p)) + 1e-9);
  }
  const std::vector<double> one = {1.0};
  CHECK(categorical_variate(one, rng) == 1);
  const std::vector<double> bad_sum = {0.5, 0.6}, negative = {1.5, -0.5}, empty = {};
  CHECK_THROWS_AS(categorical_variate(bad_sum, rng), std::domain_error);
  CHECK_THROWS_AS(categorical_variate(negative, rng), std::domain_error);
  CHECK_THROWS_AS(categorical_variate(empty, rng), std::domain_error);
}

TEST_CASE("the same seed gives the same draws") {
  const auto a = sample(Dist::Gamma, {0.7, 1.0}, 1000, 99);
  const auto b = sample(Dist::Gamma, {0.7, 1.0}, 1000, 99);
  const auto c = sample(Dist::Gamma, {0.7, 1.0}, 1000, 100);
  CHECK(a == b);
  CHECK(a != c);
}

TEST_CASE("invalid parameters throw domain_error with Stan's wording") {
  const double inf = INFINITY, nan = NAN;
  struct Bad {
    Dist d;
    std::vector<double> params;
  };
  const std::vector<Bad> bad = {
      {Dist::Normal, {0, -1}},         {Dist::Normal, {inf, 1}},
      {Dist::Normal, {0, nan}},        {Dist::StudentT, {0, 0, 1}},
      {Dist::StudentT, {1, 0, 0}},     {Dist::Cauchy, {nan, 1}},
      {Dist::Cauchy, {0, inf}},        {Dist::DoubleExponential, {0, 0}},
      {Dist::Logistic, {0, -2}},       {Dist::Lognormal, {-inf, 1}},
      {Dist::Exponential, {0}},        {Dist::Exponential, {inf}},
      {Dist::Gamma, {-1, 1}},          {Dist::Gamma, {1, 0}},
      {Dist::InvGamma, {1, -1}},       {Dist::Weibull, {0, 1}},
      {Dist::ChiSquare, {-3}},         {Dist::Beta, {0, 1}},
      {Dist::Beta, {1, inf}},          {Dist::Uniform, {1, 1}},
      {Dist::Uniform, {2, 1}},         {Dist::Uniform, {0, inf}},
      {Dist::Poisson, {-1}},           {Dist::Poisson, {nan}},
      {Dist::Poisson, {1073741824.0}}, {Dist::PoissonLog, {21}},
      {Dist::PoissonLog, {nan}},       {Dist::Binomial, {-1, 0.5}},
      {Dist::Binomial, {2.5, 0.5}},    {Dist::Binomial, {10, 1.5}},
      {Dist::Binomial, {10, -0.1}},    {Dist::Binomial, {10, nan}},
      {Dist::BinomialLogit, {-2, 0}},  {Dist::BinomialLogit, {5, inf}},
      {Dist::Bernoulli, {2}},          {Dist::BernoulliLogit, {nan}},
      {Dist::NegBinomial2, {0, 1}},    {Dist::NegBinomial2, {1, -1}},
      {Dist::NegBinomial2, {1e12, 1e3}},  // the gamma rate exceeds 2^30
      {Dist::NegBinomial2Log, {inf, 1}}, {Dist::NegBinomial2Log, {0, 0}},
      {Dist::BetaBinomial, {-1, 1, 1}}, {Dist::BetaBinomial, {3, 0, 1}},
      {Dist::BetaBinomial, {3, 1, -1}},
  };
  Rng rng(3, 3);
  for (const Bad& b : bad) {
    INFO(mcmc::graph::dist_info(b.d).name << " with " << b.params[0]);
    CHECK_THROWS_AS(random_variate(b.d, b.params, rng), std::domain_error);
  }
  try {
    random_variate(Dist::Normal, std::vector<double>{0, -1}, rng);
    FAIL("no throw");
  } catch (const std::domain_error& e) {
    CHECK(std::string(e.what()) == "normal_rng: Scale parameter is -1, but must be positive finite!");
  }
  // The wrong number of arguments is a programming error, not a domain error.
  CHECK_THROWS_AS(random_variate(Dist::Normal, std::vector<double>{0}, rng), std::logic_error);
}

namespace {
// The fraction of draws below q against the graph's cdf (itself checked against R in
// tests/graph/distributions_more_test.cpp).
double cdf_of(Dist d, std::vector<double> x) {
  double g[8];
  return std::exp(mcmc::graph::dist_term(d, mcmc::graph::DistKind::Lcdf, x.data(), g, 0, false));
}
void check_cdfs(Dist d, const std::vector<double>& params, const std::vector<double>& qs) {
  const auto x = sample(d, params);
  for (double q : qs) {
    std::vector<double> at = {q};
    at.insert(at.end(), params.begin(), params.end());
    check_cdf(x, q, cdf_of(d, at));
  }
}
double lpmf_of(Dist d, std::vector<double> x) {
  double g[8];
  return mcmc::graph::dist_term(d, mcmc::graph::DistKind::Lpdf, x.data(), g, 0, false);
}
}  // namespace

TEST_CASE("skew_normal, exp_mod_normal, frechet, pareto_type_2, beta_proportion, loglogistic, (scaled_)inv_chi_square: cdf points") {
  check_cdfs(Dist::SkewNormal, {0.2, 1.3, 2.5}, {-0.5, 0.5, 1.5, 3.0});
  check_cdfs(Dist::SkewNormal, {0.2, 1.3, -1.5}, {-2.0, -0.5, 0.5});
  check_cdfs(Dist::ExpModNormal, {0.4, 0.8, 1.7}, {-0.5, 0.5, 1.2, 2.5});
  check_cdfs(Dist::Frechet, {2.3, 1.4}, {0.8, 1.6, 3.0});
  check_cdfs(Dist::ParetoType2, {0.5, 1.5, 2.8}, {0.7, 1.5, 3.0});
  check_cdfs(Dist::BetaProportion, {0.4, 6.0}, {0.2, 0.35, 0.6});
  check_cdfs(Dist::Loglogistic, {1.3, 2.7}, {0.5, 1.3, 2.5});
  check_cdfs(Dist::ScaledInvChiSquare, {3.5, 0.7}, {0.2, 0.5, 1.5});
  check_cdfs(Dist::InvChiSquare, {3.5}, {0.1, 0.3, 0.8});
}

TEST_CASE("von_mises: E cos(y - mu) = I1(kappa) / I0(kappa), draws within mu +- pi") {
  const auto x = sample(Dist::VonMises, {0.3, 2.2});
  check_range(x, 0.3 - std::numbers::pi, 0.3 + std::numbers::pi);
  std::vector<double> c;
  for (double xi : x) c.push_back(std::cos(xi - 0.3));
  // R: besselI(2.2, 1) / besselI(2.2, 0)
  const double m = 0.72802991313650967;
  double ss = 0;
  for (double v : c) ss += v * v;
  double mean = 0;
  for (double v : c) mean += v;
  mean /= static_cast<double>(c.size());
  const double sd = std::sqrt(ss / static_cast<double>(c.size()) - mean * mean);
  CHECK(std::fabs(mean - m) < kZ * sd / std::sqrt(static_cast<double>(c.size())));
}

TEST_CASE("neg_binomial, discrete_range and hypergeometric: frequencies against the pmf") {
  const auto nb = sample(Dist::NegBinomial, {2.2, 0.6});
  check_integers(nb, 0, 1e9);
  check_pmf(nb, 60, [](int k) { return lpmf_of(Dist::NegBinomial, {double(k), 2.2, 0.6}); });
  const auto dr = sample(Dist::DiscreteRange, {-2, 3});
  check_integers(dr, -2, 3);
  const auto shifted = [&] { std::vector<double> s; for (double v : dr) s.push_back(v + 2); return s; }();
  check_pmf(shifted, 5, [](int k) { return lpmf_of(Dist::DiscreteRange, {double(k - 2), -2, 3}); });
  const auto hg = sample(Dist::Hypergeometric, {5, 4, 6});
  check_integers(hg, 0, 4);
  check_pmf(hg, 5, [](int k) { return lpmf_of(Dist::Hypergeometric, {double(k), 5, 4, 6}); });
  CHECK_THROWS_AS(draw_once(Dist::Hypergeometric, {11, 4, 6}), std::domain_error);
  CHECK_THROWS_AS(draw_once(Dist::DiscreteRange, {3, 2}), std::domain_error);
}

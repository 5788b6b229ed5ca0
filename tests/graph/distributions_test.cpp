// Distribution terms: full log densities against closed forms, Stan's propto dropping rules, and partials by finite differences.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "graph/distributions.hpp"

using mcmc::graph::Dist;
using mcmc::graph::dist_info;
using mcmc::graph::dist_term;
using mcmc::graph::DistKind;

namespace {

constexpr double kPi = std::numbers::pi;
const double kLog2Pi = std::log(2 * kPi);

// Full log density (no dropping) at x.
double full(Dist d, std::vector<double> x, DistKind kind = DistKind::Lpdf) {
  double g[8];
  return dist_term(d, kind, x.data(), g, (1u << x.size()) - 1, false);
}

double lchoose(double n, double k) { return std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1); }
double lbeta(double a, double b) { return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b); }
double Phi(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

struct Case {
  Dist d;
  std::vector<double> x;
  std::vector<bool> continuous;  // which arguments are differentiable
};

// One point per distribution, every continuous argument treated as a parameter.
const std::vector<Case>& lpdf_cases() {
  static const std::vector<Case> cases = {
      {Dist::Normal, {0.7, -0.4, 1.3}, {true, true, true}},
      {Dist::StdNormal, {-1.1}, {true}},
      {Dist::StudentT, {0.9, 3.5, -0.2, 1.7}, {true, true, true, true}},
      {Dist::Cauchy, {2.1, 0.3, 0.8}, {true, true, true}},
      {Dist::DoubleExponential, {1.4, 0.2, 0.9}, {true, true, true}},
      {Dist::Logistic, {-0.6, 0.5, 1.2}, {true, true, true}},
      {Dist::Lognormal, {2.3, 0.4, 0.7}, {true, true, true}},
      {Dist::Exponential, {0.8, 1.7}, {true, true}},
      {Dist::Gamma, {1.9, 2.4, 1.3}, {true, true, true}},
      {Dist::InvGamma, {0.9, 2.4, 1.3}, {true, true, true}},
      {Dist::Weibull, {1.6, 1.8, 2.2}, {true, true, true}},
      {Dist::ChiSquare, {2.7, 3.3}, {true, true}},
      {Dist::Beta, {0.35, 2.2, 3.1}, {true, true, true}},
      {Dist::Uniform, {0.4, -1.2, 2.5}, {true, true, true}},
      {Dist::Poisson, {4, 3.2}, {false, true}},
      {Dist::PoissonLog, {4, 1.1}, {false, true}},
      {Dist::Binomial, {3, 10, 0.37}, {false, false, true}},
      {Dist::BinomialLogit, {3, 10, -0.6}, {false, false, true}},
      {Dist::Bernoulli, {1, 0.3}, {false, true}},
      {Dist::Bernoulli, {0, 0.3}, {false, true}},
      {Dist::BernoulliLogit, {1, 0.8}, {false, true}},
      {Dist::BernoulliLogit, {0, 0.8}, {false, true}},
      {Dist::NegBinomial2, {5, 3.5, 2.2}, {false, true, true}},
      {Dist::NegBinomial2Log, {5, 1.3, 2.2}, {false, true, true}},
      {Dist::BetaBinomial, {4, 12, 2.5, 3.5}, {false, false, true, true}},
      {Dist::Gumbel, {1.4, 0.3, 0.8}, {true, true, true}},
      {Dist::Rayleigh, {1.3, 0.9}, {true, true}},
      {Dist::Pareto, {2.5, 1.2, 2.3}, {true, true, true}},
  };
  return cases;
}

void check_partials(Dist d, DistKind kind, const std::vector<double>& x0, const std::vector<bool>& cont) {
  const int n = static_cast<int>(x0.size());
  std::vector<double> x = x0;
  double g[8];
  dist_term(d, kind, x.data(), g, (1u << n) - 1, false);
  for (int j = 0; j < n; ++j) {
    if (!cont[j]) continue;
    double h = 1e-6 * std::max(1.0, std::fabs(x0[j]));
    std::vector<double> xp = x0, xm = x0;
    xp[j] += h;
    xm[j] -= h;
    double numeric = (full(d, xp, kind) - full(d, xm, kind)) / (2 * h);
    INFO(dist_info(d).name << " kind " << static_cast<int>(kind) << " argument " << j << ": analytic "
                           << g[j] << " numeric " << numeric);
    CHECK(std::fabs(g[j] - numeric) <= 1e-6 * std::max(1.0, std::fabs(numeric)));
  }
}

}  // namespace

TEST_CASE("every distribution's partials match central differences") {
  for (const Case& c : lpdf_cases()) check_partials(c.d, DistKind::Lpdf, c.x, c.continuous);
}

TEST_CASE("every supported log CDF and CCDF's partials match central differences") {
  const std::vector<Case> cases = {
      {Dist::Normal, {0.7, -0.4, 1.3}, {true, true, true}},
      {Dist::Normal, {-9.0, 0.5, 1.0}, {true, true, true}},   // far lower tail
      {Dist::Normal, {9.5, 0.0, 1.0}, {true, true, true}},    // far upper tail
      {Dist::Normal, {-30.0, 0.0, 1.0}, {true, true, true}},  // erfc still representable
      {Dist::Normal, {-45.0, 0.0, 1.0}, {true, true, true}},  // asymptotic series
      {Dist::StdNormal, {-1.1}, {true}},
      {Dist::Exponential, {0.8, 1.7}, {true, true}},
      {Dist::Cauchy, {2.1, 0.3, 0.8}, {true, true, true}},
      {Dist::Logistic, {-0.6, 0.5, 1.2}, {true, true, true}},
      {Dist::Lognormal, {2.3, 0.4, 0.7}, {true, true, true}},
      {Dist::Weibull, {1.6, 1.8, 2.2}, {true, true, true}},
      {Dist::Uniform, {0.4, -1.2, 2.5}, {true, true, true}},
      {Dist::StudentT, {0.9, 3.5, -0.2, 1.7}, {true, true, true, true}},
      {Dist::StudentT, {-8.0, 3.5, -0.2, 1.7}, {true, true, true, true}},
      {Dist::StudentT, {5.0, 3.5, -0.2, 1.7}, {true, true, true, true}},
      {Dist::DoubleExponential, {1.4, 0.2, 0.9}, {true, true, true}},
      {Dist::DoubleExponential, {-0.5, 0.2, 0.9}, {true, true, true}},
      {Dist::Gamma, {1.9, 2.4, 1.3}, {true, true, true}},
      {Dist::Gamma, {9.0, 2.4, 1.3}, {true, true, true}},
      {Dist::Gamma, {0.05, 0.4, 2.0}, {true, true, true}},
      {Dist::InvGamma, {0.9, 2.4, 1.3}, {true, true, true}},
      {Dist::ChiSquare, {2.7, 3.3}, {true, true}},
      {Dist::Beta, {0.35, 2.2, 3.1}, {true, true, true}},
      {Dist::Beta, {0.97, 0.6, 1.4}, {true, true, true}},
      {Dist::Poisson, {4, 3.2}, {false, true}},
      {Dist::Poisson, {0, 0.7}, {false, true}},
      {Dist::Binomial, {3, 10, 0.37}, {false, false, true}},
      {Dist::Binomial, {0, 10, 0.37}, {false, false, true}},
      {Dist::Bernoulli, {0, 0.3}, {false, true}},
      {Dist::NegBinomial2, {5, 3.5, 2.2}, {false, true, true}},
      {Dist::NegBinomial2, {0, 3.5, 2.2}, {false, true, true}},
      {Dist::NegBinomial2, {40, 3.5, 0.8}, {false, true, true}},
      {Dist::Gumbel, {1.4, 0.3, 0.8}, {true, true, true}},
      {Dist::Gumbel, {-2.5, 0.3, 0.8}, {true, true, true}},
      {Dist::PoissonLog, {4, 1.1}, {false, true}},
      {Dist::BinomialLogit, {3, 10, -0.6}, {false, false, true}},
      {Dist::Rayleigh, {1.3, 0.9}, {true, true}},
      {Dist::Pareto, {2.5, 1.2, 2.3}, {true, true, true}},
  };
  for (const Case& c : cases) {
    REQUIRE(mcmc::graph::has_cdf(c.d));
    check_partials(c.d, DistKind::Lcdf, c.x, c.continuous);
    check_partials(c.d, DistKind::Lccdf, c.x, c.continuous);
  }
  for (Dist d : {Dist::BernoulliLogit, Dist::NegBinomial2Log, Dist::BetaBinomial})
    CHECK_FALSE(mcmc::graph::has_cdf(d));
}

TEST_CASE("log CDFs and CCDFs equal R's") {
  struct Want {
    Dist d;
    std::vector<double> x;
    double lcdf, lccdf;
  };
  // From R 4.2 (the calls in comments; log.p = TRUE, lower.tail = FALSE for the lccdf).
  const std::vector<Want> cases = {
      // pt((0.9 + 0.2) / 1.7, 3.5, log.p = TRUE)
      {Dist::StudentT, {0.9, 3.5, -0.2, 1.7}, -0.3268085960176671, -1.2773387040643356},
      {Dist::StudentT, {-8, 3.5, -0.2, 1.7}, -4.9767904479667617, -0.0069200490673009072},
      {Dist::StudentT, {5, 3.5, -0.2, 1.7}, -0.022735615131654681, -3.7951689052947488},
      // log(1 - 0.5 * exp(-(1.4 - 0.2) / 0.9)), log(0.5 * exp(-(1.4 - 0.2) / 0.9))
      {Dist::DoubleExponential, {1.4, 0.2, 0.9}, -0.14133152794691636, -2.0264805138932784},
      {Dist::DoubleExponential, {-0.5, 0.2, 0.9}, -1.4709249583377231, -0.26099199208742857},
      // pgamma(1.9, 2.4, rate = 1.3, log.p = TRUE)
      {Dist::Gamma, {1.9, 2.4, 1.3}, -0.50582646520707586, -0.92383664359056961},
      {Dist::Gamma, {9, 2.4, 1.3}, -0.00023479149153292513, -8.3569301011986603},
      // pgamma(1.3 / 0.9, 2.4, lower.tail = FALSE, log.p = TRUE)
      {Dist::InvGamma, {0.9, 2.4, 1.3}, -0.36857075212599977, -1.1767541719522037},
      // pchisq(2.7, 3.3, log.p = TRUE)
      {Dist::ChiSquare, {2.7, 3.3}, -0.68005108309590501, -0.70641706423061879},
      // pbeta(0.35, 2.2, 3.1, log.p = TRUE)
      {Dist::Beta, {0.35, 2.2, 3.1}, -0.90829963826870541, -0.51618871788864784},
      // ppois(4, 3.2, log.p = TRUE)
      {Dist::Poisson, {4, 3.2}, -0.24767639686303097, -1.5169157567747062},
      // pbinom(3, 10, 0.37, log.p = TRUE)
      {Dist::Binomial, {3, 10, 0.37}, -0.7765370345072149, -0.61617911595191655},
      // pbinom(0, 1, 0.3, log.p = TRUE)
      {Dist::Bernoulli, {0, 0.3}, -0.35667494393873234, -1.2039728043259361},
      // pnbinom(5, size = 2.2, mu = 3.5, log.p = TRUE)
      {Dist::NegBinomial2, {5, 3.5, 2.2}, -0.23451628586522391, -1.5651978577912378},
      {Dist::NegBinomial2, {0, 3.5, 2.2}, -2.0944193918477154, -0.13140989600624772},
      // z <- (1.4 - 0.3) / 0.8; -exp(-z), log1p(-exp(-exp(-z)))
      {Dist::Gumbel, {1.4, 0.3, 0.8}, -0.25283959580474652, -1.4987575545984275},
      {Dist::Gumbel, {-2.5, 0.3, 0.8}, -33.115451958692297, -4.1508969201091131e-15},
      // ppois(4, exp(1.1), log.p = TRUE); pbinom(3, 10, plogis(-0.6), log.p = TRUE)
      {Dist::PoissonLog, {4, 1.1}, -0.20510382935704582, -1.6850386562691397},
      {Dist::BinomialLogit, {3, 10, -0.6}, -0.68906167063423462, -0.69724945037310337},
      // t <- 1.3^2 / (2 * 0.9^2); log1p(-exp(-t)), -t
      {Dist::Rayleigh, {1.3, 0.9}, -0.43436155022665779, -1.0432098765432098},
      // log1p(-(1.2 / 2.5)^2.3), 2.3 * log(1.2 / 2.5)
      {Dist::Pareto, {2.5, 1.2, 2.3}, -0.20440161405851293, -1.6881291026844609},
  };
  for (const Want& w : cases) {
    INFO(dist_info(w.d).name << " at " << w.x[0]);
    CHECK(full(w.d, w.x, DistKind::Lcdf) == doctest::Approx(w.lcdf).epsilon(1e-12));
    CHECK(full(w.d, w.x, DistKind::Lccdf) == doctest::Approx(w.lccdf).epsilon(1e-12));
  }
  // Outside the support: the cdf is 0 below and 1 above.
  CHECK(full(Dist::Poisson, {-1, 2.0}, DistKind::Lcdf) == -INFINITY);
  CHECK(full(Dist::Poisson, {-1, 2.0}, DistKind::Lccdf) == 0);
  CHECK(full(Dist::Binomial, {10, 10, 0.3}, DistKind::Lcdf) == 0);
  CHECK(full(Dist::Binomial, {10, 10, 0.3}, DistKind::Lccdf) == -INFINITY);
  CHECK(full(Dist::Gamma, {0, 2.0, 1.0}, DistKind::Lcdf) == -INFINITY);
  CHECK(std::isnan(full(Dist::Gamma, {1, -2.0, 1.0}, DistKind::Lcdf)));
}


TEST_CASE("gumbel, rayleigh and pareto: distributions added through the catalogue, against R") {
  // R: y <- 1.4; mu <- 0.3; b <- 0.8; z <- (y - mu) / b; -log(b) - z - exp(-z)
  CHECK(full(Dist::Gumbel, {1.4, 0.3, 0.8}) == doctest::Approx(-1.4046960444905365).epsilon(1e-14));
  // R: log(1.3) - 2 * log(0.9) - 1.3^2 / (2 * 0.9^2)
  CHECK(full(Dist::Rayleigh, {1.3, 0.9}) == doctest::Approx(-0.57012458076006622).epsilon(1e-14));
  // R: log(2.3) + 2.3 * log(1.2) - 3.3 * log(2.5)
  CHECK(full(Dist::Pareto, {2.5, 1.2, 2.3}) == doctest::Approx(-1.7715107116235123).epsilon(1e-14));
  CHECK(full(Dist::Pareto, {1.0, 1.2, 2.3}) == -INFINITY);
}

TEST_CASE("full log densities equal their closed forms") {
  auto close = [](double got, double want) {
    INFO("got " << got << " want " << want);
    CHECK(got == doctest::Approx(want).epsilon(1e-13));
  };
  double z = (0.7 + 0.4) / 1.3;
  close(full(Dist::Normal, {0.7, -0.4, 1.3}), -0.5 * kLog2Pi - std::log(1.3) - 0.5 * z * z);
  close(full(Dist::StdNormal, {-1.1}), -0.5 * kLog2Pi - 0.5 * 1.21);
  {
    double nu = 3.5, mu = -0.2, s = 1.7, y = 0.9, t = (y - mu) / s;
    close(full(Dist::StudentT, {y, nu, mu, s}), std::lgamma((nu + 1) / 2) - std::lgamma(nu / 2) -
                                                    0.5 * std::log(nu * kPi) - std::log(s) -
                                                    (nu + 1) / 2 * std::log1p(t * t / nu));
  }
  close(full(Dist::Cauchy, {2.1, 0.3, 0.8}), -std::log(kPi * 0.8 * (1 + std::pow(1.8 / 0.8, 2))));
  close(full(Dist::DoubleExponential, {1.4, 0.2, 0.9}), -std::log(2 * 0.9) - 1.2 / 0.9);
  {
    double t = (-0.6 - 0.5) / 1.2;
    close(full(Dist::Logistic, {-0.6, 0.5, 1.2}), -t - std::log(1.2) - 2 * std::log1p(std::exp(-t)));
  }
  {
    double t = (std::log(2.3) - 0.4) / 0.7;
    close(full(Dist::Lognormal, {2.3, 0.4, 0.7}), -0.5 * kLog2Pi - std::log(0.7) - std::log(2.3) - 0.5 * t * t);
  }
  close(full(Dist::Exponential, {0.8, 1.7}), std::log(1.7) - 1.7 * 0.8);
  close(full(Dist::Gamma, {1.9, 2.4, 1.3}), 2.4 * std::log(1.3) - std::lgamma(2.4) + 1.4 * std::log(1.9) - 1.3 * 1.9);
  close(full(Dist::InvGamma, {0.9, 2.4, 1.3}), 2.4 * std::log(1.3) - std::lgamma(2.4) - 3.4 * std::log(0.9) - 1.3 / 0.9);
  close(full(Dist::Weibull, {1.6, 1.8, 2.2}),
        std::log(1.8 / 2.2) + 0.8 * std::log(1.6 / 2.2) - std::pow(1.6 / 2.2, 1.8));
  close(full(Dist::ChiSquare, {2.7, 3.3}),
        -1.65 * std::log(2.0) - std::lgamma(1.65) + 0.65 * std::log(2.7) - 1.35);
  close(full(Dist::Beta, {0.35, 2.2, 3.1}), -lbeta(2.2, 3.1) + 1.2 * std::log(0.35) + 2.1 * std::log(0.65));
  close(full(Dist::Uniform, {0.4, -1.2, 2.5}), -std::log(3.7));
  close(full(Dist::Poisson, {4, 3.2}), 4 * std::log(3.2) - 3.2 - std::lgamma(5));
  close(full(Dist::PoissonLog, {4, 1.1}), 4 * 1.1 - std::exp(1.1) - std::lgamma(5));
  close(full(Dist::Binomial, {3, 10, 0.37}), lchoose(10, 3) + 3 * std::log(0.37) + 7 * std::log(0.63));
  {
    double p = 1 / (1 + std::exp(0.6));
    close(full(Dist::BinomialLogit, {3, 10, -0.6}), lchoose(10, 3) + 3 * std::log(p) + 7 * std::log(1 - p));
  }
  close(full(Dist::Bernoulli, {1, 0.3}), std::log(0.3));
  close(full(Dist::Bernoulli, {0, 0.3}), std::log(0.7));
  close(full(Dist::BernoulliLogit, {1, 0.8}), -std::log1p(std::exp(-0.8)));
  close(full(Dist::BernoulliLogit, {0, 0.8}), -std::log1p(std::exp(0.8)));
  {
    double y = 5, mu = 3.5, phi = 2.2;
    double want = lchoose(y + phi - 1, y) + y * std::log(mu / (mu + phi)) + phi * std::log(phi / (mu + phi));
    close(full(Dist::NegBinomial2, {y, mu, phi}), want);
    close(full(Dist::NegBinomial2Log, {y, std::log(mu), phi}), want);
  }
  close(full(Dist::BetaBinomial, {4, 12, 2.5, 3.5}), lchoose(12, 4) + lbeta(4 + 2.5, 8 + 3.5) - lbeta(2.5, 3.5));
}

TEST_CASE("log CDFs and CCDFs equal their closed forms") {
  auto close = [](double got, double want) {
    INFO("got " << got << " want " << want);
    CHECK(got == doctest::Approx(want).epsilon(1e-12));
  };
  double z = (0.7 + 0.4) / 1.3;
  close(full(Dist::Normal, {0.7, -0.4, 1.3}, DistKind::Lcdf), std::log(Phi(z)));
  close(full(Dist::Normal, {0.7, -0.4, 1.3}, DistKind::Lccdf), std::log(Phi(-z)));
  close(full(Dist::StdNormal, {-30.0}, DistKind::Lcdf), std::log(Phi(-30.0)));
  close(full(Dist::StdNormal, {-25.0}, DistKind::Lccdf), std::log1p(-Phi(-25.0)));
  close(full(Dist::Exponential, {0.8, 1.7}, DistKind::Lcdf), std::log(1 - std::exp(-1.36)));
  close(full(Dist::Exponential, {0.8, 1.7}, DistKind::Lccdf), -1.36);
  close(full(Dist::Cauchy, {2.1, 0.3, 0.8}, DistKind::Lcdf), std::log(0.5 + std::atan(1.8 / 0.8) / kPi));
  close(full(Dist::Cauchy, {2.1, 0.3, 0.8}, DistKind::Lccdf), std::log(0.5 - std::atan(1.8 / 0.8) / kPi));
  close(full(Dist::Logistic, {-0.6, 0.5, 1.2}, DistKind::Lcdf), -std::log1p(std::exp(1.1 / 1.2)));
  close(full(Dist::Logistic, {-0.6, 0.5, 1.2}, DistKind::Lccdf), -std::log1p(std::exp(-1.1 / 1.2)));
  double zl = (std::log(2.3) - 0.4) / 0.7;
  close(full(Dist::Lognormal, {2.3, 0.4, 0.7}, DistKind::Lcdf), std::log(Phi(zl)));
  close(full(Dist::Lognormal, {2.3, 0.4, 0.7}, DistKind::Lccdf), std::log(Phi(-zl)));
  double pw = std::pow(1.6 / 2.2, 1.8);
  close(full(Dist::Weibull, {1.6, 1.8, 2.2}, DistKind::Lcdf), std::log(1 - std::exp(-pw)));
  close(full(Dist::Weibull, {1.6, 1.8, 2.2}, DistKind::Lccdf), -pw);
  close(full(Dist::Uniform, {0.4, -1.2, 2.5}, DistKind::Lcdf), std::log(1.6 / 3.7));
  close(full(Dist::Uniform, {0.4, -1.2, 2.5}, DistKind::Lccdf), std::log(2.1 / 3.7));
}

TEST_CASE("propto drops exactly the terms that depend on no parameter (Stan's include_summand)") {
  double g[8];
  auto term = [&](Dist d, std::vector<double> x, unsigned var) {
    return dist_term(d, DistKind::Lpdf, x.data(), g, var, true);
  };
  double z = (0.7 + 0.4) / 1.3;
  // normal: mu a parameter, sigma data -> only the quadratic; sigma a parameter -> also -log(sigma).
  CHECK(term(Dist::Normal, {0.7, -0.4, 1.3}, 2) == doctest::Approx(-0.5 * z * z).epsilon(1e-15));
  CHECK(term(Dist::Normal, {0.7, -0.4, 1.3}, 4) == doctest::Approx(-0.5 * z * z - std::log(1.3)).epsilon(1e-15));
  CHECK(term(Dist::Normal, {0.7, -0.4, 1.3}, 1) == doctest::Approx(-0.5 * z * z).epsilon(1e-15));
  CHECK(term(Dist::StdNormal, {-1.1}, 1) == doctest::Approx(-0.605).epsilon(1e-15));
  // student_t with only mu a parameter: the nu and sigma normalizers go.
  {
    double t = (0.9 + 0.2) / 1.7;
    CHECK(term(Dist::StudentT, {0.9, 3.5, -0.2, 1.7}, 4) ==
          doctest::Approx(-(4.5 / 2) * std::log1p(t * t / 3.5)).epsilon(1e-14));
  }
  // gamma with only beta a parameter: a*log(b) - b*y.
  CHECK(term(Dist::Gamma, {1.9, 2.4, 1.3}, 4) == doctest::Approx(2.4 * std::log(1.3) - 1.3 * 1.9).epsilon(1e-14));
  // gamma with only y a parameter: (a-1) log y - b y.
  CHECK(term(Dist::Gamma, {1.9, 2.4, 1.3}, 1) == doctest::Approx(1.4 * std::log(1.9) - 1.3 * 1.9).epsilon(1e-14));
  // beta with only y: (a-1) log y + (b-1) log1m(y).
  CHECK(term(Dist::Beta, {0.35, 2.2, 3.1}, 1) ==
        doctest::Approx(1.2 * std::log(0.35) + 2.1 * std::log(0.65)).epsilon(1e-14));
  // poisson: lgamma(y+1) dropped.
  CHECK(term(Dist::Poisson, {4, 3.2}, 2) == doctest::Approx(4 * std::log(3.2) - 3.2).epsilon(1e-14));
  // binomial: the coefficient dropped.
  CHECK(term(Dist::Binomial, {3, 10, 0.37}, 4) ==
        doctest::Approx(3 * std::log(0.37) + 7 * std::log(0.63)).epsilon(1e-14));
  // uniform with constant bounds: nothing left but the support.
  CHECK(term(Dist::Uniform, {0.4, -1.2, 2.5}, 1) == 0.0);
  CHECK(term(Dist::Uniform, {3.0, -1.2, 2.5}, 1) == -INFINITY);
  // lognormal with only mu: the -log(y) Jacobian goes too.
  {
    double t = (std::log(2.3) - 0.4) / 0.7;
    CHECK(term(Dist::Lognormal, {2.3, 0.4, 0.7}, 2) == doctest::Approx(-0.5 * t * t).epsilon(1e-14));
  }
}

TEST_CASE("out-of-support parameters are NaN (rejection), out-of-support variates -inf") {
  CHECK(std::isnan(full(Dist::Normal, {0, 0, -1})));
  CHECK(std::isnan(full(Dist::Normal, {0, 0, 0})));
  CHECK(std::isnan(full(Dist::Gamma, {1, -1, 1})));
  CHECK(std::isnan(full(Dist::Beta, {0.5, 1, 0})));
  CHECK(std::isnan(full(Dist::Bernoulli, {1, 1.5})));
  CHECK(std::isnan(full(Dist::Uniform, {0, 1, 1})));
  CHECK(full(Dist::Uniform, {2, 0, 1}) == -INFINITY);
  CHECK(full(Dist::Lognormal, {0, 0, 1}) == -INFINITY);
}

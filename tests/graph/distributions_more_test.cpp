// skew_normal, exp_mod_normal, frechet, pareto_type_2, beta_proportion, von_mises, loglogistic, (scaled_)inv_chi_square, neg_binomial, discrete_range, hypergeometric: values against R, partials against central differences, Stan's propto rules.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "graph/distributions.hpp"

using mcmc::graph::Dist;
using mcmc::graph::dist_info;
using mcmc::graph::dist_term;
using mcmc::graph::DistKind;

namespace {

double full(Dist d, std::vector<double> x, DistKind kind = DistKind::Lpdf) {
  double g[8];
  return dist_term(d, kind, x.data(), g, (1u << x.size()) - 1, false);
}

struct Want {
  Dist d;
  std::vector<double> x;
  double lpdf, lcdf, lccdf;  // NaN: not checked
};

constexpr double kNo = std::numeric_limits<double>::quiet_NaN();

// R 4.2.2 (base R; tests/graph/distributions_more_test.cpp's comments say how), each computed
// another way than the kernel: skew_normal's cdf and exp_mod_normal's density and cdf by
// integrate() of the density (rel.tol 1e-13); frechet through 1/Y ~ weibull(alpha, 1/sigma);
// loglogistic through log Y ~ logistic(log alpha, 1/beta); (scaled_)inv_chi_square through
// nu s^2 / Y ~ chi-square(nu); neg_binomial by dnbinom(size = alpha, prob = beta / (1 + beta));
// beta_proportion by dbeta(mu kappa, (1 - mu) kappa); hypergeometric by dhyper; von_mises with
// besselI (expon.scaled for kappa = 600).
const std::vector<Want>& wants() {
  static const std::vector<Want> w = {
      {Dist::SkewNormal, {0.7, 0.2, 1.3, 2.5}, -0.74621213517125973, -1.1281182693227785, -0.39103229940637918},
      {Dist::SkewNormal, {-1.0, 0.2, 1.3, -1.5}, -1.0009316817430483, -1.0616365550129891, -0.42447864528260826},
      {Dist::ExpModNormal, {1.2, 0.4, 0.8, 1.7}, -0.9278254831493189, -0.49634909196564431, -0.93840622290147202},
      {Dist::ExpModNormal, {-0.5, 0.4, 0.8, 1.7}, -2.0539813205220834, -2.902806843797141, -0.056431731484469241},
      {Dist::Frechet, {1.6, 2.3, 1.4}, -0.67977741700985095, -0.73556070766281711, -0.65245960522176372},
      {Dist::ParetoType2, {2.5, 0.5, 1.5, 2.8}, -2.5955775603983797, -0.097892327708379204, -2.3724340090841696},
      {Dist::BetaProportion, {0.35, 0.4, 6.0}, 0.66792255561825864, -0.85386127550068303, -0.55472134308296306},
      {Dist::VonMises, {0.9, 0.3, 2.2}, -0.9887965992895178, kNo, kNo},
      {Dist::VonMises, {0.31, 0.3, 600}, 2.2493180371560584, kNo, kNo},
      {Dist::Loglogistic, {1.6, 1.3, 2.7}, -0.9406137180054237, -0.45161778843435552, -1.0122440733356159},
      {Dist::ScaledInvChiSquare, {0.8, 3.5, 0.7}, -0.64286378776401154, -0.45917995983558835, -0.99913318120696748},
      {Dist::InvChiSquare, {0.6, 3.5}, -0.55716931293627736, -0.31723630387842633, -1.3025367214115557},
      {Dist::NegBinomial, {5, 2.2, 0.6}, -2.4354336325388219, -0.2574710790781381, -1.4828228034077655},
      {Dist::DiscreteRange, {3, 1, 6}, -1.791759469228055, -0.69314718055994529, -0.69314718055994529},
      {Dist::Hypergeometric, {2, 5, 4, 6}, -0.74193734472937756, kNo, kNo},
  };
  return w;
}

}  // namespace

TEST_CASE("the added distributions' log densities and log cdfs equal R's") {
  for (const Want& w : wants()) {
    INFO(dist_info(w.d).name << " at " << w.x[0]);
    CHECK(full(w.d, w.x) == doctest::Approx(w.lpdf).epsilon(1e-11));
    CHECK(mcmc::graph::has_cdf(w.d) == !std::isnan(w.lcdf));
    if (std::isnan(w.lcdf)) continue;
    CHECK(full(w.d, w.x, DistKind::Lcdf) == doctest::Approx(w.lcdf).epsilon(1e-9));
    CHECK(full(w.d, w.x, DistKind::Lccdf) == doctest::Approx(w.lccdf).epsilon(1e-9));
  }
}

TEST_CASE("the added distributions' partials match central differences") {
  for (const Want& w : wants()) {
    const bool discrete = dist_info(w.d).discrete;
    for (DistKind kind : {DistKind::Lpdf, DistKind::Lcdf, DistKind::Lccdf}) {
      if (kind != DistKind::Lpdf && !mcmc::graph::has_cdf(w.d)) continue;
      const int n = static_cast<int>(w.x.size());
      double g[8];
      std::vector<double> x = w.x;
      dist_term(w.d, kind, x.data(), g, (1u << n) - 1, false);
      for (int j = 0; j < n; ++j) {
        // ints: the variate of a discrete distribution, and every argument of the all-int ones
        if ((discrete && j == 0) || w.d == Dist::DiscreteRange || w.d == Dist::Hypergeometric) continue;
        double h = 1e-6 * std::max(1.0, std::fabs(w.x[j]));
        std::vector<double> xp = w.x, xm = w.x;
        xp[j] += h;
        xm[j] -= h;
        double numeric = (full(w.d, xp, kind) - full(w.d, xm, kind)) / (2 * h);
        INFO(dist_info(w.d).name << " kind " << static_cast<int>(kind) << " argument " << j << ": analytic " << g[j]
                                 << " numeric " << numeric);
        CHECK(std::fabs(g[j] - numeric) <= 2e-6 * std::max(1.0, std::fabs(numeric)));
      }
    }
  }
}

TEST_CASE("propto: with data arguments the dropped terms are constants") {
  // The unnormalized density (only argument 1, a parameter) differs from the full one by the same
  // constant at two values of that parameter.
  for (const Want& w : wants()) {
    if (dist_info(w.d).discrete && (w.d == Dist::DiscreteRange || w.d == Dist::Hypergeometric)) continue;
    INFO(dist_info(w.d).name);
    double g[8];
    std::vector<double> a = w.x, b = w.x;
    b[1] *= 1.1;
    double da = full(w.d, a) - dist_term(w.d, DistKind::Lpdf, a.data(), g, 2u, true);
    double db = full(w.d, b) - dist_term(w.d, DistKind::Lpdf, b.data(), g, 2u, true);
    CHECK(da == doctest::Approx(db).epsilon(1e-12));
  }
}

TEST_CASE("supports: a variate outside gives -inf, bad parameters NaN") {
  CHECK(full(Dist::Frechet, {-1.0, 2.0, 1.0}) == -std::numeric_limits<double>::infinity());
  CHECK(full(Dist::ParetoType2, {0.2, 0.5, 1.5, 2.8}) == -std::numeric_limits<double>::infinity());
  CHECK(full(Dist::DiscreteRange, {7, 1, 6}) == -std::numeric_limits<double>::infinity());
  CHECK(full(Dist::Hypergeometric, {5, 5, 4, 6}) == -std::numeric_limits<double>::infinity());
  CHECK(std::isnan(full(Dist::SkewNormal, {0.0, 0.0, -1.0, 1.0})));
  CHECK(std::isnan(full(Dist::BetaProportion, {0.3, 1.2, 2.0})));
  CHECK(std::isnan(full(Dist::VonMises, {0.3, 0.0, -1.0})));
}

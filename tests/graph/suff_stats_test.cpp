// The sufficient-statistics rewrite of iid discrete, exponential and gamma likelihoods equals the elementwise evaluation to 1e-12.
#include <doctest/doctest.h>

#include <cmath>
#include <iomanip>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "graph/suff_stats.hpp"
#include "graph/tape.hpp"

using namespace mcmc::graph;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One likelihood: dist(y | [trials,] p0 [, p1]) with y (and trials) constant and the scalar
// arguments taken as they are from the inputs (so any value, edge values included, can be
// given); `constant_args` bit j makes scalar argument j a constant (its value from `fixed`).
struct Spec {
  Dist dist;
  std::vector<double> y, trials;
  unsigned constant_args = 0;
  std::vector<double> fixed;
};

Spec spec(Dist d, std::vector<double> y, std::vector<double> trials = {}) {
  Spec s;
  s.dist = d;
  s.y = std::move(y);
  s.trials = std::move(trials);
  return s;
}

Tape make_tape(const Spec& s, bool propto, bool reduce, Op* op) {
  Graph g;
  g.set_reduce(reduce);
  std::vector<NodeId> args = {g.constant(s.y)};
  if (!s.trials.empty()) args.push_back(g.constant(s.trials));
  const int np = dist_info(s.dist).num_args - static_cast<int>(args.size());
  std::uint32_t in = 0;
  for (int j = 0; j < np; ++j)
    args.push_back((s.constant_args >> j) & 1 ? g.constant(s.fixed[j]) : g.input(in++, 1));
  NodeId d = g.dist(s.dist, DistKind::Lpdf, propto, args);
  *op = g.nodes()[d].op;
  g.set_target(d);
  return Tape(g);
}

// The same non-finite value, or within 1e-12 relative plus `slack`.
bool close(double reduced, double expected, double slack) {
  if (std::isnan(reduced) || std::isnan(expected)) return std::isnan(reduced) && std::isnan(expected);
  if (!std::isfinite(reduced) || !std::isfinite(expected)) return reduced == expected;
  return std::fabs(reduced - expected) <= 1e-12 * std::fabs(expected) + slack;
}

constexpr double kEps = std::numeric_limits<double>::epsilon();

// The elementwise terms at the full argument values `p`, as the Dist node computes them, but
// summed in long double (the node's own summation adds up to n * eps * sum |term| of rounding),
// and their scales: the sums over the elements of the magnitudes of the log density's parts that
// cancel (the terms of the parameters, and the constants that `~` drops: each element's term is
// computed with a rounding error of a few eps times these), and of each partial.
struct Reference {
  double lp = 0, lp_scale = 0;
  std::vector<double> grad, grad_scale;
};

Reference reference(const Spec& s, const std::vector<double>& p, bool propto) {
  const int na = dist_info(s.dist).num_args;
  const int first = na - static_cast<int>(p.size());
  unsigned var = 0;
  for (std::size_t j = 0; j < p.size(); ++j)
    if (!((s.constant_args >> j) & 1)) var |= 1u << (first + static_cast<int>(j));
  Reference r;
  r.grad_scale.assign(p.size(), 0.0);
  std::vector<long double> grad(p.size(), 0.0L);
  long double sum = 0, scale = 0;
  for (std::size_t i = 0; i < s.y.size(); ++i) {
    double x[8], d[8];
    x[0] = s.y[i];
    if (!s.trials.empty()) x[1] = s.trials.size() == 1 ? s.trials[0] : s.trials[i];
    for (std::size_t j = 0; j < p.size(); ++j) x[first + static_cast<int>(j)] = p[j];
    double all = dist_term(s.dist, DistKind::Lpdf, x, d, var, false);
    double bare = dist_term(s.dist, DistKind::Lpdf, x, d, ~0u, true);
    double kept = dist_term(s.dist, DistKind::Lpdf, x, d, var, propto);
    sum += kept;
    scale += std::fabs(bare) + std::fabs(all - bare);
    for (std::size_t j = 0; j < p.size(); ++j) {
      grad[j] += d[first + static_cast<int>(j)];
      r.grad_scale[j] += std::fabs(d[first + static_cast<int>(j)]);
    }
  }
  for (long double g : grad) r.grad.push_back(static_cast<double>(g));
  r.lp = static_cast<double>(sum);
  r.lp_scale = static_cast<double>(scale);
  return r;
}

// Compares the reduced and the elementwise tapes at each point (the full argument values; the
// constant ones are ignored), with and without the propto rule, and checks batched evaluation
// of the reduced tape is bit-identical.
void compare(const Spec& s, const std::vector<std::vector<double>>& points, const std::string& what) {
  for (bool propto : {false, true}) {
    Op op_r, op_d;
    Tape reduced = make_tape(s, propto, true, &op_r);
    Tape direct = make_tape(s, propto, false, &op_d);
    INFO(what << " n " << s.y.size() << " propto " << propto);
    REQUIRE(op_r == Op::Suff);
    REQUIRE(op_d == Op::Dist);
    CHECK(reduced.num_slots() < 8);
    Evaluator er(reduced, 1), ed(direct, 1);
    const std::uint32_t dim = reduced.dim();
    std::vector<double> qs;
    std::vector<double> batch_lp;
    for (const auto& p : points) {
      std::vector<double> q;
      for (std::size_t j = 0; j < p.size(); ++j)
        if (!((s.constant_args >> j) & 1)) q.push_back(p[j]);
      REQUIRE(q.size() == dim);
      std::vector<double> gr(dim), gd(dim);
      double lr = er.logp_grad(q, gr), ld = ed.logp_grad(q, gd);
      std::string at;
      for (double v : p) at += std::to_string(v) + " ";
      Reference ref = reference(s, p, propto);
      const double n = static_cast<double>(s.y.size());
      INFO("at " << at << std::setprecision(17) << ": reduced " << lr << " direct " << ld << " reference "
                 << ref.lp << " (scale " << ref.lp_scale << ")");
      // Against the exactly summed elementwise terms, and against the Dist node itself.
      CHECK(close(lr, ref.lp, 4 * kEps * ref.lp_scale));
      CHECK(close(lr, ld, 4 * kEps * ref.lp_scale + n * kEps * ref.lp_scale));
      for (std::size_t j = 0, k = 0; j < p.size(); ++j) {
        if ((s.constant_args >> j) & 1) continue;
        if (!std::isnan(lr)) {  // at -inf too (a zero rate with positive counts, say)
          INFO("partial " << j << ": reduced " << gr[k] << " direct " << gd[k] << " reference " << ref.grad[j]
                          << " (scale " << ref.grad_scale[j] << ")");
          CHECK(close(gr[k], ref.grad[j], 1e-12 * ref.grad_scale[j]));
          CHECK(close(gr[k], gd[k], (1e-12 + n * kEps) * ref.grad_scale[j]));
        }
        ++k;
      }
      qs.insert(qs.end(), q.begin(), q.end());
      batch_lp.push_back(lr);
    }
    // Lockstep evaluation of all the points gives the same bits.
    const std::size_t K = points.size();
    Evaluator eb(reduced, K), e1(reduced, 1);
    std::vector<double> lp(K), grad(K * dim);
    eb.logp_grad(qs.data(), lp.data(), grad.data());
    for (std::size_t k = 0; k < K; ++k) {
      std::vector<double> q(qs.begin() + static_cast<std::ptrdiff_t>(k * dim),
                            qs.begin() + static_cast<std::ptrdiff_t>((k + 1) * dim)),
          g1(dim);
      double l1 = e1.logp_grad(q, g1);
      CHECK((l1 == lp[k] || (std::isnan(l1) && std::isnan(lp[k]))));
      for (std::size_t i = 0; i < dim; ++i)
        CHECK((g1[i] == grad[k * dim + i] || (std::isnan(g1[i]) && std::isnan(grad[k * dim + i]))));
    }
  }
}

template <class D>
std::vector<double> draw(std::size_t n, D dist, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<double> v(n);
  for (double& x : v) x = static_cast<double>(dist(rng));
  return v;
}

// Small and mid sizes for every case; 10^5 (where a plain sum's rounding shows) for one case
// of each family.
std::vector<std::size_t> sizes(bool large) {
  if (large) return {10, 2000, 100000};
  return {10, 2000};
}

}  // namespace

TEST_CASE("poisson and poisson_log by sufficient statistics") {
  for (double rate : {0.7, 40.0, 20000.0})
    for (std::size_t n : sizes(rate == 40.0)) {
      Spec s = spec(Dist::Poisson, draw(n, std::poisson_distribution<long>(rate), n));
      compare(s, {{rate}, {rate * 1.001}, {rate * 1e-3}, {rate * 1e3}, {1e-300}, {0.0}, {-1.0}, {kInf}, {kNaN}},
              "poisson rate " + std::to_string(rate));
      s.dist = Dist::PoissonLog;
      double a = std::log(rate);
      compare(s, {{a}, {a + 1e-3}, {a - 5}, {a + 5}, {-700.0}, {700.0}, {-kInf}, {kInf}, {kNaN}},
              "poisson_log rate " + std::to_string(rate));
    }
  // All zeros: the rate may be 0.
  Spec z = spec(Dist::Poisson, std::vector<double>(50, 0.0));
  compare(z, {{0.0}, {0.5}, {1e-300}}, "poisson zeros");
  z.dist = Dist::PoissonLog;
  compare(z, {{-kInf}, {0.0}, {-700.0}}, "poisson_log zeros");
}

TEST_CASE("bernoulli and bernoulli_logit by sufficient statistics") {
  for (double p : {0.3, 0.999})
    for (std::size_t n : sizes(p == 0.3)) {
      Spec s = spec(Dist::Bernoulli, draw(n, std::bernoulli_distribution(p), n + 1));
      compare(s, {{p}, {0.5}, {1e-12}, {1 - 1e-12}, {0.0}, {1.0}, {-0.1}, {1.1}, {kNaN}},
              "bernoulli p " + std::to_string(p));
      s.dist = Dist::BernoulliLogit;
      double a = std::log(p / (1 - p));
      compare(s, {{a}, {0.0}, {40.0}, {-40.0}, {800.0}, {-800.0}, {kInf}, {-kInf}, {kNaN}},
              "bernoulli_logit p " + std::to_string(p));
    }
  for (double v : {0.0, 1.0}) {
    Spec s = spec(Dist::Bernoulli, std::vector<double>(20, v));
    compare(s, {{0.0}, {1.0}, {0.5}}, "bernoulli constant data");
    s.dist = Dist::BernoulliLogit;
    compare(s, {{-kInf}, {kInf}, {3.0}}, "bernoulli_logit constant data");
  }
}

TEST_CASE("binomial and binomial_logit by sufficient statistics, scalar and per-element trials") {
  for (double p : {0.2, 0.97})
    for (std::size_t n : sizes(p == 0.2)) {
      std::mt19937_64 rng(n + 7);
      std::vector<double> y(n), trials(n);
      std::uniform_int_distribution<int> ut(0, 2000);
      for (std::size_t i = 0; i < n; ++i) {
        trials[i] = ut(rng);
        y[i] = static_cast<double>(std::binomial_distribution<int>(static_cast<int>(trials[i]), p)(rng));
      }
      trials[0] = 0;  // an element with no trials
      y[0] = 0;
      for (bool scalar_trials : {false, true}) {
        Spec s = spec(Dist::Binomial, y, trials);
        if (scalar_trials) {
          s.trials = {30};
          s.y = draw(n, std::binomial_distribution<int>(30, p), n + 3);
        }
        std::string what = std::string(scalar_trials ? "scalar" : "per-element") + " trials p " + std::to_string(p);
        compare(s, {{p}, {0.5}, {1e-12}, {1 - 1e-12}, {0.0}, {1.0}, {-0.1}, {kNaN}}, "binomial " + what);
        s.dist = Dist::BinomialLogit;
        double a = std::log(p / (1 - p));
        compare(s, {{a}, {0.0}, {40.0}, {-40.0}, {800.0}, {-800.0}, {kInf}, {-kInf}, {kNaN}}, "binomial_logit " + what);
      }
    }
  // Every outcome a success (then every failure): the logit may be infinite.
  Spec all = spec(Dist::BinomialLogit, {3, 5, 1}, {3, 5, 1});
  compare(all, {{kInf}, {-kInf}, {2.0}}, "binomial_logit all successes");
  all.y = {0, 0, 0};
  compare(all, {{kInf}, {-kInf}, {2.0}}, "binomial_logit all failures");
  all.dist = Dist::Binomial;
  compare(all, {{0.0}, {1.0}, {0.5}}, "binomial all failures");
}

TEST_CASE("exponential and gamma by sufficient statistics") {
  for (double mean : {1e-4, 2.0, 3e5})
    for (std::size_t n : sizes(mean == 2.0)) {
      Spec s = spec(Dist::Exponential, draw(n, std::exponential_distribution<double>(1 / mean), n + 11));
      double b = 1 / mean;
      compare(s, {{b}, {b * 1.001}, {b * 1e-6}, {b * 1e6}, {1e-300}, {1e300}, {0.0}, {-1.0}, {kNaN}},
              "exponential mean " + std::to_string(mean));
    }
  for (double shape : {0.3, 4.0, 3000.0})
    for (double rate : {0.01, 50.0})
      for (std::size_t n : sizes(shape == 4.0 && rate == 50.0)) {
        std::vector<double> y = draw(n, std::gamma_distribution<double>(shape, 1 / rate), n + 13);
        const std::vector<std::vector<double>> points = {
            {shape, rate}, {shape * 1.001, rate * 0.999}, {shape * 1e-3, rate}, {shape, rate * 1e3},
            {1.0, 1.0},    {1e4, 1e4 * rate / shape},      {0.0, 1.0},           {1.0, -1.0}, {kNaN, 1.0}};
        std::string what = "gamma shape " + std::to_string(shape) + " rate " + std::to_string(rate);
        for (unsigned constant_args : {0u, 1u, 2u}) {
          if (n > 2000 && constant_args != 0) continue;
          // Which arguments are parameters changes which terms `~` keeps.
          Spec s = spec(Dist::Gamma, y);
          s.constant_args = constant_args;
          s.fixed = {shape, rate};
          std::vector<std::vector<double>> pts = points;
          for (auto& p : pts)
            for (int j = 0; j < 2; ++j)
              if ((constant_args >> j) & 1) p[j] = s.fixed[j];
          compare(s, pts, what + " constant args " + std::to_string(constant_args));
        }
      }
}

TEST_CASE("data outside the support is left to the elementwise evaluation") {
  struct Case {
    Dist dist;
    std::vector<double> y, trials;
  };
  const Case cases[] = {
      {Dist::Poisson, {1, -2, 3}, {}},      {Dist::PoissonLog, {1, 2.5, 3}, {}},
      {Dist::Bernoulli, {0, 1, 2}, {}},     {Dist::BernoulliLogit, {0, 1, -1}, {}},
      {Dist::Binomial, {1, 5, 2}, {4}},     {Dist::BinomialLogit, {1, -1, 2}, {4, 4, 4}},
      {Dist::Exponential, {1, -0.5, 2}, {}}, {Dist::Exponential, {1, kInf, 2}, {}},
      {Dist::Gamma, {1, 0, 2}, {}},         {Dist::Gamma, {1, kNaN, 2}, {}},
  };
  for (const Case& c : cases) {
    Graph g;
    std::vector<NodeId> args = {g.constant(c.y)};
    if (!c.trials.empty()) args.push_back(g.constant(c.trials));
    while (static_cast<int>(args.size()) < dist_info(c.dist).num_args)
      args.push_back(g.input(static_cast<std::uint32_t>(args.size()), 1));
    NodeId d = g.dist(c.dist, DistKind::Lpdf, true, args);
    INFO(dist_info(c.dist).name);
    CHECK(g.nodes()[d].op == Op::Dist);
  }
}

namespace {

// normal(y | a + b * x, sigma) with the inputs a, b, sigma as they are (mu built in `order`:
// 0: a + b * x, 1: x * b + a, 2: b * x alone).
Tape linear_tape(const std::vector<double>& y, const std::vector<double>& x, bool propto, bool reduce, int order,
                 Op* op) {
  Graph g;
  g.set_reduce(reduce);
  NodeId a = g.input(0, 1), b = g.input(1, 1), sigma = g.input(2, 1), xc = g.constant(x);
  NodeId mu = order == 0   ? g.binary(BinaryFn::Add, a, g.binary(BinaryFn::Mul, b, xc))
              : order == 1 ? g.binary(BinaryFn::Add, g.binary(BinaryFn::Mul, xc, b), a)
                           : g.binary(BinaryFn::Mul, b, xc);
  NodeId args[] = {g.constant(y), mu, sigma};
  NodeId d = g.dist(Dist::Normal, DistKind::Lpdf, propto, args);
  *op = g.nodes()[d].op;
  g.set_target(d);
  return Tape(g);
}

}  // namespace

TEST_CASE("normal with a linear mean a + b * x of data by sufficient statistics") {
  struct DataCase {
    std::size_t n;
    double xm, xs, a, b, noise;
  };
  // Well-conditioned, and a close fit far from the origin (where mu_i = a + b x_i itself rounds
  // at eps * |mu_i|, large next to the residuals).
  const DataCase cases[] = {{10, 0, 1, 1, -2, 3},   {1000, 0.5, 2, 1, -2, 0.3},    {100000, 0, 1, -4, 0.7, 1},
                            {10, 2000, 10, 3, 0.5, 0.01}, {1000, 2000, 10, 3, 0.5, 0.01}};
  std::mt19937_64 rng(77);
  for (const DataCase& dc : cases) {
    std::normal_distribution<double> nx(dc.xm, dc.xs), ne(0, dc.noise);
    std::vector<double> x(dc.n), y(dc.n);
    for (std::size_t i = 0; i < dc.n; ++i) {
      x[i] = nx(rng);
      y[i] = dc.a + dc.b * x[i] + ne(rng);
    }
    for (int order : {0, 1, 2})
      for (bool propto : {false, true}) {
        Op op_r, op_d;
        Tape reduced = linear_tape(y, x, propto, true, order, &op_r);
        Tape direct = linear_tape(y, x, propto, false, order, &op_d);
        INFO("n " << dc.n << " x mean " << dc.xm << " noise " << dc.noise << " order " << order << " propto "
                  << propto);
        REQUIRE(op_r == Op::Suff);
        REQUIRE(op_d == Op::Dist);
        CHECK(reduced.num_scratch() == 3);
        Evaluator er(reduced, 1), ed(direct, 1);
        double a0 = order == 2 ? 0.0 : dc.a;
        const std::vector<std::vector<double>> points = {
            {a0, dc.b, dc.noise},          {a0 + 0.1 * dc.noise, dc.b * (1 + 1e-6), dc.noise},
            {a0 - 5, dc.b + 1, dc.noise * 10}, {a0, dc.b, dc.noise * 1e-3},
            {a0 + 1e3, -dc.b, 1e4},        {a0, dc.b, 0.0},
            {kNaN, dc.b, 1.0},             {a0, dc.b, -1.0}};
        std::vector<double> qs, lps;
        for (const auto& p : points) {
          std::vector<double> gr(3), gd(3);
          double lr = er.logp_grad(p, gr), ld = ed.logp_grad(p, gd);
          // The elementwise terms summed in long double, and the rounding scales of the direct
          // evaluation: mu_i and y_i - mu_i round at eps * (|y_i| + |a| + |b x_i|).
          double a = order == 2 ? 0.0 : p[0], b = p[1], sigma = p[2];
          long double lp = 0, ga = 0, gb = 0, gs = 0;
          double slack = 0, sa = 0, sb = 0, ss = 0;
          for (std::size_t i = 0; i < dc.n; ++i) {
            double mu = a + b * x[i], xv[3] = {y[i], mu, sigma}, dd[3];
            lp += dist_term(Dist::Normal, DistKind::Lpdf, xv, dd, 6, propto);
            ga += dd[1];
            gb += static_cast<long double>(dd[1]) * x[i];
            gs += dd[2];
            double z = std::fabs((y[i] - mu) / sigma), r = (std::fabs(y[i]) + std::fabs(a) + std::fabs(b * x[i])) / sigma;
            slack += z * r + std::fabs(std::log(sigma)) + 1;
            sa += std::fabs(dd[1]) + r / sigma;
            sb += (std::fabs(dd[1]) + r / sigma) * std::fabs(x[i]);
            ss += std::fabs(dd[2]) + (1 + z) * r / sigma;
          }
          const double n = static_cast<double>(dc.n), tol = 8 * kEps;
          INFO("at " << p[0] << " " << p[1] << " " << p[2] << std::setprecision(17) << ": reduced " << lr
                     << " direct " << ld << " reference " << static_cast<double>(lp) << " slack " << tol * slack);
          CHECK(close(lr, static_cast<double>(lp), tol * slack));
          CHECK(close(lr, ld, (tol + n * kEps) * slack));
          if (std::isfinite(lr)) {
            const double ref[3] = {order == 2 ? 0.0 : static_cast<double>(ga), static_cast<double>(gb),
                                   static_cast<double>(gs)};
            const double scale[3] = {sa, sb, ss};
            for (int j = 0; j < 3; ++j) {
              if (order == 2 && j == 0) continue;
              INFO("partial " << j << ": reduced " << gr[j] << " direct " << gd[j] << " reference " << ref[j]
                              << " scale " << scale[j]);
              CHECK(close(gr[j], ref[j], 1e-12 * scale[j] + tol * scale[j]));
              CHECK(close(gr[j], gd[j], (1e-12 + tol + n * kEps) * scale[j]));
            }
          }
          qs.insert(qs.end(), p.begin(), p.end());
          lps.push_back(lr);
        }
        // Batched evaluation: the same bits.
        Evaluator eb(reduced, points.size());
        std::vector<double> lp(points.size()), grad(3 * points.size());
        eb.logp_grad(qs.data(), lp.data(), grad.data());
        for (std::size_t k = 0; k < points.size(); ++k) {
          std::vector<double> g1(3);
          double l1 = er.logp_grad(points[k], g1);
          CHECK((l1 == lp[k] || (std::isnan(l1) && std::isnan(lp[k]))));
          for (int j = 0; j < 3; ++j) CHECK((g1[j] == grad[3 * k + j] || (std::isnan(g1[j]) && std::isnan(grad[3 * k + j]))));
        }
      }
  }
}

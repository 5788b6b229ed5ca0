// normal(y | X * beta + alpha, sigma) with data X by sufficient statistics equals the elementwise evaluation (values, gradients, batches).
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "fd_check.hpp"
#include "graph/tape.hpp"

using namespace mcmc::graph;

namespace {

struct Data {
  std::uint32_t N, K;
  std::vector<double> X, y;  // X row-major N x K
};

Data make_data(std::uint32_t N, std::uint32_t K, double x_mean, double noise, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z(0, 1);
  Data d{N, K, std::vector<double>(static_cast<std::size_t>(N) * K), std::vector<double>(N)};
  for (std::uint32_t i = 0; i < N; ++i) {
    double mu = 0.7;
    for (std::uint32_t j = 0; j < K; ++j) {
      const double x = x_mean + (1 + j) * z(rng);
      d.X[static_cast<std::size_t>(i) * K + j] = x;
      mu += (j % 2 ? -0.5 : 1.5) * x / (1 + j);
    }
    d.y[i] = mu + noise * z(rng);
  }
  return d;
}

// Inputs: beta (K), then alpha (when `alpha`), then sigma (when !const_sigma: else 1.3).
// order 0: X * beta + alpha, 1: alpha + X * beta.
Tape make_tape(const Data& d, bool reduce, bool alpha, int order, bool const_sigma, bool propto, bool* reduced) {
  Graph g;
  g.set_reduce(reduce);
  const NodeId beta = g.input(0, d.K);
  NodeId mu = g.matmul(g.constant(d.X), beta, d.N, d.K, 1);
  std::uint32_t next = d.K;
  if (alpha) {
    const NodeId a = g.input(next++, 1);
    mu = order == 0 ? g.binary(BinaryFn::Add, mu, a) : g.binary(BinaryFn::Add, a, mu);
  }
  const NodeId sigma = const_sigma ? g.constant(1.3) : g.input(next, 1);
  const std::size_t before = g.nodes().size();
  const NodeId lp = g.dist(Dist::Normal, DistKind::Lpdf, propto, std::vector<NodeId>{g.constant(d.y), mu, sigma});
  *reduced = g.nodes()[lp].op != Op::Dist;
  (void)before;
  g.set_target(lp);
  return Tape(g);
}

}  // namespace

TEST_CASE("normal(y | X * beta + alpha, sigma) with data X: the statistics' value and gradient equal the elementwise ones") {
  // Well conditioned; and a close fit far from the origin (large means, small noise).
  const Data cases[] = {make_data(50, 3, 0, 1, 1), make_data(2000, 5, 0.3, 0.5, 2), make_data(300, 2, 500, 0.01, 3)};
  std::mt19937_64 rng(9);
  std::normal_distribution<double> z(0, 1);
  for (const Data& d : cases)
    for (bool alpha : {true, false})
      for (int order : {0, 1})
        for (bool const_sigma : {false, true})
          for (bool propto : {false, true}) {
            if (!alpha && order == 1) continue;
            INFO("N " << d.N << " K " << d.K << " alpha " << alpha << " order " << order << " const sigma "
                      << const_sigma << " propto " << propto);
            bool r1 = false, r0 = true;
            const Tape reduced = make_tape(d, true, alpha, order, const_sigma, propto, &r1);
            const Tape direct = make_tape(d, false, alpha, order, const_sigma, propto, &r0);
            REQUIRE(r1);
            REQUIRE(!r0);
            REQUIRE(reduced.dim() == direct.dim());
            // The reduced tape's work does not grow with N: no node reads the N x K data.
            CHECK(reduced.num_slots() < direct.num_slots());
            Evaluator er(reduced, 1), ed(direct, 1);
            for (int trial = 0; trial < 4; ++trial) {
              std::vector<double> q(reduced.dim());
              for (double& v : q) v = 0.5 * z(rng);
              // Near the least-squares fit too (the close-fit case's residuals are tiny there).
              if (trial == 0)
                for (std::uint32_t j = 0; j < d.K; ++j) q[j] = (j % 2 ? -0.5 : 1.5) / (1 + j);
              if (alpha && trial == 0) q[d.K] = 0.7;
              if (!const_sigma) q.back() = trial == 0 ? 0.02 : std::exp(0.3 * z(rng));
              std::vector<double> gr(q.size()), gd(q.size());
              const double lr = er.logp_grad(q, gr), ld = ed.logp_grad(q, gd);
              CHECK(lr == doctest::Approx(ld).epsilon(1e-9));
              double gscale = 1;
              for (double v : gd) gscale = std::max(gscale, std::fabs(v));
              for (std::size_t i = 0; i < q.size(); ++i) {
                INFO("partial " << i << ": reduced " << gr[i] << " direct " << gd[i]);
                CHECK(std::fabs(gr[i] - gd[i]) <= 1e-8 * gscale);
              }
            }
          }
}

TEST_CASE("the regression statistics: finite differences, and a batch equals one chain at a time") {
  const Data d = make_data(120, 4, 1, 0.8, 4);
  bool r = false;
  const Tape tape = make_tape(d, true, true, 0, false, false, &r);
  REQUIRE(r);
  const std::vector<double> q = {0.3, -0.2, 0.5, 0.1, 0.4, 0.9};
  mcmc::test::check_tape_gradient(tape, q, [](std::size_t i) { return "input " + std::to_string(i); });
  const std::size_t B = 5;
  std::vector<double> qs, lps(B), grads(B * q.size());
  for (std::size_t k = 0; k < B; ++k)
    for (std::size_t i = 0; i < q.size(); ++i) qs.push_back(q[i] + 0.1 * static_cast<double>(k) * (i % 2 ? 1 : -1));
  Evaluator batch(tape, B), one(tape, 1);
  batch.logp_grad(qs.data(), lps.data(), grads.data());
  for (std::size_t k = 0; k < B; ++k) {
    std::vector<double> qk(qs.begin() + static_cast<std::ptrdiff_t>(k * q.size()),
                           qs.begin() + static_cast<std::ptrdiff_t>((k + 1) * q.size())),
        g(q.size());
    CHECK(one.logp_grad(qk, g) == lps[k]);
    for (std::size_t i = 0; i < q.size(); ++i) CHECK(g[i] == grads[k * q.size() + i]);
  }
}

TEST_CASE("the regression statistics are not used where they do not apply") {
  // X of rank < K (a repeated column): the elementwise evaluation stays.
  Data d = make_data(40, 2, 0, 1, 5);
  for (std::uint32_t i = 0; i < d.N; ++i) d.X[i * 2 + 1] = d.X[i * 2];
  bool r = true;
  (void)make_tape(d, true, true, 0, false, false, &r);
  CHECK(!r);
  // N <= K: the product is cheaper than the statistics.
  Data w = make_data(3, 4, 0, 1, 6);
  (void)make_tape(w, true, true, 0, false, false, &r);
  CHECK(!r);
}

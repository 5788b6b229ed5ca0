// Hand-built graphs on the tape: gradients by finite differences, batch bit-identity, checks, and the sufficient-statistics rewrite.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <random>
#include <stdexcept>
#include <vector>

#include "graph/tape.hpp"
#include "fd_check.hpp"

using namespace mcmc::graph;

namespace {


// Gradient at q against central differences of the same tape.
void check_fd(const Tape& tape, const std::vector<double>& q) {
  mcmc::test::check_tape_gradient(tape, q, [](std::size_t i) { return "q[" + std::to_string(i) + "]"; });
}

// A graph that uses every op: q = (x[0..3], s).
Graph every_op_graph() {
  Graph g;
  NodeId x = g.input(0, 4);
  NodeId s = g.input(4, 1);
  double data[] = {0.5, -1.0, 2.0, 0.25};
  NodeId y = g.constant(data);
  NodeId sigma = g.unary(UnaryFn::Exp, s);
  NodeId mu = g.binary(BinaryFn::Mul, x, g.constant(0.5));                 // broadcast
  NodeId cond = g.binary(BinaryFn::Gt, x, g.constant(0.0));
  NodeId sel = g.select(cond, g.unary(UnaryFn::Square, x), g.unary(UnaryFn::Neg, x));
  NodeId picks_src = g.cumulative_sum(x);
  std::pair<NodeId, std::uint32_t> picks[] = {{picks_src, 3}, {x, 0}, {sel, 2}, {y, 1}};
  NodeId gathered = g.gather(picks);
  NodeId lse = g.log_sum_exp(gathered);
  NodeId pr = g.prod(g.binary(BinaryFn::Add, x, g.constant(3.0)));
  NodeId e2 = g.element(sel, 1);
  NodeId d1[] = {y, mu, sigma};
  NodeId normal = g.dist(Dist::Normal, DistKind::Lpdf, false, d1);
  NodeId d2[] = {x, g.constant(0.0), g.constant(2.0)};
  NodeId cauchy = g.dist(Dist::Cauchy, DistKind::Lpdf, true, d2);
  NodeId d3[] = {g.constant(0.3), e2, sigma};
  NodeId lcdf = g.dist(Dist::Logistic, DistKind::Lcdf, false, d3);
  NodeId terms[] = {normal, cauchy, lcdf, lse, g.unary(UnaryFn::Log, pr), s, sel};
  g.set_target(g.sum(terms));
  return g;
}

}  // namespace

TEST_CASE("a graph using every op: gradient equals central differences") {
  Graph g = every_op_graph();
  Tape tape(g);
  CHECK(tape.dim() == 5);
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> u(-1.5, 1.5);
  for (int rep = 0; rep < 5; ++rep) {
    std::vector<double> q(5);
    for (double& v : q) v = u(rng);
    check_fd(tape, q);
  }
}

TEST_CASE("the value of a small graph equals its closed form") {
  Graph g;
  NodeId x = g.input(0, 2);
  NodeId lse = g.log_sum_exp(x);
  NodeId cs = g.cumulative_sum(x);
  NodeId terms[] = {lse, g.element(cs, 1), g.prod(x)};
  g.set_target(g.sum(terms));
  Tape tape(g);
  Evaluator ev(tape, 1);
  std::vector<double> q = {0.3, -1.2}, grad(2);
  double lp = ev.logp_grad(q, grad);
  double want = std::log(std::exp(0.3) + std::exp(-1.2)) + (0.3 - 1.2) + 0.3 * -1.2;
  CHECK(lp == doctest::Approx(want).epsilon(1e-15));
  double w0 = std::exp(0.3) / (std::exp(0.3) + std::exp(-1.2));
  CHECK(grad[0] == doctest::Approx(w0 + 1 - 1.2).epsilon(1e-14));
  CHECK(grad[1] == doctest::Approx(1 - w0 + 1 + 0.3).epsilon(1e-14));
}

TEST_CASE("constant folding leaves no work for constant subexpressions") {
  Graph g;
  NodeId c = g.binary(BinaryFn::Add, g.constant(1.0), g.unary(UnaryFn::Exp, g.constant(0.0)));
  REQUIRE(g.is_const(c));
  CHECK(g.const_values(c)[0] == 2.0);
  NodeId x = g.input(0, 1);
  NodeId args[] = {g.constant(1.0), g.constant(0.0), g.constant(1.0)};
  // A distribution of constants under propto is dropped entirely.
  NodeId dropped = g.dist(Dist::Normal, DistKind::Lpdf, true, args);
  REQUIRE(g.is_const(dropped));
  CHECK(g.const_values(dropped)[0] == 0.0);
  NodeId kept = g.dist(Dist::Normal, DistKind::Lpdf, false, args);
  REQUIRE(g.is_const(kept));
  CHECK(g.const_values(kept)[0] == doctest::Approx(-0.5 * std::log(2 * M_PI) - 0.5).epsilon(1e-15));
  NodeId terms[] = {x, kept};
  g.set_target(g.sum(terms));
  Tape tape(g);
  Evaluator ev(tape, 1);
  std::vector<double> q = {0.7}, grad(1);
  CHECK(ev.logp_grad(q, grad) == doctest::Approx(0.7 + g.const_values(kept)[0]).epsilon(1e-15));
  CHECK(grad[0] == 1.0);
}

TEST_CASE("mismatched elementwise sizes are an error at build time") {
  Graph g;
  NodeId a = g.input(0, 3);
  NodeId b = g.input(3, 2);
  CHECK_THROWS_AS(g.binary(BinaryFn::Add, a, b), std::invalid_argument);
}

TEST_CASE("batched evaluation of a graph is bit-identical to one point at a time") {
  Graph g = every_op_graph();
  Tape tape(g);
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-1.5, 1.5);
  for (std::size_t K : {1u, 3u, 8u}) {
    std::vector<double> q(K * 5);
    for (double& v : q) v = u(rng);
    Evaluator batch(tape, K);
    std::vector<double> lp(K), grad(K * 5);
    batch.logp_grad(q.data(), lp.data(), grad.data());
    Evaluator one(tape, 1);
    for (std::size_t k = 0; k < K; ++k) {
      std::vector<double> qk(q.begin() + k * 5, q.begin() + (k + 1) * 5), gk(5);
      double lk = one.logp_grad(qk, gk);
      CHECK(lk == lp[k]);
      for (int i = 0; i < 5; ++i) CHECK(gk[i] == grad[k * 5 + i]);
    }
    std::vector<double> lp_only(K);
    batch.logp(q.data(), lp_only.data());
    for (std::size_t k = 0; k < K; ++k) CHECK(lp_only[k] == lp[k]);
  }
}

TEST_CASE("a violated check rejects only its own point of a batch") {
  Graph g;
  NodeId x = g.input(0, 1);
  NodeId y = g.binary(BinaryFn::Sub, x, g.constant(1.0));
  g.check(y, g.constant(0.0), true);  // x - 1 >= 0
  NodeId terms[] = {g.unary(UnaryFn::Square, x)};
  g.set_target(g.sum(terms));
  Tape tape(g);
  Evaluator ev(tape, 3);
  double q[] = {2.0, 0.5, 1.0}, lp[3], grad[3];
  ev.logp_grad(q, lp, grad);
  CHECK(lp[0] == 4.0);
  CHECK(grad[0] == 4.0);
  CHECK(lp[1] == -INFINITY);
  CHECK(grad[1] == 0.0);
  CHECK(lp[2] == 1.0);  // on the bound is allowed
  Evaluator one(tape, 1);
  std::vector<double> g1(1);
  CHECK(one.logp_grad(std::vector<double>{0.5}, g1) == -INFINITY);
  CHECK(one.logp_grad(std::vector<double>{3.0}, g1) == 9.0);  // the reject flag does not stick
}

namespace {

// normal_lpdf(y | mu, exp(s)) two ways: by sufficient statistics (scalar mu) and elementwise
// (mu gathered into a vector, which the rewrite does not touch).
Tape normal_tape(const std::vector<double>& y, bool propto, bool vector_mu, bool* used_suff) {
  Graph g;
  NodeId mu = g.input(0, 1);
  NodeId sigma = g.unary(UnaryFn::Exp, g.input(1, 1));
  if (vector_mu) {
    std::vector<std::pair<NodeId, std::uint32_t>> picks(y.size(), {mu, 0});
    mu = g.gather(picks);
  }
  NodeId args[] = {g.constant(y), mu, sigma};
  NodeId d = g.dist(Dist::Normal, DistKind::Lpdf, propto, args);
  *used_suff = g.nodes()[d].op == Op::NormalSuff;
  g.set_target(d);
  return Tape(g);
}

// The exact log density and gradient by compensated long-double summation of dist_term.
// gabs: the sums of the absolute partials (the scale of each gradient's cancellation).
void reference(const std::vector<double>& y, double mu, double s, bool propto, double& lp, double grad[2],
               double gabs[2]) {
  long double sum = 0, gm = 0, gs = 0, ga = 0, gb = 0;
  double sigma = std::exp(s);
  for (double v : y) {
    double x[3] = {v, mu, sigma}, d[3];
    sum += dist_term(Dist::Normal, DistKind::Lpdf, x, d, 6, propto);
    gm += d[1];
    ga += std::fabs(d[1]);
    gs += static_cast<long double>(d[2]) * sigma;
    gb += std::fabs(1 / sigma) * sigma + std::fabs(d[2] + 1 / sigma) * sigma;
  }
  lp = static_cast<double>(sum);
  grad[0] = static_cast<double>(gm);
  grad[1] = static_cast<double>(gs);
  gabs[0] = static_cast<double>(ga);
  gabs[1] = static_cast<double>(gb);
}

}  // namespace

TEST_CASE("normal by sufficient statistics equals the elementwise sum to 1e-12") {
  struct DataCase {
    std::size_t n;
    double mean, sd;
  };
  const DataCase cases[] = {{10, 0.3, 1.5}, {1000, -2, 0.7}, {100000, 5, 2}, {1000, 1e6, 0.5}, {100000, 1e6, 1e-3}};
  std::mt19937_64 rng(123);
  for (const DataCase& dc : cases) {
    std::normal_distribution<double> nd(dc.mean, dc.sd);
    std::vector<double> y(dc.n);
    for (double& v : y) v = nd(rng);
    for (bool propto : {false, true}) {
      bool s1, s2;
      Tape suff = normal_tape(y, propto, false, &s1);
      Tape direct = normal_tape(y, propto, true, &s2);
      REQUIRE(s1);
      REQUIRE_FALSE(s2);
      Evaluator es(suff, 1), ed(direct, 1);
      // mu near the data and away from it; sigma around the spread and much wider.
      const double mus[] = {dc.mean + 0.1 * dc.sd, dc.mean - 3 * dc.sd};
      const double ss[] = {std::log(dc.sd), std::log(dc.sd) + 2};
      for (double mu : mus)
        for (double s : ss) {
          std::vector<double> q = {mu, s}, gs(2), gd(2);
          double ls = es.logp_grad(q, gs), ld = ed.logp_grad(q, gd);
          double lr, gr[2], gabs[2];
          reference(y, mu, s, propto, lr, gr, gabs);
          INFO("n " << dc.n << " mean " << dc.mean << " sd " << dc.sd << " propto " << propto << " mu " << mu
                    << " s " << s);
          INFO("suff " << ls << " direct " << ld << " reference " << lr);
          CHECK(ls == doctest::Approx(lr).epsilon(1e-12));
          CHECK(ld == doctest::Approx(lr).epsilon(1e-12));
          // The mu gradient sums terms of both signs: compare on the scale of its largest part.
          CHECK(std::fabs(gs[0] - gr[0]) <= 1e-12 * gabs[0]);
          CHECK(std::fabs(gd[0] - gr[0]) <= 1e-12 * gabs[0]);
          CHECK(std::fabs(gs[1] - gr[1]) <= 1e-12 * gabs[1]);
          CHECK(std::fabs(gd[1] - gr[1]) <= 1e-12 * gabs[1]);
        }
    }
  }
}

TEST_CASE("a check rejects even when the log density itself is constant") {
  Graph g;
  NodeId x = g.input(0, 2);
  g.check(x, g.constant(0.0), false);  // every x[i] <= 0
  g.set_target(g.constant(1.5));
  Tape tape(g);
  Evaluator ev(tape, 2);
  double q[] = {-1.0, -0.5, -1.0, 0.5}, lp[2], grad[4];
  ev.logp_grad(q, lp, grad);
  CHECK(lp[0] == 1.5);
  CHECK(lp[1] == -INFINITY);
  for (double v : grad) CHECK(v == 0.0);
}

namespace {

// A chain of scalar operations of a and b (either scalars or vectors of one size).
NodeId scalar_chain(Graph& g, NodeId a, NodeId b) {
  NodeId t = g.binary(BinaryFn::Mul, a, b);
  t = g.unary(UnaryFn::Exp, g.binary(BinaryFn::Mul, t, g.constant(0.1)));
  t = g.binary(BinaryFn::Sub, g.constant(2.0), t);
  t = g.binary(BinaryFn::Div, t, g.unary(UnaryFn::Square, b));
  t = g.binary(BinaryFn::Add, t, g.unary(UnaryFn::Neg, a));
  t = g.unary(UnaryFn::Log, g.binary(BinaryFn::Add, g.unary(UnaryFn::Square, t), g.constant(1.0)));
  t = g.binary(BinaryFn::Mul, t, t);
  t = g.unary(UnaryFn::Sqrt, g.binary(BinaryFn::Add, t, g.unary(UnaryFn::Exp, a)));
  t = g.binary(BinaryFn::Pow, t, g.constant(1.5));
  return g.binary(BinaryFn::Div, g.constant(3.0), g.binary(BinaryFn::Add, t, g.constant(0.5)));
}

}  // namespace

TEST_CASE("a run of scalar operations is one ScalarBlock: same values as the vector kernels") {
  Graph g1;
  NodeId r1[] = {scalar_chain(g1, g1.input(0, 1), g1.input(1, 1))};
  g1.set_target(g1.sum(r1));
  Tape t1(g1);
  CHECK(t1.num_ops() > t1.num_nodes());  // a block holds several operations
  // The same chain on vectors of two elements (no block), at (a, a) and (b, b).
  Graph g2;
  NodeId r2[] = {scalar_chain(g2, g2.input(0, 2), g2.input(2, 2))};
  g2.set_target(g2.sum(r2));
  Tape t2(g2);
  CHECK(t2.num_ops() == t2.num_nodes());
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(0.2, 1.5);
  for (int rep = 0; rep < 5; ++rep) {
    double a = u(rng), b = u(rng);
    std::vector<double> q1 = {a, b}, q2 = {a, a, b, b};
    check_fd(t1, q1);
    Evaluator e1(t1, 1), e2(t2, 1);
    std::vector<double> g1v(2), g2v(4);
    double l1 = e1.logp_grad(q1, g1v), l2 = e2.logp_grad(q2, g2v);
    CHECK(l2 == 2 * l1);
    CHECK(g1v[0] == g2v[0]);
    CHECK(g1v[1] == g2v[2]);
    // Batched: bit-identical to one point.
    Evaluator eb(t1, 3);
    std::vector<double> qb = {a, b, b, a, a + 0.1, b}, lb(3), gb(6);
    eb.logp_grad(qb.data(), lb.data(), gb.data());
    CHECK(lb[0] == l1);
    CHECK(gb[0] == g1v[0]);
    CHECK(gb[1] == g1v[1]);
  }
}

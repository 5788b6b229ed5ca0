// Chain behaviour: determinism, lockstep interleaving, gradient accounting, NaN regions, failures,
// fixed parameters without warm-up, and equality with a literal port of Stan's recursive NUTS.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "sampler/hamiltonian.hpp"
#include "sampler_test_util.hpp"

using namespace mcmc::sampler;
using namespace mcmc::sampler::testing;

namespace {

Density correlated_normal() {
  // Bivariate normal with unit variances and correlation 0.9, plus an independent third coordinate.
  return [](const std::vector<double>& q, std::vector<double>& g) {
    const double r = 0.9, d = 1 - r * r;
    const double x = q[0], y = q[1];
    g[0] = -(x - r * y) / d;
    g[1] = -(y - r * x) / d;
    g[2] = -q[2];
    return -0.5 * (x * x - 2 * r * x * y + y * y) / d - 0.5 * q[2] * q[2];
  };
}

void check_same(const Draws& a, const Draws& b) {
  REQUIRE(a.q.size() == b.q.size());
  for (std::size_t i = 0; i < a.q.size(); ++i) {
    CHECK(a.q[i] == b.q[i]);
    CHECK(a.info[i].lp == b.info[i].lp);
    CHECK(a.info[i].accept_stat == b.info[i].accept_stat);
    CHECK(a.info[i].energy == b.info[i].energy);
    CHECK(a.info[i].n_leapfrog == b.info[i].n_leapfrog);
  }
  CHECK(a.step_size == b.step_size);
  CHECK(a.inv_metric == b.inv_metric);
  CHECK(a.gradient_evals == b.gradient_evals);
}

}  // namespace

TEST_CASE("same seed, same draws; lockstep interleaving changes nothing") {
  for (Algorithm alg : {Algorithm::Nuts, Algorithm::StaticHmc}) {
    SamplerSettings s;
    s.algorithm = alg;
    s.warmup = 150;
    s.samples = 100;
    s.jitter = true;
    const Density f = correlated_normal();
    const std::vector<double> q0{0.5, -0.5, 1.0}, q1{-1.0, 0.2, 0.0};
    const Draws a0 = run_chain(s, 2024, 0, f, q0), b0 = run_chain(s, 2024, 0, f, q0);
    const Draws a1 = run_chain(s, 2024, 1, f, q1);
    check_same(a0, b0);
    CHECK(a0.q != a1.q);

    // Lockstep: advance both chains one stop at a time, as a vmap driver would.
    Chain c0 = make_chain(s, 2024, 0, f, q0), c1 = make_chain(s, 2024, 1, f, q1);
    Draws l0, l1;
    bool more0 = true, more1 = true;
    while (more0 || more1) {
      if (more0) more0 = step(c0, f, l0);
      if (more1) more1 = step(c1, f, l1);
    }
    collect_final(c0, l0);
    collect_final(c1, l1);
    check_same(a0, l0);
    check_same(a1, l1);
  }
}

TEST_CASE("without warm-up the given step size and metric are used and gradients are never recomputed") {
  SamplerSettings s;
  s.warmup = 0;
  s.samples = 300;
  s.step_size = 0.4;
  s.inv_metric = {1.0, 2.0, 0.5};
  const Draws d = run_chain(s, 3, 0, correlated_normal(), {0.0, 0.0, 0.0});
  CHECK(d.step_size == 0.4);
  CHECK(d.inv_metric == s.inv_metric);
  long leapfrogs = 0;
  for (const auto& info : d.info) {
    CHECK(info.step_size == 0.4);
    leapfrogs += info.n_leapfrog;
  }
  CHECK(d.gradient_evals == leapfrogs);
  CHECK(d.warmup_info.empty());
}

TEST_CASE("a density that is NaN in a region produces divergences, not crashes") {
  // Standard normal in 2-d whose log density and gradient are NaN for q[0] > 1.
  const Density f = [](const std::vector<double>& q, std::vector<double>& g) {
    if (q[0] > 1.0) {
      g[0] = g[1] = std::numeric_limits<double>::quiet_NaN();
      return std::numeric_limits<double>::quiet_NaN();
    }
    g[0] = -q[0];
    g[1] = -q[1];
    return -0.5 * (q[0] * q[0] + q[1] * q[1]);
  };
  for (Algorithm alg : {Algorithm::Nuts, Algorithm::StaticHmc}) {
    SamplerSettings s;
    s.algorithm = alg;
    s.warmup = 200;
    s.samples = 500;
    const Draws d = run_chain(s, 11, 0, f, {0.0, 0.0});
    REQUIRE(d.failure.empty());
    REQUIRE(d.q.size() == 500);
    int divergent = 0;
    for (std::size_t i = 0; i < d.q.size(); ++i) {
      CHECK(d.q[i][0] <= 1.0);
      CHECK(std::isfinite(d.info[i].lp));
      CHECK(std::isfinite(d.info[i].energy));
      divergent += d.info[i].divergent;
    }
    if (alg == Algorithm::Nuts) {
      CHECK(divergent > 0);
    } else {
      CHECK(divergent == 0);
      int rejected = 0;
      for (std::size_t i = 1; i < d.q.size(); ++i) rejected += d.q[i] == d.q[i - 1];
      CHECK(rejected > 0);
    }
  }
}

TEST_CASE("an improper (flat) posterior fails the step-size search") {
  const Density flat = [](const std::vector<double>& q, std::vector<double>& g) {
    for (auto& x : g) x = 0;
    return 0.0;
  };
  SamplerSettings s;
  const Draws d = run_chain(s, 1, 0, flat, {0.0, 0.0});
  CHECK(d.failure == "Posterior is improper. Please check your model.");
  CHECK(d.q.empty());
  CHECK(d.warmup_info.empty());
  CHECK(d.gradient_evals > 10);
}

TEST_CASE("warm-up draws are flagged and counted") {
  SamplerSettings s;
  s.warmup = 30;
  s.samples = 20;
  Chain c = make_chain(s, 8, 2, std_normal(), {0.1});
  int warm = 0, post = 0, expected_iteration = 0;
  const Density f = std_normal();
  while (c.status() != Chain::Status::Finished) {
    if (c.status() == Chain::Status::NeedGradient) {
      std::vector<double> q(c.query().begin(), c.query().end()), g(1);
      c.provide(f(q, g), g);
    } else {
      CHECK(c.iteration() == expected_iteration++);
      (c.is_warmup() ? warm : post)++;
      CHECK(c.adapted() == (c.iteration() >= 29));
      c.next();
    }
  }
  CHECK(warm == 30);
  CHECK(post == 20);
  CHECK(c.adapted());
}

// ---- A literal port of Stan's recursive base_nuts (2.23+) on the same random stream. ----
namespace {

struct RefNuts {
  const Density& f;
  const Hamiltonian& ham;
  Rng& rng;
  double eps;
  int max_depth = 10;
  double max_delta_h = 1000;
  bool divergent = false;
  Point z;

  void evolve(double e) {
    ham.begin_leapfrog(z, e);
    std::vector<double> g(z.q.size());
    const double lp = f(z.q, g);
    ham.end_leapfrog(z, lp, g, e);
  }

  std::vector<double> sharp(const std::vector<double>& p) {
    std::vector<double> out;
    ham.p_sharp(p, out);
    return out;
  }

  static std::vector<double> plus(const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<double> c(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) c[i] = a[i] + b[i];
    return c;
  }

  bool build_tree(int depth, Point& z_propose, std::vector<double>& p_sharp_beg, std::vector<double>& p_sharp_end,
                  std::vector<double>& rho, std::vector<double>& p_beg, std::vector<double>& p_end, double H0,
                  double sign, int& n_leapfrog, double& log_sum_weight, double& sum_metro_prob) {
    const double inf = std::numeric_limits<double>::infinity();
    if (depth == 0) {
      evolve(sign * eps);
      ++n_leapfrog;
      double h = ham.energy(z);
      if (h - H0 > max_delta_h) divergent = true;
      log_sum_weight = log_sum_exp(log_sum_weight, H0 - h);
      sum_metro_prob += H0 - h > 0 ? 1 : std::exp(H0 - h);
      z_propose = z;
      p_sharp_beg = sharp(z.p);
      p_sharp_end = p_sharp_beg;
      rho = plus(rho, z.p);
      p_beg = z.p;
      p_end = p_beg;
      return !divergent;
    }
    const std::size_t n = z.q.size();
    double log_sum_weight_init = -inf;
    std::vector<double> p_init_end(n), p_sharp_init_end(n), rho_init(n, 0.0);
    if (!build_tree(depth - 1, z_propose, p_sharp_beg, p_sharp_init_end, rho_init, p_beg, p_init_end, H0, sign,
                    n_leapfrog, log_sum_weight_init, sum_metro_prob))
      return false;
    Point z_propose_final = z;
    double log_sum_weight_final = -inf;
    std::vector<double> p_final_beg(n), p_sharp_final_beg(n), rho_final(n, 0.0);
    if (!build_tree(depth - 1, z_propose_final, p_sharp_final_beg, p_sharp_end, rho_final, p_final_beg, p_end, H0,
                    sign, n_leapfrog, log_sum_weight_final, sum_metro_prob))
      return false;
    const double log_sum_weight_subtree = log_sum_exp(log_sum_weight_init, log_sum_weight_final);
    log_sum_weight = log_sum_exp(log_sum_weight, log_sum_weight_subtree);
    if (log_sum_weight_final > log_sum_weight_subtree) {
      z_propose = z_propose_final;
    } else if (rng.uniform() < std::exp(log_sum_weight_final - log_sum_weight_subtree)) {
      z_propose = z_propose_final;
    }
    const std::vector<double> rho_subtree = plus(rho_init, rho_final);
    rho = plus(rho, rho_subtree);
    bool persist = no_u_turn(p_sharp_beg, p_sharp_end, rho_subtree);
    persist &= no_u_turn(p_sharp_beg, p_sharp_final_beg, plus(rho_init, p_final_beg));
    persist &= no_u_turn(p_sharp_init_end, p_sharp_end, plus(rho_final, p_init_end));
    return persist;
  }

  // One transition from `start`; returns the sample and fills the statistics.
  Point transition(const Point& start, TransitionInfo& info) {
    const double inf = std::numeric_limits<double>::infinity();
    z = start;
    ham.sample_p(z, rng);
    Point z_fwd = z, z_bck = z, z_sample = z, z_propose = z;
    std::vector<double> p_fwd_fwd = z.p, p_sharp_fwd_fwd = sharp(z.p);
    std::vector<double> p_fwd_bck = z.p, p_sharp_fwd_bck = p_sharp_fwd_fwd;
    std::vector<double> p_bck_fwd = z.p, p_sharp_bck_fwd = p_sharp_fwd_fwd;
    std::vector<double> p_bck_bck = z.p, p_sharp_bck_bck = p_sharp_fwd_fwd;
    std::vector<double> rho = z.p;
    double log_sum_weight = 0;
    const double H0 = ham.energy(z);
    int n_leapfrog = 0;
    double sum_metro_prob = 0;
    int depth = 0;
    divergent = false;
    const std::size_t n = z.q.size();
    while (depth < max_depth) {
      std::vector<double> rho_fwd(n, 0.0), rho_bck(n, 0.0);
      bool valid = false;
      double log_sum_weight_subtree = -inf;
      if (rng.uniform() > 0.5) {
        z = z_fwd;
        rho_bck = rho;
        p_bck_fwd = p_fwd_fwd;
        p_sharp_bck_fwd = p_sharp_fwd_fwd;
        valid = build_tree(depth, z_propose, p_sharp_fwd_bck, p_sharp_fwd_fwd, rho_fwd, p_fwd_bck, p_fwd_fwd, H0, 1,
                           n_leapfrog, log_sum_weight_subtree, sum_metro_prob);
        z_fwd = z;
      } else {
        z = z_bck;
        rho_fwd = rho;
        p_fwd_bck = p_bck_bck;
        p_sharp_fwd_bck = p_sharp_bck_bck;
        valid = build_tree(depth, z_propose, p_sharp_bck_fwd, p_sharp_bck_bck, rho_bck, p_bck_fwd, p_bck_bck, H0, -1,
                           n_leapfrog, log_sum_weight_subtree, sum_metro_prob);
        z_bck = z;
      }
      if (!valid) break;
      ++depth;
      if (log_sum_weight_subtree > log_sum_weight) {
        z_sample = z_propose;
      } else if (rng.uniform() < std::exp(log_sum_weight_subtree - log_sum_weight)) {
        z_sample = z_propose;
      }
      log_sum_weight = log_sum_exp(log_sum_weight, log_sum_weight_subtree);
      rho = plus(rho_bck, rho_fwd);
      bool persist = no_u_turn(p_sharp_bck_bck, p_sharp_fwd_fwd, rho);
      persist &= no_u_turn(p_sharp_bck_bck, p_sharp_fwd_bck, plus(rho_bck, p_fwd_bck));
      persist &= no_u_turn(p_sharp_bck_fwd, p_sharp_fwd_fwd, plus(rho_fwd, p_bck_fwd));
      if (!persist) break;
    }
    info = TransitionInfo{};
    info.n_leapfrog = n_leapfrog;
    info.treedepth = depth;
    info.divergent = divergent;
    info.accept_stat = sum_metro_prob / n_leapfrog;
    info.energy = ham.energy(z_sample);
    info.lp = z_sample.logp;
    return z_sample;
  }
};

}  // namespace

TEST_CASE("the NUTS state machine equals a literal port of Stan's recursion, bit for bit") {
  // A correlated target with a NaN wall (divergences) and a small max depth (depth cap).
  const Density base = correlated_normal();
  const Density f = [&base](const std::vector<double>& q, std::vector<double>& g) {
    if (q[2] > 1.5) {
      for (auto& x : g) x = std::numeric_limits<double>::quiet_NaN();
      return -std::numeric_limits<double>::infinity();
    }
    return base(q, g);
  };
  for (int max_depth : {10, 3}) {
    for (double eps : {0.3, 0.9}) {
      CAPTURE(max_depth);
      CAPTURE(eps);
      SamplerSettings s;
      s.warmup = 0;
      s.samples = 400;
      s.step_size = eps;
      s.max_depth = max_depth;
      s.inv_metric = {1.0, 0.8, 1.3};
      const std::vector<double> q0{0.2, 0.1, -0.3};
      const Draws d = run_chain(s, 555, 4, f, q0);

      Hamiltonian ham(s.inv_metric);
      Rng rng(555, 4);
      RefNuts ref{f, ham, rng, eps, 10, 1000, false, Point{}};
      ref.max_depth = max_depth;
      Point cur;
      cur.q = q0;
      cur.grad.resize(3);
      cur.logp = f(cur.q, cur.grad);
      cur.p.assign(3, 0.0);
      int divergent = 0, capped = 0;
      REQUIRE(d.q.size() == 400);
      for (std::size_t i = 0; i < d.q.size(); ++i) {
        TransitionInfo info;
        cur = ref.transition(cur, info);
        CHECK(d.q[i] == cur.q);
        CHECK(d.info[i].lp == info.lp);
        CHECK(d.info[i].accept_stat == info.accept_stat);
        CHECK(d.info[i].energy == info.energy);
        CHECK(d.info[i].treedepth == info.treedepth);
        CHECK(d.info[i].n_leapfrog == info.n_leapfrog);
        CHECK(d.info[i].divergent == info.divergent);
        divergent += info.divergent;
        capped += info.treedepth == max_depth;
      }
      if (eps == 0.9) CHECK(divergent > 0);
      if (max_depth == 3 && eps == 0.3) CHECK(capped > 0);
    }
  }
}

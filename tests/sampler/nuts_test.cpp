// NUTS with Stan's adaptation on standard and scaled normals: moments within MCSE bounds,
// adapted metric and step size, no divergences.
#include <doctest/doctest.h>

#include <cmath>

#include "sampler_test_util.hpp"

using namespace mcmc::sampler;
using namespace mcmc::sampler::testing;

namespace {

struct Run {
  std::vector<Draws> chains;
};

Run run_chains(const SamplerSettings& s, std::uint64_t seed, int n_chains, const Density& f, int dim,
               double init = 0.5) {
  Run r;
  for (int c = 0; c < n_chains; ++c) {
    std::vector<double> q0(dim);
    for (int i = 0; i < dim; ++i) q0[i] = init * ((i + c) % 3 - 1);  // dispersed, deterministic
    r.chains.push_back(run_chain(s, seed, c, f, q0));
  }
  return r;
}

// Per coordinate: mean within 4 MCSE of 0 and variance (E q^2) within 4 MCSE of the truth.
void check_moments(const Run& r, int dim, const std::vector<double>& sd) {
  for (int i = 0; i < dim; ++i) {
    std::vector<std::vector<double>> x, x2;
    for (const auto& ch : r.chains) {
      x.emplace_back();
      x2.emplace_back();
      for (const auto& q : ch.q) {
        x.back().push_back(q[i]);
        x2.back().push_back(q[i] * q[i]);
      }
    }
    const Estimate m = batch_means(x, 20);
    const Estimate v = batch_means(x2, 20);
    INFO("coordinate " << i << " mean " << m.mean << " mcse " << m.mcse << " E[q^2] " << v.mean
                       << " mcse " << v.mcse);
    CHECK(m.mcse > 0);
    CHECK(std::abs(m.mean) < 4 * m.mcse);
    CHECK(std::abs(v.mean - sd[i] * sd[i]) < 4 * v.mcse);
    // The MCSE itself must be of the size an effective sample of at least 10% gives.
    const double n = static_cast<double>(r.chains.size() * r.chains[0].q.size());
    CHECK(m.mcse < sd[i] / std::sqrt(0.1 * n));
  }
}

}  // namespace

TEST_CASE("NUTS on standard normals in 1, 10 and 100 dimensions") {
  for (int dim : {1, 10, 100}) {
    CAPTURE(dim);
    SamplerSettings s;
    const Run r = run_chains(s, 20240611 + dim, 4, std_normal(), dim);
    for (const auto& ch : r.chains) {
      REQUIRE(ch.failure.empty());
      REQUIRE(ch.q.size() == 1000);
      REQUIRE(ch.warmup_info.size() == 1000);
      int divergent = 0;
      double accept = 0;
      for (const auto& info : ch.info) {
        divergent += info.divergent;
        accept += info.accept_stat;
        CHECK(info.step_size == ch.step_size);
        CHECK(info.treedepth <= s.max_depth);
        // A completed depth-d trajectory has 2^d - 1 steps plus at most a rejected subtree.
        CHECK(info.n_leapfrog >= (1 << info.treedepth) - 1);
        CHECK(info.n_leapfrog <= (1 << (info.treedepth + 1)) - 1);
      }
      CHECK(divergent == 0);
      // Dual averaging targets delta = 0.8; its final step size typically gives a bit more.
      CHECK(accept / ch.info.size() > 0.7);
      CHECK(accept / ch.info.size() < 0.97);
      CHECK(ch.step_size > 0.2);
      CHECK(ch.step_size < 2.0);
      for (double m : ch.inv_metric) {
        CHECK(m > 0.7);
        CHECK(m < 1.4);
      }
    }
    check_moments(r, dim, std::vector<double>(dim, 1.0));
  }
}

TEST_CASE("NUTS adapts the inverse metric to scaled normals (sds 1 and 10)") {
  SamplerSettings s;
  const Run r = run_chains(s, 99, 4, scaled_normal({1.0, 10.0}), 2);
  for (const auto& ch : r.chains) {
    REQUIRE(ch.failure.empty());
    CHECK(ch.inv_metric[0] == doctest::Approx(1.0).epsilon(0.2));
    CHECK(ch.inv_metric[1] == doctest::Approx(100.0).epsilon(0.2));
    int divergent = 0;
    for (const auto& info : ch.info) divergent += info.divergent;
    CHECK(divergent == 0);
  }
  check_moments(r, 2, {1.0, 10.0});
}

TEST_CASE("short warm-ups still adapt and sample") {
  for (int warmup : {10, 100, 200}) {
    CAPTURE(warmup);
    SamplerSettings s;
    s.warmup = warmup;
    s.samples = 200;
    const Draws d = run_chain(s, 5, 0, scaled_normal({1.0, 3.0}), {0.1, -0.2});
    REQUIRE(d.failure.empty());
    CHECK(d.q.size() == 200);
    CHECK(d.warmup_info.size() == static_cast<std::size_t>(warmup));
    CHECK(d.step_size > 0);
    if (warmup < 150) {
      // Below 20 Stan adapts only the step size; below 75 + 25 + 50 its 15/75/10 fallback
      // never restarts its windows, so the metric is not adapted either.
      CHECK(d.inv_metric == std::vector<double>{1.0, 1.0});
    } else {
      CHECK(d.inv_metric[1] > 3.0);  // the wide coordinate (variance 9) got a larger variance
    }
  }
}

// Static HMC with a given step size on a 10-d normal: moments within MCSE bounds, jitter, int_time.
#include <doctest/doctest.h>

#include <cmath>

#include "sampler_test_util.hpp"

using namespace mcmc::sampler;
using namespace mcmc::sampler::testing;

TEST_CASE("static HMC on a 10-d standard normal") {
  for (bool jitter : {false, true}) {
    CAPTURE(jitter);
    SamplerSettings s;
    s.algorithm = Algorithm::StaticHmc;
    s.warmup = 0;
    s.samples = 2000;
    s.step_size = 0.25;
    s.steps = 7;
    s.jitter = jitter;
    const int dim = 10;
    std::vector<Draws> chains;
    for (int c = 0; c < 4; ++c) chains.push_back(run_chain(s, 1234, c, std_normal(), std::vector<double>(dim, 0.3)));
    double accept = 0;
    int n = 0;
    bool steps_vary = false;
    for (const auto& ch : chains) {
      REQUIRE(ch.q.size() == 2000);
      CHECK(ch.step_size == 0.25);
      for (const auto& info : ch.info) {
        CHECK(info.int_time == doctest::Approx(7 * 0.25));
        CHECK(info.step_size == 0.25);
        CHECK(info.n_leapfrog >= 1);
        CHECK(info.n_leapfrog <= (jitter ? 13 : 7));
        if (!jitter) CHECK(info.n_leapfrog == 7);
        steps_vary = steps_vary || info.n_leapfrog != 7;
        CHECK(info.accept_stat <= 1.0);
        accept += info.accept_stat;
        ++n;
      }
    }
    CHECK(steps_vary == jitter);
    CHECK(accept / n > 0.9);  // eps = 0.25 on a unit normal: tiny energy errors
    for (int i = 0; i < dim; ++i) {
      std::vector<std::vector<double>> x, x2;
      for (const auto& ch : chains) {
        x.emplace_back();
        x2.emplace_back();
        for (const auto& q : ch.q) {
          x.back().push_back(q[i]);
          x2.back().push_back(q[i] * q[i]);
        }
      }
      const Estimate m = batch_means(x, 20), v = batch_means(x2, 20);
      INFO("coordinate " << i << " mean " << m.mean << " +- " << m.mcse << " E[q^2] " << v.mean << " +- " << v.mcse);
      CHECK(std::abs(m.mean) < 4 * m.mcse);
      CHECK(std::abs(v.mean - 1.0) < 4 * v.mcse);
      CHECK(m.mcse < 1.0 / std::sqrt(0.1 * 8000));
    }
  }
}

TEST_CASE("static HMC with warm-up adapts the step size") {
  SamplerSettings s;
  s.algorithm = Algorithm::StaticHmc;
  s.warmup = 300;
  s.samples = 300;
  s.steps = 5;
  const Draws d = run_chain(s, 77, 0, scaled_normal({1.0, 2.0, 4.0}), {0.1, 0.2, 0.3});
  REQUIRE(d.failure.empty());
  CHECK(d.step_size > 0.1);
  CHECK(d.step_size < 5.0);
  CHECK(d.inv_metric[2] > d.inv_metric[0]);
  double accept = 0;
  for (const auto& info : d.info) accept += info.accept_stat;
  CHECK(accept / d.info.size() > 0.6);
}

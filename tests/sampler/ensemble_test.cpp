// Ensemble samplers: Halton jitter, the MEADS eigenvalue estimate, and ChEES / MEADS sampling known targets.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <numeric>
#include <vector>

#include "sampler/ensemble.hpp"
#include "util/error.hpp"
#include "sampler_test_util.hpp"

using namespace mcmc::sampler;
using namespace mcmc::sampler::testing;

TEST_CASE("halton: the base-2 van der Corput sequence") {
  CHECK(halton(1) == 0.5);
  CHECK(halton(2) == 0.25);
  CHECK(halton(3) == 0.75);
  CHECK(halton(4) == 0.125);
  CHECK(halton(5) == 0.625);
  CHECK(halton(6) == 0.375);
  for (std::uint64_t i = 1; i < 5000; ++i) {
    CHECK(halton(i) > 0);
    CHECK(halton(i) < 1);
  }
}

TEST_CASE("max_eigenvalue_estimate: sum_{i!=j} (x_i.x_j)^2 / (n(n-1)) over mean |x|^2") {
  // Rows (1,0), (0,1), (1,1): Gram off-diagonals 0, 1, 1; trace 4.
  const double X[] = {1, 0, 0, 1, 1, 1};
  CHECK(max_eigenvalue_estimate(X, 3, 2) == doctest::Approx(((2.0 * (0 + 1 + 1)) / 6) / (4.0 / 3)).epsilon(1e-15));
  // Rows from N(0, diag(1, 9)): the estimate converges to tr(S^2) / tr(S) = 82 / 10.
  Rng rng(7, 0);
  const std::size_t n = 4000;
  std::vector<double> Y(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    Y[2 * i] = rng.normal();
    Y[2 * i + 1] = 3 * rng.normal();
  }
  // Standard error of the estimate here is about 0.2 (checked over seeds); 4 standard errors.
  CHECK(std::abs(max_eigenvalue_estimate(Y.data(), n, 2) - 8.2) < 0.8);
}

namespace {

struct EnsembleRun {
  std::vector<std::vector<double>> chain_mean, chain_var;  // per chain, per coordinate (post-warm-up)
  std::vector<double> accept;                               // every post-warm-up accept_stat
  std::vector<double> inv_metric;                           // chain 0's metric after warm-up
  double step_size = 0;
  long grads = 0;
  long divergences = 0;
};

/// Drives `C` ensemble chains on `f` exactly as the parallel driver does (one iteration at a time).
EnsembleRun run_ensemble(const SamplerSettings& s, int C, const Density& f, std::size_t dim, std::uint64_t seed) {
  std::vector<Chain> chains;
  for (int c = 0; c < C; ++c) {
    Rng init(seed + 1000, static_cast<std::uint64_t>(c));
    std::vector<double> q0(dim);
    for (double& x : q0) x = 2 * init.uniform() - 1;
    chains.push_back(make_chain(s, seed, static_cast<std::uint64_t>(c), f, q0));
  }
  std::vector<Chain*> ptrs;
  for (auto& c : chains) ptrs.push_back(&c);
  auto ensemble = Ensemble::make(s, C, dim);
  EnsembleRun out;
  out.chain_mean.assign(C, std::vector<double>(dim, 0.0));
  out.chain_var.assign(C, std::vector<double>(dim, 0.0));
  std::vector<std::vector<double>> sum2(C, std::vector<double>(dim, 0.0));
  for (int t = 0; ptrs[0]->status() == Chain::Status::Waiting; ++t) {
    ensemble->step(ptrs, t);
    for (int c = 0; c < C; ++c) {
      Chain& ch = chains[c];
      while (ch.status() == Chain::Status::NeedGradient) {
        std::vector<double> q(ch.query().begin(), ch.query().end()), g(dim);
        const double lp = f(q, g);
        ch.provide(lp, g);
      }
      REQUIRE(ch.status() == Chain::Status::Draw);
      if (!ch.is_warmup()) {
        for (std::size_t i = 0; i < dim; ++i) {
          out.chain_mean[c][i] += ch.position()[i];
          sum2[c][i] += ch.position()[i] * ch.position()[i];
        }
        out.accept.push_back(ch.info().accept_stat);
        out.divergences += ch.info().divergent;
        if (c == 0 && out.inv_metric.empty()) {
          out.inv_metric.assign(ch.inv_metric().begin(), ch.inv_metric().end());
          out.step_size = ch.step_size();
        }
      }
      ch.next();
    }
  }
  for (int c = 0; c < C; ++c) {
    out.grads += chains[c].gradient_evals();
    for (std::size_t i = 0; i < dim; ++i) {
      out.chain_mean[c][i] /= s.samples;
      out.chain_var[c][i] = sum2[c][i] / s.samples - out.chain_mean[c][i] * out.chain_mean[c][i];
    }
  }
  return out;
}

double mean_of(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / v.size(); }
double sd_of(const std::vector<double>& v) {
  const double m = mean_of(v);
  double s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return std::sqrt(s / (v.size() - 1));
}

/// Pooled mean and variance of every coordinate against the truth. The chains are independent
/// after warm-up given the frozen settings, so the standard error of a pooled chain-mean
/// statistic is the spread of the per-chain statistic over sqrt(C); 4.5 standard errors.
void check_moments(const EnsembleRun& r, const std::vector<double>& sd) {
  const std::size_t C = r.chain_mean.size();
  for (std::size_t i = 0; i < sd.size(); ++i) {
    std::vector<double> means(C), vars(C);
    for (std::size_t c = 0; c < C; ++c) {
      means[c] = r.chain_mean[c][i];
      vars[c] = r.chain_var[c][i];
    }
    CAPTURE(i);
    const double mcse_mean = sd_of(means) / std::sqrt(static_cast<double>(C));
    CHECK(std::abs(mean_of(means)) < 4.5 * mcse_mean);
    CHECK(mcse_mean < 0.05 * sd[i]);  // not vacuous: the estimate is precise
    // E[within-chain variance] = var * (1 - 1/n_eff_chain); chains of 400 draws: allow that bias.
    const double mcse_var = sd_of(vars) / std::sqrt(static_cast<double>(C));
    CHECK(std::abs(mean_of(vars) - sd[i] * sd[i]) < 4.5 * mcse_var + 0.03 * sd[i] * sd[i]);
  }
}

}  // namespace

TEST_CASE("ChEES-HMC samples independent normals of very different scales") {
  const std::vector<double> sd = {1.0, 10.0, 0.1};
  SamplerSettings s;
  s.algorithm = Algorithm::Chees;
  s.delta = 0.651;
  s.gamma = 0.5;
  s.warmup = 300;
  s.samples = 400;
  const EnsembleRun r = run_ensemble(s, 64, scaled_normal(sd), sd.size(), 42);
  check_moments(r, sd);
  // The pooled metric learned the variances (64 chains x the windows' iterations).
  for (std::size_t i = 0; i < sd.size(); ++i) CHECK(r.inv_metric[i] == doctest::Approx(sd[i] * sd[i]).epsilon(0.15));
  // Dual averaging drives the harmonic mean of the chains' acceptance probabilities to 0.651 and
  // the final step size is its averaged iterate (smaller): the harmonic mean after warm-up is at
  // least near the target and the step size not collapsed (in 3 dimensions the harmonic mean
  // target leaves the arithmetic mean near 0.95).
  // r.accept is iteration-major: the harmonic mean over the 64 chains of each iteration, averaged.
  double mean_hmean = 0;
  const std::size_t iters = r.accept.size() / 64;
  for (std::size_t t = 0; t < iters; ++t) {
    double inv = 0;
    for (std::size_t c = 0; c < 64; ++c) inv += 1 / std::max(r.accept[t * 64 + c], 1e-300);
    mean_hmean += 64 / inv / static_cast<double>(iters);
  }
  CHECK(mean_hmean > 0.5);
  CHECK(mean_hmean < 0.95);
  CHECK(r.step_size > 0.25);  // unit-scale target after whitening; NUTS would use ~0.9
  CHECK(r.divergences == 0);
}

TEST_CASE("MEADS samples independent normals of very different scales") {
  const std::vector<double> sd = {1.0, 10.0, 0.1};
  SamplerSettings s;
  s.algorithm = Algorithm::Meads;
  s.warmup = 300;
  s.samples = 400;
  const EnsembleRun r = run_ensemble(s, 64, scaled_normal(sd), sd.size(), 43);
  check_moments(r, sd);
  // Each fold's metric is its neighbour fold's variance: 16 chains, so within ~50%.
  for (std::size_t i = 0; i < sd.size(); ++i) CHECK(r.inv_metric[i] == doctest::Approx(sd[i] * sd[i]).epsilon(0.5));
  // One leapfrog step per moved chain per iteration; a quarter of the chains rest each iteration.
  CHECK(r.grads == 64 * (300 + 400) * 3 / 4);
  CHECK(r.divergences == 0);
}

TEST_CASE("MEADS refuses fewer than two chains per fold") {
  SamplerSettings s;
  s.algorithm = Algorithm::Meads;
  CHECK_THROWS_AS(Ensemble::make(s, 7, 2), mcmc::Error);
  CHECK_NOTHROW(Ensemble::make(s, 8, 2));
}

// Shared helpers of the sampler tests: drivers for Chain, hand-written densities and MCSE estimates.
#pragma once

#include <cmath>
#include <functional>
#include <vector>

#include "sampler/chain.hpp"

namespace mcmc::sampler::testing {

/// Log density and gradient: returns logp and fills grad (sized like q).
using Density = std::function<double(const std::vector<double>&, std::vector<double>&)>;

inline Density std_normal() {
  return [](const std::vector<double>& q, std::vector<double>& g) {
    double lp = 0;
    for (std::size_t i = 0; i < q.size(); ++i) {
      lp -= 0.5 * q[i] * q[i];
      g[i] = -q[i];
    }
    return lp;
  };
}

/// Independent normals with the given standard deviations.
inline Density scaled_normal(std::vector<double> sd) {
  return [sd](const std::vector<double>& q, std::vector<double>& g) {
    double lp = 0;
    for (std::size_t i = 0; i < q.size(); ++i) {
      const double z = q[i] / sd[i];
      lp -= 0.5 * z * z;
      g[i] = -z / sd[i];
    }
    return lp;
  };
}

struct Draws {
  std::vector<std::vector<double>> q;  // post-warm-up positions
  std::vector<TransitionInfo> info;    // post-warm-up statistics
  std::vector<TransitionInfo> warmup_info;
  double step_size = 0;
  std::vector<double> inv_metric;
  long gradient_evals = 0;
  std::string failure;
};

inline Chain make_chain(const SamplerSettings& s, std::uint64_t seed, std::uint64_t id,
                        const Density& f, std::vector<double> q0) {
  std::vector<double> g(q0.size());
  const double lp = f(q0, g);
  return Chain(s, Rng(seed, id), q0, lp, g);
}

/// One step of a driver: answer a query, or record a draw and go on. False once finished.
inline bool step(Chain& c, const Density& f, Draws& out) {
  switch (c.status()) {
    case Chain::Status::NeedGradient: {
      std::vector<double> q(c.query().begin(), c.query().end()), g(q.size());
      const double lp = f(q, g);
      c.provide(lp, g);
      return true;
    }
    case Chain::Status::Draw:
      if (c.is_warmup()) {
        out.warmup_info.push_back(c.info());
      } else {
        out.q.emplace_back(c.position().begin(), c.position().end());
        out.info.push_back(c.info());
      }
      c.next();
      return true;
    case Chain::Status::Finished:
    case Chain::Status::Waiting:  // ensemble chains are driven by tests/sampler/ensemble_test.cpp
      break;
  }
  return false;
}

inline void collect_final(const Chain& c, Draws& out) {
  out.step_size = c.step_size();
  out.inv_metric.assign(c.inv_metric().begin(), c.inv_metric().end());
  out.gradient_evals = c.gradient_evals();
  out.failure = c.failure();
}

inline Draws run_chain(const SamplerSettings& s, std::uint64_t seed, std::uint64_t id, const Density& f,
                       std::vector<double> q0) {
  Chain c = make_chain(s, seed, id, f, std::move(q0));
  Draws out;
  while (step(c, f, out)) {
  }
  collect_final(c, out);
  return out;
}

/// Mean and batch-means Monte Carlo standard error of h(draw) over several chains.
struct Estimate {
  double mean = 0;
  double mcse = 0;
};

inline Estimate batch_means(const std::vector<std::vector<double>>& chains, int batches_per_chain) {
  std::vector<double> batch;
  double total = 0;
  std::size_t n = 0;
  for (const auto& x : chains) {
    const std::size_t size = x.size() / batches_per_chain;
    for (int b = 0; b < batches_per_chain; ++b) {
      double s = 0;
      for (std::size_t i = b * size; i < (b + 1) * size; ++i) s += x[i];
      batch.push_back(s / size);
      total += s;
      n += size;
    }
  }
  Estimate e;
  e.mean = total / n;
  double ss = 0;
  for (double m : batch) ss += (m - e.mean) * (m - e.mean);
  const double k = static_cast<double>(batch.size());
  e.mcse = std::sqrt(ss / (k - 1) / k);
  return e;
}

}  // namespace mcmc::sampler::testing

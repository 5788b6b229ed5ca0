// LockstepBlock: chains whose plain leapfrog steps run as arrays draw exactly what they draw alone, non-finite gradients included.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "graph/tape.hpp"
#include "io/data.hpp"
#include "lang/frontend.hpp"
#include "model/model.hpp"
#include "run/lockstep_block.hpp"
#include "sampler/chain.hpp"

using namespace mcmc;
using sampler::Chain;

namespace {

// log(2 - x) is NaN for x > 2: trajectories that cross it meet non-finite log densities and
// gradients (the chain rejects them), in the middle of their steps as well as at the end.
const char* kModel = R"(
parameters { real x; vector[3] y; }
model {
  x ~ normal(0, 1);
  y ~ normal(x, 2);
  target += log(2 - x);
}
)";

struct Record {
  std::vector<double> q;
  double lp, accept;
  int n_leapfrog;
  bool operator==(const Record&) const = default;
};

std::vector<Chain> make_chains(const model::Model& m, const sampler::SamplerSettings& s, int C) {
  graph::Evaluator ev(m.tape(), 1);
  std::vector<Chain> chains;
  for (int c = 0; c < C; ++c) {
    sampler::Rng init(99, static_cast<std::uint64_t>(c));
    std::vector<double> q(m.dim()), g(m.dim());
    for (double& v : q) v = init.uniform() - 0.5;
    const double lp = ev.logp_grad(q, g);
    chains.emplace_back(s, sampler::Rng(7, static_cast<std::uint64_t>(c)), q, lp, g);
  }
  return chains;
}

void record(Chain& ch, std::vector<Record>& out) {
  auto q = ch.position();
  out.push_back({std::vector<double>(q.begin(), q.end()), ch.info().lp, ch.info().accept_stat, ch.info().n_leapfrog});
  ch.next();
}

}  // namespace

TEST_CASE("lockstep block: the same draws as the chains one by one") {
  auto program = std::make_shared<const lang::Program>(lang::parse_and_check("lockstep.stan", kModel));
  auto model = model::Model::compile(program, io::DataSet{}, 1);
  for (bool jitter : {false, true}) {
    for (int warmup : {0, 60}) {
      CAPTURE(jitter);
      CAPTURE(warmup);
      sampler::SamplerSettings s;
      s.algorithm = sampler::Algorithm::StaticHmc;
      s.warmup = warmup;
      s.samples = 40;
      s.steps = 12;
      s.jitter = jitter;
      s.step_size = 1.1;
      const int C = 13;

      // One by one, counting the non-finite log densities met.
      std::vector<std::vector<Record>> alone(C);
      int nonfinite = 0;
      {
        auto chains = make_chains(*model, s, C);
        graph::Evaluator ev(model->tape(), 1);
        std::vector<double> g(model->dim());
        for (int c = 0; c < C; ++c) {
          Chain& ch = chains[c];
          while (ch.status() != Chain::Status::Finished) {
            if (ch.status() == Chain::Status::NeedGradient) {
              const double lp = ev.logp_grad(ch.query(), g);
              nonfinite += std::isfinite(lp) ? 0 : 1;
              ch.provide(lp, g);
            } else {
              record(ch, alone[c]);
            }
          }
        }
      }
      CHECK(nonfinite > 5);

      // Together: the block takes every plain step it can, the rest one by one.
      std::vector<std::vector<Record>> together(C);
      std::int64_t paid = 0, useful = 0;
      {
        auto chains = make_chains(*model, s, C);
        std::vector<Chain*> ptrs;
        for (Chain& ch : chains) ptrs.push_back(&ch);
        run::LockstepBlock block(model->tape());
        graph::Evaluator ev(model->tape(), 1);
        std::vector<double> g(model->dim());
        for (bool busy = true; busy;) {
          busy = false;
          block.advance(ptrs, paid, useful);
          for (int c = 0; c < C; ++c) {
            Chain& ch = chains[c];
            if (ch.status() == Chain::Status::Finished) continue;
            busy = true;
            if (ch.status() == Chain::Status::NeedGradient) {
              const double lp = ev.logp_grad(ch.query(), g);
              ch.provide(lp, g);
            } else {
              record(ch, together[c]);
            }
          }
        }
      }
      CHECK(useful > 0);
      CHECK(useful <= paid);
      for (int c = 0; c < C; ++c) {
        CAPTURE(c);
        REQUIRE(together[c].size() == alone[c].size());
        CHECK(together[c] == alone[c]);
      }
    }
  }
}

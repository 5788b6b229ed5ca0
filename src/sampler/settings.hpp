// The sampler's settings in one documented struct, defaults as in CmdStan.
#pragma once

#include <string>
#include <vector>

namespace mcmc::sampler {

enum class Algorithm {
  Nuts,       // the no-U-turn sampler, multinomial, generalized U-turn criterion (Stan's base_nuts)
  StaticHmc,  // HMC with a fixed number of leapfrog steps (`steps`), optionally jittered
  Chees,      // ensemble: jittered HMC whose trajectory length is shared by all chains and
              // tuned across chains by the ChEES criterion (Hoffman, Radul & Sountsov 2021)
  Meads,      // ensemble: generalized HMC with persistent momentum, parameters of each fold of
              // chains set from another fold (Hoffman & Sountsov 2022)
};

/// Ensemble algorithms: chains advance one iteration at a time together, their transition
/// parameters set between iterations from statistics of the whole ensemble.
inline bool is_ensemble(Algorithm a) { return a == Algorithm::Chees || a == Algorithm::Meads; }

struct SamplerSettings {
  Algorithm algorithm = Algorithm::Nuts;
  int warmup = 1000;       // warm-up iterations; adaptation runs during them when warmup > 0
  int samples = 1000;      // post-warm-up draws
  int thin = 1;            // keep every thin-th draw (the kernel still runs every iteration)
  bool save_warmup = false;

  // NUTS
  int max_depth = 10;          // maximum tree depth (2^max_depth leapfrog steps at most)
  double max_delta_h = 1000;   // energy error above which a trajectory is divergent

  // Static HMC
  int steps = 10;         // leapfrog steps per transition
  bool jitter = false;    // draw the step count uniformly from 1..2*steps-1 per transition (mean = steps)

  // ChEES-HMC (see sampler/ensemble.hpp). Step size and metric adapt as in Stan's windowed
  // adaptation, but from statistics pooled over all chains; `delta` defaults to 0.651 there.
  double chees_learning_rate = 0.05;   // Adam's learning rate on log(trajectory length) (betas 0.9, 0.95)
  double chees_decay = 0.5;            // moving-average weight t^-decay of log(trajectory length)
  int max_steps = 1000;                // cap on leapfrog steps per transition (trajectory <= max_steps * eps)

  // MEADS
  int folds = 4;  // chains are split into this many folds (chain c belongs to fold c % folds)

  // Initial step size and inverse metric (empty: the identity; dim values: a diagonal; dim * dim
  // values: a dense matrix, row-major).
  double step_size = 1.0;
  std::vector<double> inv_metric;

  // NUTS and static HMC: the metric and the warm-up adaptation, by their registered names
  // (sampler/metric.hpp, sampler/adaptation.hpp). CmdStan's here; `mcmc run` has its own
  // defaults (run::RunSettings).
  std::string metric = "diag";
  std::string adapt = "stan";
  bool adapt_metric = true;  // false: the metric stays as given; warm-up adapts the step size only

  // Stan's windowed adaptation (only when warmup > 0)
  double delta = 0.8;   // target acceptance statistic
  double gamma = 0.05;  // dual-averaging regularization scale
  double kappa = 0.75;  // dual-averaging relaxation exponent
  double t0 = 10;       // dual-averaging iteration offset
  int init_buffer = 75; // fast interval before the first metric window
  int term_buffer = 50; // fast interval after the last metric window
  int window = 25;      // first metric window; later windows double
};

}  // namespace mcmc::sampler

// The warm-up adaptation interface (init / update / finish) of NUTS and static HMC, and its registry.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "sampler/hamiltonian.hpp"
#include "sampler/settings.hpp"
#include "util/state_io.hpp"

namespace mcmc::sampler {

/// What an adaptation asks of the chain after a warm-up transition.
struct AdaptStep {
  double step_size = 0;   // the step size of the next transition
  bool search = false;    // the metric changed: search a step size again from the current point
                          // (then call searched() with the result)
  std::string failure;    // non-empty: the chain fails with this message
};

/// A warm-up adaptation strategy. The chain calls init() before its initial step-size search,
/// searched() after every step-size search, update() after every warm-up transition and
/// finish() after the last one. It changes the metric through ham.metric() (then ham.refresh()).
class Adaptation {
 public:
  virtual ~Adaptation() = default;
  /// `start` is the initial point (with its gradient); `step_size` the user's initial step size.
  virtual void init(const Point& start, Hamiltonian& ham, double step_size) = 0;
  /// A step-size search found `step_size` (`initial`: the search before the first transition).
  virtual void searched(double step_size, bool initial) = 0;
  /// After warm-up transition `iteration` (0-based) that ended at `current`.
  virtual AdaptStep update(int iteration, const Point& current, double accept_stat, Hamiltonian& ham) = 0;
  /// The step size of the draws.
  virtual double finish() = 0;
  /// --checkpoint: the adaptation's state between two warm-up transitions (its estimators
  /// included), to the last bit. An adaptation without it cannot be checkpointed.
  virtual void save(StateWriter&) const { throw StateError("--checkpoint supports --adapt stan only"); }
  virtual void restore(StateReader&) { throw StateError("--checkpoint supports --adapt stan only"); }
};

/// A registered adaptation: `make(settings, dim)`.
struct AdaptationKind {
  const char* name;
  const char* help;
  std::unique_ptr<Adaptation> (*make)(const SamplerSettings& s, std::size_t dim);
};

/// Every adaptation, in the order `--adapt` lists them.
std::span<const AdaptationKind> adaptation_kinds();
/// The named adaptation; throws std::invalid_argument for an unknown name.
std::unique_ptr<Adaptation> make_adaptation(const SamplerSettings& s, std::size_t dim);

}  // namespace mcmc::sampler

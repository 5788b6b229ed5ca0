// The metric interface (M^-1 on a momentum, kinetic energy, momentum draws) and its estimators, by name.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sampler/rng.hpp"
#include "util/state_io.hpp"

namespace mcmc::sampler {

class MetricEstimator;

/// A Euclidean metric M (Stan's *_e_metric): the kinetic energy is p' M^-1 p / 2. A chain owns
/// its metric; warm-up adaptation replaces its values through an estimator.
class Metric {
 public:
  virtual ~Metric() = default;
  virtual std::size_t dim() const = 0;

  /// out = M^-1 p (the velocity dq/dt; NUTS's p_sharp).
  virtual void velocity(std::span<const double> p, std::vector<double>& out) const = 0;
  /// p' M^-1 p / 2.
  virtual double kinetic(std::span<const double> p) const = 0;
  /// p ~ normal(0, M), from the chain's own random stream.
  virtual void sample_momentum(std::vector<double>& p, Rng& rng) const = 0;

  /// The diagonal of M^-1 (what the ensemble samplers and MEADS' momentum use).
  virtual const std::vector<double>& inverse_diagonal() const = 0;
  /// Replaces M^-1 by a diagonal matrix (an ensemble's pooled variances; the gradient-based
  /// adaptation's first guess). Entries must be positive and finite.
  virtual void set_inverse_diagonal(std::span<const double> v) = 0;
  /// M^-1 as the output writes it: its diagonal (dim values) when dense() is false, else the
  /// whole matrix (dim * dim values, row-major).
  virtual std::vector<double> elements() const = 0;
  virtual bool dense() const = 0;

  /// A new estimator of this metric from warm-up draws, for the named adaptation ("stan",
  /// "gradient": the estimator may use the draws' gradients).
  virtual std::unique_ptr<MetricEstimator> estimator(const std::string& adaptation) const = 0;

  /// --checkpoint: the metric's values, to the last bit. A metric without them cannot be
  /// checkpointed (the run is refused before it starts).
  virtual void save(StateWriter&) const { throw StateError("--checkpoint supports --metric diag and dense only"); }
  virtual void restore(StateReader&) { throw StateError("--checkpoint supports --metric diag and dense only"); }
};

/// Accumulates warm-up draws (with their gradients) and turns them into a metric.
class MetricEstimator {
 public:
  virtual ~MetricEstimator() = default;
  virtual void add(std::span<const double> q, std::span<const double> grad) = 0;
  virtual std::size_t count() const = 0;
  virtual void restart() = 0;
  /// Writes the estimate into `metric` (the metric that made this estimator). Returns false
  /// when the estimate is not finite (`metric` may then hold it all the same).
  virtual bool update(Metric& metric) const = 0;
  /// How many draws apart continuous adaptation refreshes the metric (1: after every draw).
  virtual int refresh_interval() const { return 1; }
  /// --checkpoint: what has been accumulated (see Metric::save).
  virtual void save(StateWriter&) const { throw StateError("--checkpoint supports --metric diag and dense only"); }
  virtual void restore(StateReader&) { throw StateError("--checkpoint supports --metric diag and dense only"); }
};

/// A registered metric: `make(dim, elements)` starts from `elements` (empty: the identity;
/// dim values: a diagonal; dim * dim values: a dense matrix, row-major) or throws
/// std::invalid_argument saying what is wrong with them.
struct MetricKind {
  const char* name;
  const char* help;
  std::unique_ptr<Metric> (*make)(std::size_t dim, std::span<const double> elements);
};

/// Every metric, in the order `--metric` lists them.
std::span<const MetricKind> metric_kinds();
/// The named metric; throws std::invalid_argument for an unknown name or bad elements.
std::unique_ptr<Metric> make_metric(const std::string& name, std::size_t dim, std::span<const double> elements);

}  // namespace mcmc::sampler

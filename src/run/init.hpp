// `--init`, parsed once: a radius, a file of initial values, or Pathfinder; and the initial points it gives.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/data.hpp"
#include "model/model.hpp"
#include "optim/pathfinder.hpp"
#include "sampler/rng.hpp"

namespace mcmc::run {

struct Init {
  enum class Kind {
    Radius,      // uniform(-radius, radius) on the unconstrained scale (0: every coordinate 0)
    File,        // constrained values from a JSON file; parameters it lacks are drawn as with radius 2
    Pathfinder,  // a draw of multi-path Pathfinder, resampled by its importance weights
  };
  Kind kind = Kind::Radius;
  double radius = 2;
  std::string file;                                       // Kind::File
  std::shared_ptr<const io::DataSet> values;              // Kind::File: the file's values
  std::shared_ptr<const optim::PathfinderResult> draws;   // Kind::Pathfinder: after prepare()

  /// "pathfinder", a non-negative number (the radius), or else the name of a JSON file of
  /// constrained values, which is read here. Errors: mcmc::Error (Usage, or the reader's).
  static Init parse(const std::string& text);
  /// The spelling parse() reads ("2", "inits.json", "pathfinder"), for the configuration echo.
  std::string text() const;

  /// Kind::Pathfinder: runs multi-path Pathfinder (CmdStan's defaults; `threads` paths side by
  /// side, 0: all cores) with random streams derived from `seed`, once; the other kinds: nothing.
  void prepare(const model::Model& model, std::uint64_t seed, int threads);

  /// A random point by this rule (Radius, File) for a chain or a Pathfinder path, drawn from `rng`:
  /// Kind::Pathfinder: a Pathfinder draw picked by its weights with one uniform of `rng`.
  std::vector<double> point(const model::Model& model, sampler::Rng& rng) const;
  /// Whether point() can give another point after a failure (false: radius 0, a complete file).
  bool random(const model::Model& model) const;
};

/// The model's log density and gradient (with the Jacobian if the model was compiled with it)
/// for Pathfinder and L-BFGS: each call gives a fresh evaluator.
optim::DensityFactory model_density(const model::Model& model);

/// A finite initial point by `init` (up to 100 attempts), for Pathfinder's and optimize's start.
/// Throws mcmc::Error(Sampling) explaining the last failure.
std::vector<double> finite_initial_point(const model::Model& model, const Init& init, sampler::Rng& rng,
                                         optim::Density& density, const std::string& who);

}  // namespace mcmc::run

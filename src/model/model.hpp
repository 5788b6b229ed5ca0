// A compiled model: the log-density tape over the unconstrained parameters, plus output and initialization.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "graph/tape.hpp"
#include "io/data.hpp"
#include "lang/ast.hpp"
#include "model/value.hpp"
#include "sampler/rng.hpp"

namespace mcmc::model {

/// One declared output variable (parameter, transformed parameter or generated quantity).
struct OutputVar {
  std::string name;
  lang::BlockKind block;
  std::vector<std::size_t> dims;  // full shape (array dims, then vector length)
  std::size_t offset = 0;         // unconstrained offset (parameters only)
  std::size_t size = 0;           // number of elements
};

/// How a model's log density is compiled.
struct CompileOptions {
  /// Iid likelihoods of data with scalar parameters evaluated from sufficient statistics
  /// (graph::Graph::set_reduce); off: elementwise, for comparisons.
  bool sufficient_statistics = true;
  /// Per-iteration scalar terms of loops over data evaluated as vector nodes
  /// (graph::vectorize_terms); off: one node per scalar operation, for comparisons.
  bool vectorize_loops = true;
  /// The Jacobian terms of the constraining transforms in the log density (the density of the
  /// unconstrained parameters, for sampling); off: the density of the constrained parameters
  /// (`mcmc optimize`'s mode without --jacobian, as CmdStan's optimize).
  bool jacobian = true;
};

class Model {
 public:
  /// Binds the data, runs transformed data, and compiles the log density (with Jacobians)
  /// into a tape. `seed` feeds the random numbers of transformed data. Errors: mcmc::Error.
  static std::shared_ptr<const Model> compile(std::shared_ptr<const lang::Program> program,
                                              const io::DataSet& data, std::uint64_t seed,
                                              const CompileOptions& options = {});

  const std::string& name() const { return name_; }
  std::size_t dim() const { return dim_; }
  const graph::Tape& tape() const { return *tape_; }
  const lang::Program& program() const { return *program_; }
  std::size_t graph_nodes() const { return graph_nodes_; }

  /// Column names of a draw's values: parameters, transformed parameters, generated quantities,
  /// in declaration order, containers column-major, Stan style ("theta.1", "a.2.3").
  const std::vector<std::string>& column_names() const { return columns_; }
  /// Names of the unconstrained coordinates ("sigma", "theta[2]") for messages.
  const std::vector<std::string>& unconstrained_names() const { return uncon_names_; }
  const std::vector<OutputVar>& outputs() const { return outputs_; }

  /// The constrained values of a draw (one per column) at unconstrained point q;
  /// generated quantities draw from `rng`. Throws mcmc::Error when generated quantities fail.
  void write_row(std::span<const double> q, sampler::Rng& rng, std::vector<double>& out) const;
  /// The same, computing parameters and transformed parameters with a forward sweep of the
  /// output tape (`ev` from make_output_evaluator(); one per thread): no interpretation except
  /// for generated quantities.
  void write_row(std::span<const double> q, sampler::Rng& rng, std::vector<double>& out,
                 graph::Evaluator& ev) const;
  std::unique_ptr<graph::Evaluator> make_output_evaluator() const;

  /// An unconstrained initial point: parameters present in `inits` (constrained values, may be
  /// null) are unconstrained, the others take their values from `random_u`.
  std::vector<double> init_point(const io::DataSet* inits, std::span<const double> random_u) const;

  /// Why the log density is not finite at q: the first parameter or target term that is not,
  /// with its source position ("" when everything is finite).
  std::string explain(std::span<const double> q) const;

 private:
  Model() = default;
  struct Pass;  // one run of parameters (+ transformed parameters, model or generated quantities)

  std::shared_ptr<const lang::Program> program_;
  std::string name_;
  std::unordered_map<std::string, Value> globals_;  // data and transformed data
  std::string nan_data_;                            // the first NaN element of the data ("y[3]"), or ""
  std::unique_ptr<graph::Tape> tape_;
  std::unique_ptr<graph::Tape> out_tape_;  // constrained parameters and transformed parameters
  std::vector<std::pair<std::string, Value>> pt_values_;  // their values as graph refs, in order
  bool has_gq_ = false;
  std::size_t dim_ = 0;
  std::size_t graph_nodes_ = 0;
  std::vector<OutputVar> outputs_;
  std::vector<std::string> columns_;
  std::vector<std::string> uncon_names_;
  std::uint64_t seed_ = 0;
};

}  // namespace mcmc::model

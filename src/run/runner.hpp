// Running the chains of a model: initialization, the parallel and lockstep drivers, streaming output.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/data.hpp"
#include "io/draw_store.hpp"
#include "io/sink.hpp"
#include "model/model.hpp"
#include "run/init.hpp"
#include "run/settings.hpp"

namespace mcmc::run {

/// What one chain did.
struct ChainReport {
  int chain_id = 0;
  std::int64_t gradient_evals = 0;   // useful evaluations: initialization + every leapfrog step
  std::int64_t lockstep_paid = -1;   // vmap: evaluations paid by the chain's group (batch size per call)
  std::int64_t lockstep_useful = -1; // vmap: useful evaluations of the chain's group
  int lockstep_group = -1;           // vmap: index of the chain's group
  int divergences = 0;               // post-warm-up
  int max_depth_hits = 0;            // post-warm-up transitions that reached max_depth
  double warmup_seconds = 0;
  double sampling_seconds = 0;
  double step_size = 0;
  std::vector<double> inv_metric;    // the adapted inverse metric: its diagonal, or the matrix (row-major)
  bool dense_metric = false;         // inv_metric is the whole matrix
  int draws_written = 0;
  bool complete = false;
  std::string error;                 // why the chain stopped early ("" if it did not)
};

struct RunReport {
  std::vector<ChainReport> chains;
  std::vector<std::string> sampler_columns;
  std::vector<std::string> param_columns;
  /// Every chain's kept draws (sampler columns then parameter columns), for the summary.
  std::vector<std::unique_ptr<io::DrawStore>> draws;
  int threads = 1;
  double wall_seconds = 0;
  bool interrupted = false;
  io::RunFooter footer;  // the run's wall time as the output files record it
  std::vector<std::size_t> summary_chains;  // chains the summary used (those with draws)
  std::size_t summary_draws = 0;            // draws per chain the summary used
  // ChEES / MEADS: chains restarted from other chains' states during warm-up, and the chains
  // (0-based) still far below the ensemble's log density when warm-up ended (sampler/stragglers.hpp).
  std::int64_t restarted_chains = 0;
  std::vector<int> stuck_chains;
  // MPI, ChEES / MEADS: seconds spent exchanging the chains' states between ranks, and how many times.
  double exchange_seconds = 0;
  std::int64_t exchanges = 0;
};

/// The sampler columns of Stan CSV for an algorithm.
std::vector<std::string> sampler_columns(sampler::Algorithm a);

/// Runs every chain with the given driver (settings.mode), streaming draws into `output` (may be
/// null) and keeping them for the summary. `inits` holds initial values when --init is a file.
/// Throws mcmc::Error when a chain cannot start (e.g. no finite initial point) or output fails.
RunReport run_chains(const RunSettings& settings, const model::Model& model, io::Output* output,
                     const io::DataSet* inits);
/// The same with `--init` parsed (Init::parse): each chain's initial point comes from `init`
/// (Kind::Pathfinder: prepared here if it was not, and its gradients go to the run's footer).
RunReport run_chains(const RunSettings& settings, const model::Model& model, io::Output* output, Init& init);

}  // namespace mcmc::run

// Every setting of `mcmc run` in one documented struct, and its CmdStan-style echo.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "io/sink.hpp"
#include "sampler/settings.hpp"

namespace mcmc::run {

enum class Mode {
  Parallel,  // OpenMP: each thread runs whole chains on its own
  Vmap,      // lockstep: the chains of a group take each leapfrog step in one batched gradient call
};

/// The sampler settings `mcmc run` starts from: CmdStan's (Stan's windowed adaptation of a
/// diagonal metric). `--adapt gradient --metric lowrank` takes several times fewer gradients per
/// effective draw on the conformance models (bench/adaptation.sh, bench/results/adaptation.md),
/// but is not the default yet: --checkpoint cannot save its state (run/checkpoint.cpp refuses it)
/// and the conformance and posteriordb tests run under Stan's adaptation.
inline sampler::SamplerSettings run_sampler_defaults() {
  sampler::SamplerSettings s;
  s.metric = "diag";
  s.adapt = "stan";
  return s;
}

struct RunSettings {
  std::string model_file;         // the model (any extension)
  std::string data_file;          // Stan JSON data ("" = no data)
  std::string metric_file;        // --metric-file: the initial metric and step size ("" = none)
  std::string save_metric;        // --save-metric: write the adapted metric and step size here ("" = no)
  std::string profile_file;       // --profile-file: the time in each profile("...") region, CmdStan's CSV ("" = no)
  std::string init = "2";         // a radius R (uniform(-R, R) unconstrained) or a JSON file of constrained values
  sampler::SamplerSettings sampler = run_sampler_defaults();
  int chains = 4;
  Mode mode = Mode::Parallel;
  int threads = 0;                // 0: all cores (OMP_NUM_THREADS honoured) for parallel; 1 group for vmap
  std::uint64_t seed = 0;
  bool seed_given = false;        // without --seed a seed is drawn and echoed
  std::string output;             // "" = no files
  std::string format = "csv";     // csv | csv-long | json
  int sig_figs = 6;
  bool quiet = false;
  int refresh = 100;              // progress granularity (iterations)
  std::string progress_file;      // --progress-file: JSON lines appended while sampling ("" = none)
  double progress_interval = 1;   // --progress-interval: seconds between those lines
  std::vector<double> percentiles = {5, 50, 95};
  std::string checkpoint;         // --checkpoint: save every chain's state here ("" = no checkpoints; docs/checkpoint.md)
  int checkpoint_every = 100;     // --checkpoint-every: iterations between checkpoints (0: only on SIGINT / SIGTERM)
  std::string resume;             // --resume: continue the run this checkpoint belongs to ("" = a new run)
  std::vector<std::string> command_args;  // the command line after `run`, recorded in checkpoints
  std::set<std::string> given;    // option names the user set (the rest print "(Default)")
  int shard_index = -1;           // --shard i/N: this process runs block i - 1 of N of the chains (-1: all)
  int shard_count = 0;            // (neither is echoed: a shard's files are those of the whole run)

  bool is_given(const std::string& option) const { return given.count(option) > 0; }
};

const char* mode_name(Mode m);
const char* algorithm_name(sampler::Algorithm a);

/// The settings as CmdStan's argument tree (with our additions), defaults marked.
std::vector<io::ConfigEntry> config_entries(const RunSettings& s, int num_threads_used);

}  // namespace mcmc::run

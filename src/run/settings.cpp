// The CmdStan-style echo of the run settings (the `#` header of every output file).
#include "run/settings.hpp"

#include <fmt/format.h>

namespace mcmc::run {

const char* mode_name(Mode m) { return m == Mode::Parallel ? "parallel" : "vmap"; }

const char* algorithm_name(sampler::Algorithm a) {
  switch (a) {
    case sampler::Algorithm::Nuts: return "nuts";
    case sampler::Algorithm::StaticHmc: return "hmc";
    case sampler::Algorithm::Chees: return "chees";
    case sampler::Algorithm::Meads: return "meads";
  }
  return "?";
}

namespace {
std::string num(double x) { return fmt::format("{}", x); }
}  // namespace

std::vector<io::ConfigEntry> config_entries(const RunSettings& s, int num_threads_used) {
  std::vector<io::ConfigEntry> e;
  auto add = [&](int depth, const std::string& key, const std::string& value, const char* option) {
    e.push_back({depth, key, value, option ? !s.is_given(option) : false, false});
  };
  auto section = [&](int depth, const std::string& key) { e.push_back({depth, key, "", false, true}); };
  const auto& p = s.sampler;
  add(0, "method", "sample", nullptr);
  e.back().is_default = true;
  section(1, "sample");
  add(2, "num_samples", std::to_string(p.samples), "samples");
  add(2, "num_warmup", std::to_string(p.warmup), "warmup");
  add(2, "save_warmup", p.save_warmup ? "1" : "0", "save-warmup");
  add(2, "thin", std::to_string(p.thin), "thin");
  section(2, "adapt");
  add(3, "engaged", p.warmup > 0 ? "1" : "0", "warmup");
  add(3, "gamma", num(p.gamma), "adapt-gamma");
  add(3, "delta", num(p.delta), "target-accept");
  add(3, "kappa", num(p.kappa), "adapt-kappa");
  add(3, "t0", num(p.t0), "adapt-t0");
  add(3, "init_buffer", std::to_string(p.init_buffer), "adapt-init-buffer");
  add(3, "term_buffer", std::to_string(p.term_buffer), "adapt-term-buffer");
  add(3, "window", std::to_string(p.window), "adapt-window");
  add(3, "strategy", p.adapt, "adapt");
  add(2, "algorithm", "hmc", nullptr);
  e.back().is_default = true;
  section(3, "hmc");
  if (p.algorithm == sampler::Algorithm::Nuts) {
    add(4, "engine", "nuts", "algorithm");
    section(5, "nuts");
    add(6, "max_depth", std::to_string(p.max_depth), "max-depth");
  } else if (p.algorithm == sampler::Algorithm::StaticHmc) {
    add(4, "engine", "static", "algorithm");
    section(5, "static");
    add(6, "steps", std::to_string(p.steps), "steps");
    add(6, "jitter", p.jitter ? "1" : "0", "jitter");
  } else if (p.algorithm == sampler::Algorithm::Chees) {
    add(4, "engine", "chees", "algorithm");
    section(5, "chees");
    add(6, "max_steps", std::to_string(p.max_steps), "max-steps");
    add(6, "learning_rate", num(p.chees_learning_rate), nullptr);
    e.back().is_default = true;
    add(6, "decay", num(p.chees_decay), nullptr);
    e.back().is_default = true;
  } else {
    add(4, "engine", "meads", "algorithm");
    section(5, "meads");
    add(6, "folds", std::to_string(p.folds), "folds");
  }
  // Stan's names for Stan's metrics (diag_e, dense_e); ours for the others.
  add(4, "metric", p.metric == "diag" || p.metric == "dense" ? p.metric + "_e" : p.metric, "metric");
  if (!s.metric_file.empty()) {
    add(4, "metric_file", s.metric_file, "metric-file");
  } else {
    std::string metric;
    for (std::size_t i = 0; i < p.inv_metric.size(); ++i) metric += (i ? "," : "") + num(p.inv_metric[i]);
    add(4, "inv_metric", metric.empty() ? "unit" : metric, "inv-mass");  // "unit": the identity, then adapted
  }
  add(4, "stepsize", num(p.step_size), "step-size");
  add(4, "stepsize_jitter", "0", nullptr);
  e.back().is_default = true;
  add(2, "num_chains", std::to_string(s.chains), "chains");
  add(0, "mode", mode_name(s.mode), "mode");
  add(0, "data", "", nullptr);
  e.back().is_section = true;
  add(1, "file", s.data_file, "data");
  add(0, "init", s.init, "init");
  section(0, "random");
  add(1, "seed", std::to_string(s.seed), "seed");
  section(0, "output");
  add(1, "file", s.output, "output");
  add(1, "format", s.format, "format");
  add(1, "sig_figs", std::to_string(s.sig_figs), "sig-figs");
  add(0, "num_threads", std::to_string(num_threads_used), "threads");
  return e;
}

}  // namespace mcmc::run

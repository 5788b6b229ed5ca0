// `mcmc run`: options, loading model / data / inits, sampling, output and the closing summary.
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <optional>
#include <random>
#include <sstream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/config_file.hpp"
#include "io/data.hpp"
#include "lang/frontend.hpp"
#include "lang/observed.hpp"
#include "model/model.hpp"
#include "run/interrupt.hpp"
#include "run/metric_file.hpp"
#include "run/resolve.hpp"
#include "sampler/adaptation.hpp"
#include "sampler/metric.hpp"
#include "sampler/settings.hpp"
#include "run/report.hpp"
#include "run/runner.hpp"
#include "util/error.hpp"

namespace mcmc::cli {

bool given(const CLI::App& cmd, const std::string& name) {
  const CLI::Option* opt = cmd.get_option_no_throw(name);
  return opt && opt->count() > 0;
}

std::uint64_t seed_or_random(bool seed_given, std::uint64_t seed) {
  if (seed_given) return seed;
  std::random_device rd;
  return (static_cast<std::uint64_t>(rd()) << 32 | rd()) & 0xFFFFFFFFull;
}

namespace {

/// A validator for a number that must satisfy `ok`; `why` completes "Value X ..." otherwise.
/// (CLI11's PositiveNumber / NonNegativeNumber spell out DBL_MAX in their messages.)
template <class Ok>
CLI::Validator number_check(Ok ok, std::string why, std::string name) {
  return CLI::Validator(
      [ok, why](std::string& text) -> std::string {
        const std::optional<double> v = parse_number(text);
        if (!v) return "'" + text + "' is not a number";
        if (!ok(*v)) return "Value " + text + " " + why;
        return {};
      },
      std::move(name));
}

}  // namespace

/// A seed: digits only (CLI11 would wrap "-1" around to 2^64-1), at most 2^64-1.
const CLI::Validator kSeed(
    [](std::string& text) -> std::string {
      std::uint64_t value = 0;
      const char* end = text.data() + text.size();
      const auto [ptr, ec] = std::from_chars(text.data(), end, value);
      if (text.empty() || ec != std::errc() || ptr != end)
        return "the seed must be an integer in [0, 2^64-1], got '" + text + "'";
      return {};
    },
    "SEED");

const CLI::Validator kPositive = number_check([](double v) { return v > 0; }, "is not a positive number", "POSITIVE");
const CLI::Validator kNonNegative = number_check([](double v) { return v >= 0; }, "is negative", "NONNEGATIVE");
namespace {

/// A probability strictly between 0 and 1 (an acceptance target of 1 would drive the step size to 0).
const CLI::Validator kOpenUnit = number_check([](double v) { return v > 0 && v < 1; },
                                              "is not strictly between 0 and 1", "(0,1)");

std::vector<std::string> metric_names() {
  std::vector<std::string> names;
  for (const auto& k : sampler::metric_kinds()) names.push_back(k.name);
  return names;
}
std::string metric_help() {
  std::string h = "Metric of NUTS and static HMC:";
  for (const auto& k : sampler::metric_kinds()) h += fmt::format(" {} ({}),", k.name, k.help);
  h.back() = '.';
  return h + " The ensemble samplers use a diagonal one";
}
std::vector<std::string> adapt_names() {
  std::vector<std::string> names;
  for (const auto& k : sampler::adaptation_kinds()) names.push_back(k.name);
  return names;
}
std::string adapt_help() {
  std::string h = "Warm-up adaptation of NUTS and static HMC:";
  for (const auto& k : sampler::adaptation_kinds()) h += fmt::format(" {} ({}),", k.name, k.help);
  h.back() = '.';
  return h;
}

}  // namespace

CLI::App* add_run_command(CLI::App& app, RunOptions& o) {
  auto& s = o.settings;
  auto& p = s.sampler;
  CLI::App* cmd = app.add_subcommand("run", "Sample from a model's posterior");
  // CLI11 (2.1) reads only the main app's config file, so --config lives there and `run` falls
  // through to it; the file's [run] section sets run's options (unknown keys are errors).
  app.set_config("--config", "", "Read the options of `run` from a TOML file: a [run] section keyed by the long option names")
      ->type_name("FILE");
  app.allow_config_extras(CLI::config_extras_mode::error);
  app.config_formatter(std::make_shared<ConfigFile>(&app, std::set<std::string>{"model", "data", "init", "output", "report"}));
  cmd->fallthrough();
  cmd->footer("Options may also come from a TOML file (mcmc run --config FILE): a [run] section with\n"
              "model = \"m.stan\", chains = 4, inv-mass = [0.5, 0.01], ...; command-line values win.");
  cmd->add_option("model", s.model_file, "The model file (any extension)")->required()->type_name("FILE");
  cmd->add_option("--data,-d", s.data_file, "Data file in Stan JSON format")->type_name("FILE");
  cmd->add_option("--chains,-c", s.chains, "Number of chains")->check(CLI::Range(1, 1000000))->capture_default_str();
  cmd->add_option("--warmup", p.warmup, "Warm-up iterations (adaptation runs during them; 0: none)")->check(CLI::Range(0, 100000000))->capture_default_str();
  cmd->add_option("--samples", p.samples, "Post-warm-up iterations per chain")->check(CLI::Range(0, 100000000))->capture_default_str();
  cmd->add_option("--thin", p.thin, "Keep every n-th draw")->check(CLI::Range(1, 100000000))->capture_default_str();
  cmd->add_flag("--save-warmup", p.save_warmup, "Also write the warm-up draws");
  cmd->add_option("--algorithm,-a", o.algorithm,
                  "nuts (no-U-turn sampler), hmc (static HMC with --steps), chees (ChEES-HMC: one jittered "
                  "trajectory length for all chains, tuned across chains) or meads (generalized HMC tuned "
                  "fold by fold across chains; needs at least 2 * --folds chains)")
      ->check(CLI::IsMember({"nuts", "hmc", "chees", "meads"}))->capture_default_str();
  cmd->add_option("--max-steps", p.max_steps, "ChEES: most leapfrog steps per transition")->check(CLI::Range(1, 100000000))->capture_default_str();
  cmd->add_option("--folds", p.folds, "MEADS: number of folds of chains")->check(CLI::Range(2, 1000000))->capture_default_str();
  cmd->add_option("--steps", p.steps, "Leapfrog steps per transition (--algorithm hmc)")->check(CLI::Range(1, 100000000))->capture_default_str();
  cmd->add_flag("--jitter", p.jitter, "Static HMC: draw the step count uniformly from 1..2*steps-1 per transition");
  cmd->add_option("--max-depth", p.max_depth, "NUTS maximum tree depth")->check(CLI::Range(1, 30))->capture_default_str();
  cmd->add_option("--step-size", p.step_size, "Initial (or, with --warmup 0, fixed) step size")->check(kPositive)->capture_default_str();
  cmd->add_option("--inv-mass", o.inv_mass, "Diagonal inverse metric, one value per unconstrained parameter (a,b,...)")->delimiter(',');
  cmd->add_option("--metric", p.metric, metric_help())->check(CLI::IsMember(metric_names()))->capture_default_str();
  cmd->add_option("--adapt", p.adapt, adapt_help())->check(CLI::IsMember(adapt_names()))->capture_default_str();
  cmd->add_option("--metric-file", s.metric_file,
                  "Initial inverse metric and step size: CmdStan's metric JSON ({\"inv_metric\": [...] or [[...], ...], "
                  "\"stepsize\": ...}) or one of our output files (its first chain's adapted metric). The metric then "
                  "stays fixed; warm-up adapts the step size only (e.g. --warmup 100)")->type_name("FILE");
  cmd->add_option("--save-metric", s.save_metric,
                  "Write the adapted inverse metric and step size as CmdStan's metric JSON (several chains: FILE_1.json, ...)")
      ->type_name("FILE");
  cmd->add_option("--target-accept", p.delta, "Target acceptance statistic of step-size adaptation, in (0, 1)")->check(kOpenUnit)->capture_default_str();
  cmd->add_option("--adapt-gamma", p.gamma, "Dual-averaging regularization scale")->check(kPositive)->capture_default_str();
  cmd->add_option("--adapt-kappa", p.kappa, "Dual-averaging relaxation exponent")->check(kPositive)->capture_default_str();
  cmd->add_option("--adapt-t0", p.t0, "Dual-averaging iteration offset")->check(kPositive)->capture_default_str();
  cmd->add_option("--adapt-init-buffer", p.init_buffer, "Fast adaptation interval at the start of warm-up")->check(kNonNegative)->capture_default_str();
  cmd->add_option("--adapt-term-buffer", p.term_buffer, "Fast adaptation interval at the end of warm-up")->check(kNonNegative)->capture_default_str();
  cmd->add_option("--adapt-window", p.window, "First slow (metric) adaptation window")->check(kPositive)->capture_default_str();
  cmd->add_option("--init", s.init, "Initial values: a radius R (uniform(-R,R) on the unconstrained scale), a JSON file of constrained values, or pathfinder (each chain starts at its own draw of multi-path Pathfinder)")->capture_default_str()->type_name("R|pathfinder|FILE");
  cmd->add_option("--seed", s.seed, "Random seed; chain c draws from the stream (seed, c). Default: chosen at random and recorded")
      ->check(kSeed);
  cmd->add_option("--mode", o.mode, "parallel: one chain per thread (OpenMP); vmap: chains in lockstep, batched gradient calls")
      ->check(CLI::IsMember({"parallel", "vmap"}))->capture_default_str();
  cmd->add_option("--threads,-j", s.threads, "Threads (parallel: default all cores, OMP_NUM_THREADS honoured; vmap: default 1, one lockstep group each for NUTS and HMC, blocks of chains for ChEES and MEADS)")->check(kNonNegative);
  cmd->add_option("--output,-o", s.output, "Output file: out.csv -> out_1.csv ... per chain (csv), or one file (csv-long, json, netcdf: e.g. fit.nc)")->type_name("FILE");
  cmd->add_option("--format", s.format, "Output format: csv (Stan CSV, one file per chain), csv-long (one Stan CSV file with a chain__ column, for many chains), json (one file) or netcdf (ArviZ InferenceData, netCDF-4: arviz.from_netcdf / xarray read it)")->check(CLI::IsMember(io::output_formats()))->capture_default_str();
  cmd->add_option("--sig-figs", s.sig_figs, "Significant digits of values in CSV output and the summary; with --format netcdf, given explicitly (at most 15), float variables keep this many digits (quantized, smaller files; default: exact doubles)")->check(CLI::Range(1, 18))->capture_default_str();
  cmd->add_option("--percentiles", o.percentiles, "Summary quantiles in percent")->capture_default_str();
  cmd->add_flag("--quiet,-q", s.quiet, "No progress and no summary table");
  cmd->add_option("--progress-file", s.progress_file,
                  "Append the progress as JSON lines to this file while sampling (for batch jobs; fields: docs/report.md)")
      ->type_name("FILE");
  cmd->add_option("--progress-interval", s.progress_interval, "Seconds between the lines of --progress-file")
      ->check(kPositive)->capture_default_str();
  cmd->add_option("--report", o.report, "Also write an HTML report of the output here (needs --output; "
                  "mcmc report writes one with more choices)")->type_name("FILE");
  add_gate_options(cmd, o.gates);
  return cmd;
}

namespace {

std::vector<double> parse_percentiles(const std::string& text) {
  std::vector<double> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const std::optional<double> number = parse_number(item);
    if (!number) throw Error(ExitCode::Usage, fmt::format("--percentiles: '{}' is not a number", item));
    const double p = *number;
    if (!(p > 0 && p < 100)) throw Error(ExitCode::Usage, fmt::format("--percentiles: {} is not between 0 and 100", p));
    out.push_back(p);
  }
  return out;
}

}  // namespace

int run_command(const CLI::App& cmd, RunOptions& o) {
  run::RunSettings& s = o.settings;
  for (const CLI::Option* opt : cmd.get_options()) {
    if (opt->count() == 0) continue;
    for (const std::string& name : opt->get_lnames()) s.given.insert(name);
    if (opt->get_lnames().empty()) s.given.insert(opt->get_name());
  }
  s.sampler.algorithm = o.algorithm == "hmc"     ? sampler::Algorithm::StaticHmc
                        : o.algorithm == "chees" ? sampler::Algorithm::Chees
                        : o.algorithm == "meads" ? sampler::Algorithm::Meads
                                                 : sampler::Algorithm::Nuts;
  s.mode = o.mode == "vmap" ? run::Mode::Vmap : run::Mode::Parallel;
  s.percentiles = parse_percentiles(o.percentiles);
  s.seed_given = s.is_given("seed");
  s.seed = seed_or_random(s.seed_given, s.seed);
  run::resolve_settings(s);

  auto program = std::make_shared<const lang::Program>(lang::load_program(s.model_file));
  io::DataSet data;
  if (!s.data_file.empty()) data = io::read_data_json(s.data_file);
  auto model = model::Model::compile(program, data, s.seed);
  run::apply_metric_file(s, model->dim());

  if (!o.inv_mass.empty()) {
    if (o.inv_mass.size() != model->dim())
      throw Error(ExitCode::Usage, fmt::format("--inv-mass has {} values but the model has {} unconstrained parameters ({})",
                                               o.inv_mass.size(), model->dim(), fmt::join(model->unconstrained_names(), ", ")));
    for (double v : o.inv_mass)
      if (!(v > 0) || !std::isfinite(v)) throw Error(ExitCode::Usage, fmt::format("--inv-mass: {} is not a positive number", v));
    s.sampler.inv_metric = o.inv_mass;
  }
  run::Init init = run::Init::parse(s.init);

  if (!o.report.empty() && s.output.empty())
    throw Error(ExitCode::Usage, "--report needs --output (the report is made from the output files)");
  // Pathfinder runs before the output is opened, so that its failure leaves no file behind.
  run::install_signal_handlers();
  if (init.kind == run::Init::Kind::Pathfinder) {
    init.prepare(*model, s.seed, s.threads);
    if (!s.quiet) std::cerr << pathfinder_note(*init.draws);
  }
  std::unique_ptr<io::Output> output;
  if (!s.output.empty()) {
    io::OutputOptions oo;
    oo.path = s.output;
    oo.format = s.format;
    oo.num_chains = s.chains;
    oo.sig_figs = s.sig_figs;
    oo.data = &data;
    oo.observed = lang::observed_data(*program);
    // netCDF stores exact doubles unless --sig-figs asks for fewer digits (then it compresses better).
    if (s.format == "netcdf" && s.is_given("sig-figs") && s.sig_figs <= 15) oo.netcdf_digits = s.sig_figs;
    output = io::open_output(oo);
  }
  if (!output && !s.quiet)
    std::cerr << "note: no --output given: the draws are summarized, not written (--output FILE keeps them)\n";
  if (!s.seed_given && !s.quiet) std::cerr << "seed: " << s.seed << " (pass --seed " << s.seed << " to repeat this run)\n";

  run::RunReport report = run::run_chains(s, *model, output.get(), init);
  if (!s.save_metric.empty() && s.sampler.warmup > 0 && !report.interrupted) run::save_metrics(s.save_metric, report);
  std::vector<double> probs;
  for (double p : s.percentiles) probs.push_back(p / 100);
  std::vector<diag::ParamSummary> rows;
  if (!s.quiet || o.gates.any()) rows = run::summarize_run(report, probs);
  diag::Diagnostics diagnostics;
  if (!s.quiet || o.gates.any()) diagnostics = run::diagnose_run(s, report, rows);
  if (!s.quiet) {
    std::cout << run::format_run_summary(s, report, rows, diagnostics);
    if (output) std::cout << "Output: " << fmt::format("{}", fmt::join(output->paths(), ", ")) << "\n";
    std::cout.flush();
    // What `mcmc summary` flags, also on stderr (exit code 0 unless a gate is set).
    for (const std::string& w : diag::diagnostics_warnings(diagnostics, rows)) std::cerr << "warning: " << w << "\n";
  }
  if (report.interrupted) {
    const std::size_t without = report.chains.size() - report.summary_chains.size();
    std::cerr << "interrupted: the output holds the draws completed so far";
    if (without > 0 && !rows.empty())
      std::cerr << fmt::format("; {} of {} chains have no post-warm-up draws{}", without, report.chains.size(),
                               s.mode == run::Mode::Parallel && !sampler::is_ensemble(s.sampler.algorithm) &&
                                       report.threads < s.chains
                                   ? fmt::format(" (with {} thread{}, chains beyond the first {} wait for a free "
                                                 "thread)", report.threads, report.threads == 1 ? "" : "s",
                                                 report.threads)
                                   : std::string());
    std::cerr << "\n";
    return static_cast<int>(ExitCode::Interrupted);
  }
  if (!o.report.empty()) {  // from the files as written (closed first), as `mcmc report` reads them
    const std::vector<std::string> paths = output->paths();
    output.reset();
    write_report(paths, o.report, o.percentiles, ReportLayout());
    if (!s.quiet) std::cout << "Report: " << o.report << "\n";
  }
  run::GateResult gates = run::check_gates(o.gates, rows, diagnostics.total_divergences());
  std::cerr << gates.note();
  if (!gates.passed()) {
    std::cout.flush();
    std::cerr << gates.message();
    return static_cast<int>(ExitCode::Gate);
  }
  return 0;
}

CLI::App* add_parse_command(CLI::App& app, ParseOptions& o) {
  CLI::App* cmd = app.add_subcommand("parse", "Check a model and print its syntax tree");
  cmd->add_option("model", o.model_file, "The model file")->required()->type_name("FILE");
  return cmd;
}

int parse_command(const ParseOptions& o) {
  lang::Program p = lang::load_program(o.model_file);
  std::cout << lang::dump(p);
  return 0;
}

}  // namespace mcmc::cli

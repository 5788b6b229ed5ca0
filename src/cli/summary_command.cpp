// `mcmc summary`: summary table and sampler diagnostics of Stan CSV / JSON / netCDF output files, with gates.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "cli/commands.hpp"
#include "cli/summary_input.hpp"
#include "diag/advice.hpp"
#include "diag/diagnostics.hpp"
#include "diag/summary.hpp"
#include "diag/nested_rhat.hpp"
#include "io/netcdf_reader.hpp"
#include "run/gates.hpp"
#include "util/error.hpp"

namespace mcmc::cli {

void add_gate_options(CLI::App* cmd, run::GateOptions& g) {
  cmd->add_option("--max-rhat", g.max_rhat, "Gate: exit with code 6 if any R-hat exceeds this (e.g. 1.01)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--min-ess", g.min_ess, "Gate: exit with code 6 if any bulk or tail ESS is below this (e.g. 400)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--max-divergences", g.max_divergences,
                  "Gate: exit with code 6 if there are more post-warm-up divergent transitions than this")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--gate-vars", g.vars,
                  "Gate only these quantities (comma-separated; 'theta' selects theta and all its elements, "
                  "'theta[2]' or theta.2 one element; lp__ too). Default: every quantity")
      ->delimiter(',');
  cmd->add_option_function<std::string>(
         "--gate-na", [&g](const std::string& v) { g.na_fails = v == "fail"; },
         "An undefined (NA) R-hat or ESS of finite draws (constant draws; the tail ESS of a 0/1 indicator): "
         "skip (not gated, noted) or fail. NA from non-finite draws always fails")
      ->check(CLI::IsMember({"skip", "fail"}))
      ->default_str("skip");
}

CLI::App* add_summary_command(CLI::App& app, SummaryOptions& o) {
  CLI::App* cmd = app.add_subcommand("summary", "Summarize Stan CSV files (one per chain), an mcmc JSON output file or an InferenceData netCDF file");
  cmd->add_option("files", o.files, "Stan CSV files (CmdStan, rstan, mcmc), mcmc JSON output files or netCDF files (mcmc, ArviZ)")->required()->type_name("FILE");
  cmd->add_option("--percentiles", o.percentiles, "Quantiles to show, in percent")->capture_default_str();
  cmd->add_option("--sig-figs", o.sig_figs, "Significant digits in the table")->check(CLI::Range(1, 18))->capture_default_str();
  CLI::Option* json = cmd->add_flag("--json", o.json, "Print the summary as JSON (fields: docs/summary.md)");
  cmd->add_flag("--csv", o.csv, "Print the table as CSV")->excludes(json);
  cmd->add_option("--superchains", o.superchains,
                  "Also print nested R-hat (nR_hat) with the chains split, in order, into this many "
                  "equal superchains (Margossian et al. 2024; for many short chains)")
      ->check(CLI::Range(2, 100000000));
  add_gate_options(cmd, o.gates);
  return cmd;
}

namespace {

using Input = SummaryInput;
using Summary = SummaryResult;

std::vector<double> parse_percentiles(const std::string& text) {
  std::vector<double> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    std::size_t pos = 0;
    double p = 0;
    try {
      p = std::stod(item, &pos);
    } catch (...) {
      pos = std::string::npos;
    }
    if (pos != item.size()) throw Error(ExitCode::Usage, fmt::format("--percentiles: '{}' is not a number", item));
    if (!(p >= 0 && p <= 100)) throw Error(ExitCode::Usage, fmt::format("--percentiles: {} is not between 0 and 100", p));
    out.push_back(p);
  }
  return out;
}

}  // namespace

SummaryInput read_summary_input(const std::vector<std::string>& files) {
  Input in;
  for (const std::string& f : files) {
    for (io::ChainDraws& c : io::read_draws_file(f)) in.chains.push_back(std::move(c));
  }
  if (in.chains.empty()) throw Error(ExitCode::Io, fmt::format("{}: holds no chains", files.front()));
  // An interrupted run can leave chains without draws (they had not started, or were still in
  // warm-up): they are left out with a note, as long as some chain has draws.
  if (std::any_of(in.chains.begin(), in.chains.end(), [](const io::ChainDraws& c) { return c.num_draws() > 0; })) {
    std::vector<io::ChainDraws> kept;
    for (io::ChainDraws& c : in.chains) {
      if (c.num_draws() > 0) {
        kept.push_back(std::move(c));
      } else {
        in.warnings.push_back(fmt::format("{}: no post-warm-up draws{}; left out", c.source,
                                          c.interrupted ? " (the run was interrupted)" : ""));
      }
    }
    in.chains = std::move(kept);
  }
  const io::ChainDraws& first = in.chains.front();
  in.draws = first.num_draws();
  for (const io::ChainDraws& c : in.chains) {
    for (const std::string& note : c.notes) in.warnings.push_back(note);
    if (c.interrupted) in.warnings.push_back(fmt::format("{}: the run was interrupted (the chain is incomplete)", c.source));
    if (c.columns != first.columns)
      throw Error(ExitCode::Io, fmt::format("{} and {} do not have the same columns: not chains of one run", first.source,
                                            c.source));
    in.draws = std::min(in.draws, c.num_draws());
  }
  for (const io::ChainDraws& c : in.chains) {
    if (c.num_draws() == 0) throw Error(ExitCode::Io, fmt::format("{}: no post-warm-up draws", c.source));
    if (c.num_draws() != in.draws)
      in.warnings.push_back(fmt::format("{}: {} draws; using the first {} of each chain (the shortest chain's length)",
                                        c.source, c.num_draws(), in.draws));
  }
  return in;
}

namespace {

/// lp__ and every column that is not a sampler column (those end in "__").
std::vector<std::size_t> summarized_columns(const io::ChainDraws& c) {
  std::vector<std::size_t> cols;
  for (std::size_t j = 0; j < c.columns.size(); ++j) {
    const std::string& n = c.columns[j];
    if (n == "lp__" || !(n.size() >= 2 && n.compare(n.size() - 2, 2, "__") == 0)) cols.push_back(j);
  }
  return cols;
}

diag::Chains column_chains(const Input& in, std::size_t j) {
  diag::Chains x;
  for (const io::ChainDraws& c : in.chains) x.push_back(c.column(j).first(in.draws));
  return x;
}

diag::Diagnostics sampler_diagnostics(const Input& in, const Summary& s) {
  diag::DiagnosticsInput d;
  d.rows = &s.rows;
  d.chains = in.chains.size();
  d.draws_per_chain = in.draws;
  const io::ChainDraws& first = in.chains.front();
  auto depth = first.config_value("max_depth");
  if (!depth) depth = first.config_value("max_treedepth");  // rstan's name
  if (depth) {
    try {
      d.max_depth = std::stoi(*depth);
    } catch (...) {
    }
  }
  diag::add_sampler_statistics(d, [&](const std::string& name, std::size_t c) -> std::span<const double> {
    auto j = first.find_column(name);
    return j ? in.chains[c].column(*j).first(in.draws) : std::span<const double>();
  });
  d.nested_rhat = s.nested_rhat;
  d.superchains = s.superchains;
  return diag::diagnose(d);
}

/// The run's wall time from the files' run footers ("run_sampling_wall_seconds"), when every
/// chain's file records the same run; else (CmdStan's or rstan's files, or files of different
/// runs) the chains' sampling times summed, as CmdStan's stansummary does.
void sampling_time(const Input& in, Summary& s) {
  std::optional<std::string> wall = in.chains.front().config_value("run_sampling_wall_seconds");
  std::optional<std::string> total = in.chains.front().config_value("run_wall_seconds");
  std::optional<std::string> seed = in.chains.front().config_value("seed");
  bool same_run = wall.has_value();
  for (const io::ChainDraws& c : in.chains)
    same_run = same_run && c.config_value("run_sampling_wall_seconds") == wall && c.config_value("seed") == seed;
  if (same_run) {
    try {
      s.sampling_seconds = std::stod(*wall);
      s.wall_time = true;
      if (total) s.run_wall_seconds = std::stod(*total);
      if (!(*s.sampling_seconds > 0)) s.sampling_seconds.reset();
      return;
    } catch (...) {
      s.sampling_seconds.reset();
    }
  }
  double seconds = 0;
  for (const io::ChainDraws& c : in.chains) {
    if (!(c.sampling_seconds && *c.sampling_seconds > 0)) return;
    seconds += *c.sampling_seconds;
  }
  s.sampling_seconds = seconds;
}

}  // namespace

SummaryResult summarize_input(const SummaryInput& in, const SummaryOptions& o) {
  Summary s;
  s.percentiles = parse_percentiles(o.percentiles);
  std::vector<double> probs;
  for (double p : s.percentiles) probs.push_back(p / 100);
  const std::vector<std::size_t> cols = summarized_columns(in.chains.front());
  s.rows.resize(cols.size());
  // Quantities are independent: summarize them on all cores (the diagnostics are pure functions).
  std::exception_ptr failure;
#pragma omp parallel for schedule(dynamic, 1)
  for (std::size_t k = 0; k < cols.size(); ++k) {
    try {
      s.rows[k] = diag::summarize(in.chains.front().columns[cols[k]], column_chains(in, cols[k]), probs);
    } catch (...) {
#pragma omp critical
      failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
  if (o.superchains > 0) {
    const std::size_t C = in.chains.size();
    if (o.superchains < 2 || C % static_cast<std::size_t>(o.superchains) != 0)
      throw Error(ExitCode::Usage, fmt::format("--superchains {}: it must be at least 2 and divide the {} chains "
                                               "into equal groups", o.superchains, C));
    s.superchains = o.superchains;
    for (std::size_t k = 0; k < cols.size(); ++k)
      s.nested_rhat.push_back(diag::nested_rhat(column_chains(in, cols[k]), o.superchains));
  }
  sampling_time(in, s);
  s.diagnostics = sampler_diagnostics(in, s);
  s.gates = run::check_gates(o.gates, s.rows, s.diagnostics.total_divergences());
  return s;
}

namespace {

// ---- text and CSV -------------------------------------------------------------------------------

/// The table as cells (header row first), with ESS_bulk/s when the sampling time is known.
std::vector<std::vector<std::string>> table_cells(const Summary& s, int sig_figs, const std::string& corner) {
  diag::TableColumns extra;
  extra.ess_seconds = s.sampling_seconds.value_or(0);
  extra.nested_rhat = s.nested_rhat;
  std::vector<double> probs;
  for (double p : s.percentiles) probs.push_back(p / 100);
  return diag::summary_table_cells(s.rows, probs, sig_figs, extra, corner);
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  q += '"';
  return q;
}

std::string csv_table(const std::vector<std::vector<std::string>>& cells) {
  std::string out;
  for (const auto& line : cells) {
    for (std::size_t c = 0; c < line.size(); ++c) {
      if (c > 0) out += ',';
      out += csv_field(line[c]);
    }
    out += '\n';
  }
  return out;
}

std::string text_output(const Summary& s, const Input& in, const SummaryOptions& o) {
  std::string out = fmt::format("{} chain{}, {} draws each", in.chains.size(), in.chains.size() == 1 ? "" : "s", in.draws);
  if (s.sampling_seconds && s.wall_time)
    out += fmt::format(", {} s wall ({} s sampling)", diag::format_significant(s.run_wall_seconds.value_or(0), 4),
                       diag::format_significant(*s.sampling_seconds, 4));
  else if (s.sampling_seconds)
    out += fmt::format(", {} s of sampling summed over the chains", diag::format_significant(*s.sampling_seconds, 4));
  out += "\n\n" + diag::align_table(table_cells(s, o.sig_figs, "")) + "\n" +
         diag::diagnostics_text(s.diagnostics, s.rows);
  return out;
}

// ---- JSON ---------------------------------------------------------------------------------------

using json = nlohmann::ordered_json;

/// Numbers as in our JSON output: non-finite values as the strings "NaN", "Inf", "-Inf".
json num(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Inf" : "-Inf";
  return v;
}

json num_or_null(double v) { return std::isnan(v) ? json(nullptr) : json(v); }

json names_of(const Summary& s, const std::vector<std::size_t>& idx) {
  json a = json::array();
  for (std::size_t i : idx) a.push_back(s.rows[i].name);
  return a;
}

json diagnostics_json(const Summary& s, const Input& in) {
  const diag::Diagnostics& d = s.diagnostics;
  const std::size_t total = in.draws * in.chains.size();
  json out;
  if (d.divergences) {
    int n = d.total_divergences();
    out["divergences"] = {{"count", n}, {"percent", total ? 100.0 * n / static_cast<double>(total) : 0.0},
                          {"per_chain", *d.divergences}};
  } else {
    out["divergences"] = nullptr;
  }
  if (d.depth_hits) {
    int n = d.total_depth_hits();
    out["max_treedepth"] = {{"max_depth", d.max_depth}, {"count", n},
                            {"percent", total ? 100.0 * n / static_cast<double>(total) : 0.0}, {"per_chain", *d.depth_hits}};
  } else {
    out["max_treedepth"] = nullptr;
  }
  if (d.ebfmi) {
    json per = json::array(), low = json::array();
    for (double e : *d.ebfmi) per.push_back(num(e));
    for (std::size_t c : d.low_ebfmi) low.push_back(c + 1);
    out["ebfmi"] = {{"threshold", diag::kLowEbfmi}, {"per_chain", per}, {"low_chains", low}};
  } else {
    out["ebfmi"] = nullptr;
  }
  out["ess"] = {{"threshold", d.ess_threshold}, {"low", names_of(s, d.low_ess)}};
  out["rhat"] = {{"threshold", diag::kHighRhat}, {"high", names_of(s, d.high_rhat)}};
  if (d.superchains > 0) out["nested_rhat"] = {{"threshold", diag::kHighRhat}, {"high", names_of(s, d.high_nested_rhat)}};
  return out;
}

json gates_json(const Summary& s, const SummaryOptions& o) {
  json failures = json::array();
  for (const run::GateFailure& f : s.gates.failures)
    failures.push_back({{"gate", f.gate}, {"option", f.option}, {"quantity", f.quantity}, {"value", num(f.value)},
                        {"limit", f.limit}, {"message", f.message}});
  return {{"max_rhat", num_or_null(o.gates.max_rhat)},
          {"min_ess", num_or_null(o.gates.min_ess)},
          {"max_divergences", o.gates.max_divergences >= 0 ? json(o.gates.max_divergences) : json(nullptr)},
          {"passed", s.gates.passed()},
          {"failures", failures}};
}

std::string json_output(const Summary& s, const Input& in, const SummaryOptions& o) {
  json out;
  out["format"] = "mcmc-summary";
  out["format_version"] = 1;
  json files = json::array();
  for (const io::ChainDraws& c : in.chains) files.push_back(c.source);
  out["files"] = files;
  out["num_chains"] = in.chains.size();
  out["num_draws_per_chain"] = in.draws;
  out["percentiles"] = s.percentiles;
  out["sampling_seconds"] = s.sampling_seconds ? json(*s.sampling_seconds) : json(nullptr);
  out["sampling_seconds_are_wall_time"] = s.wall_time;
  out["run_wall_seconds"] = s.run_wall_seconds ? json(*s.run_wall_seconds) : json(nullptr);
  json rows = json::array();
  for (std::size_t i = 0; i < s.rows.size(); ++i) {
    const diag::ParamSummary& r = s.rows[i];
    json q = json::array();
    for (double v : r.quantiles) q.push_back(num(v));
    rows.push_back({{"name", r.name}, {"mean", num(r.mean)}, {"mcse_mean", num(r.mcse)}, {"sd", num(r.sd)},
                    {"mad", num(r.mad)}, {"quantiles", q}, {"ess_bulk", num(r.ess_bulk)}, {"ess_tail", num(r.ess_tail)},
                    {"ess_bulk_per_second", s.sampling_seconds ? num(r.ess_bulk / *s.sampling_seconds) : json(nullptr)},
                    {"rhat", num(r.rhat)}});
    if (s.superchains > 0) rows.back()["nested_rhat"] = num(s.nested_rhat[i]);
  }
  out["superchains"] = s.superchains > 0 ? json(s.superchains) : json(nullptr);
  out["quantities"] = rows;
  out["diagnostics"] = diagnostics_json(s, in);
  out["gates"] = gates_json(s, o);
  out["warnings"] = in.warnings;
  return out.dump(1) + "\n";
}

/// The statistics allocate and free vectors of all draws for every quantity. By default glibc
/// serves those with fresh mmap'd pages (or trims them back), so every quantity page-faults its
/// memory in again (~30% of the time): keep freed memory in the heap instead.
void keep_freed_memory() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

}  // namespace

int summary_command(const SummaryOptions& o) {
  parse_percentiles(o.percentiles);  // usage errors before reading files
  keep_freed_memory();
  Input in = read_summary_input(o.files);
  for (const std::string& w : in.warnings) std::cerr << "warning: " << w << "\n";
  Summary s = summarize_input(in, o);
  if (o.json) {
    std::cout << json_output(s, in, o);
  } else if (o.csv) {
    std::cout << csv_table(table_cells(s, o.sig_figs, "name"));
  } else {
    std::cout << text_output(s, in, o);
  }
  std::cout.flush();
  std::cerr << s.gates.note();
  if (s.gates.passed()) return 0;
  std::cerr << s.gates.message();
  return static_cast<int>(ExitCode::Gate);
}

}  // namespace mcmc::cli

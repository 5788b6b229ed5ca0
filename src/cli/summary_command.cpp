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
}

CLI::App* add_summary_command(CLI::App& app, SummaryOptions& o) {
  CLI::App* cmd = app.add_subcommand("summary", "Summarize Stan CSV files (one per chain), an mcmc JSON output file or an InferenceData netCDF file");
  cmd->add_option("files", o.files, "Stan CSV files (CmdStan, rstan, mcmc), mcmc JSON output files or netCDF files (mcmc, ArviZ)")->required();
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

constexpr double kLowEbfmi = 0.3;
constexpr double kHighRhat = 1.01;
constexpr double kEssPerChain = 100;  // Vehtari et al. (2021): ESS > 100 per chain (400 for 4 chains)

/// Everything read from the input files, trimmed to the same number of draws per chain.
struct Input {
  std::vector<io::ChainDraws> chains;
  std::size_t draws = 0;  // per chain
  std::vector<std::string> warnings;
};

/// Sampler diagnostics as CmdStan's `diagnose` reports them.
struct SamplerDiagnostics {
  std::optional<std::vector<int>> divergences;  // per chain; none without a divergent__ column
  int max_depth = 10;
  std::optional<std::vector<int>> depth_hits;   // per chain; none without treedepth__
  std::optional<std::vector<double>> ebfmi;     // per chain; none without energy__
  double ess_threshold = 0;
  std::vector<std::size_t> low_ess;             // row indices
  std::vector<std::size_t> high_rhat;           // row indices
  int total_divergences() const {
    int n = 0;
    if (divergences)
      for (int d : *divergences) n += d;
    return n;
  }
};

struct Summary {
  std::vector<double> percentiles;
  std::vector<diag::ParamSummary> rows;
  std::optional<double> sampling_seconds;  // summed over chains, when every file has it
  SamplerDiagnostics diagnostics;
  run::GateResult gates;
  int superchains = 0;                     // --superchains K (0: no nested R-hat)
  std::vector<double> nested_rhat;         // per row, with --superchains
};

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

Input read_input(const std::vector<std::string>& files) {
  Input in;
  for (const std::string& f : files) {
    for (io::ChainDraws& c : io::read_draws_file(f)) in.chains.push_back(std::move(c));
  }
  if (in.chains.empty()) throw Error(ExitCode::Io, fmt::format("{}: holds no chains", files.front()));
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

/// Per chain: how many of the used draws of column `name` satisfy `pred`.
template <class Pred>
std::optional<std::vector<int>> count_per_chain(const Input& in, const std::string& name, Pred pred) {
  auto j = in.chains.front().find_column(name);
  if (!j) return std::nullopt;
  std::vector<int> counts;
  for (const io::ChainDraws& c : in.chains) {
    auto col = c.column(*j).first(in.draws);
    counts.push_back(static_cast<int>(std::count_if(col.begin(), col.end(), pred)));
  }
  return counts;
}

bool constant(const diag::ParamSummary& r) { return r.sd == 0.0; }

SamplerDiagnostics sampler_diagnostics(const Input& in, const std::vector<diag::ParamSummary>& rows) {
  SamplerDiagnostics d;
  const io::ChainDraws& first = in.chains.front();
  auto depth = first.config_value("max_depth");
  if (!depth) depth = first.config_value("max_treedepth");  // rstan's name
  if (depth) {
    try {
      d.max_depth = std::stoi(*depth);
    } catch (...) {
    }
  }
  d.divergences = count_per_chain(in, "divergent__", [](double v) { return v != 0; });
  d.depth_hits = count_per_chain(in, "treedepth__", [&](double v) { return v >= d.max_depth; });
  if (auto e = first.find_column("energy__")) {
    d.ebfmi.emplace();
    for (const io::ChainDraws& c : in.chains) d.ebfmi->push_back(diag::ebfmi(c.column(*e).first(in.draws)));
  }
  d.ess_threshold = kEssPerChain * static_cast<double>(in.chains.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const diag::ParamSummary& r = rows[i];
    if (constant(r)) continue;
    if (!(r.ess_bulk >= d.ess_threshold && r.ess_tail >= d.ess_threshold)) d.low_ess.push_back(i);
    if (!(r.rhat <= kHighRhat)) d.high_rhat.push_back(i);
  }
  return d;
}

Summary summarize(const Input& in, const SummaryOptions& o) {
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
  double seconds = 0;
  bool all_timed = true;
  for (const io::ChainDraws& c : in.chains) {
    if (c.sampling_seconds && *c.sampling_seconds > 0) {
      seconds += *c.sampling_seconds;
    } else {
      all_timed = false;
    }
  }
  if (all_timed) s.sampling_seconds = seconds;
  s.diagnostics = sampler_diagnostics(in, s.rows);
  s.gates = run::check_gates(o.gates, s.rows, s.diagnostics.total_divergences());
  return s;
}

// ---- text and CSV -------------------------------------------------------------------------------

std::string special(double v) { return std::isnan(v) ? "nan" : v > 0 ? "inf" : "-inf"; }

std::string significant(double v, int sig_figs) {
  if (!std::isfinite(v)) return special(v);
  std::string s = fmt::format("{:.{}g}", v, sig_figs);
  return s == "-0" ? "0" : s;
}

std::string rhat_text(double v, int sig_figs) { return std::isfinite(v) ? fmt::format("{:#.{}g}", v, sig_figs) : special(v); }
std::string count_text(double v) { return std::isfinite(v) ? fmt::format("{:.0f}", v) : special(v); }

/// The table as cells (header row first), formatted as diag::format_summary_table formats them,
/// with ESS_bulk/s between ESS_tail and R_hat when sampling times are known.
std::vector<std::vector<std::string>> table_cells(const Summary& s, int sig_figs, const std::string& corner) {
  std::vector<std::string> header = {corner, "Mean", "MCSE", "StdDev"};
  for (double p : s.percentiles) header.push_back(diag::quantile_label(p / 100));
  header.insert(header.end(), {"ESS_bulk", "ESS_tail"});
  if (s.sampling_seconds) header.push_back("ESS_bulk/s");
  header.push_back("R_hat");
  if (s.superchains > 0) header.push_back("nR_hat");
  std::vector<std::vector<std::string>> cells = {header};
  for (std::size_t i = 0; i < s.rows.size(); ++i) {
    const diag::ParamSummary& r = s.rows[i];
    std::vector<std::string> line = {r.name, significant(r.mean, sig_figs), significant(r.mcse, sig_figs),
                                     significant(r.sd, sig_figs)};
    for (double q : r.quantiles) line.push_back(significant(q, sig_figs));
    line.push_back(count_text(r.ess_bulk));
    line.push_back(count_text(r.ess_tail));
    if (s.sampling_seconds) line.push_back(significant(r.ess_bulk / *s.sampling_seconds, sig_figs));
    line.push_back(rhat_text(r.rhat, sig_figs));
    if (s.superchains > 0) line.push_back(rhat_text(s.nested_rhat[i], sig_figs));
    cells.push_back(std::move(line));
  }
  return cells;
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

std::string percent(int n, std::size_t of) { return fmt::format("{:.2f}%", of ? 100.0 * n / static_cast<double>(of) : 0.0); }

/// Up to three row names with their values, worst first: "tau 1.26, lp__ 1.28".
template <class Value>
std::string worst(const Summary& s, std::vector<std::size_t> idx, Value value, bool high_is_bad) {
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
    double va = value(s.rows[a]), vb = value(s.rows[b]);
    if (std::isnan(va) != std::isnan(vb)) return std::isnan(va);
    return high_is_bad ? va > vb : va < vb;
  });
  std::string out;
  for (std::size_t k = 0; k < std::min<std::size_t>(3, idx.size()); ++k)
    out += fmt::format("{}{} {}", k ? ", " : "", s.rows[idx[k]].name, significant(value(s.rows[idx[k]]), 3));
  if (idx.size() > 3) out += ", ...";
  return out;
}

std::string diagnostics_text(const Summary& s, const Input& in) {
  const SamplerDiagnostics& d = s.diagnostics;
  const std::size_t total = in.draws * in.chains.size();
  std::string out = "Sampler diagnostics:\n";
  if (d.divergences) {
    int n = d.total_divergences();
    out += n == 0 ? fmt::format("  Divergences: none in {} transitions.\n", total)
                  : fmt::format("  Divergences: {} of {} transitions ({}) ended with a divergence: the sampler cannot "
                                "explore the posterior fully; increase --target-accept (adapt delta) towards 1, or "
                                "reparameterize the model.\n", n, total, percent(n, total));
  }
  if (d.depth_hits) {
    int n = 0;
    for (int h : *d.depth_hits) n += h;
    out += n == 0 ? fmt::format("  Tree depth: no transition hit the maximum tree depth {}.\n", d.max_depth)
                  : fmt::format("  Tree depth: {} of {} transitions ({}) hit the maximum tree depth {}: trajectories "
                                "were cut short (an efficiency concern); increase --max-depth or reparameterize.\n",
                                n, total, percent(n, total), d.max_depth);
  }
  if (d.ebfmi) {
    std::vector<std::string> values, low;
    for (std::size_t c = 0; c < d.ebfmi->size(); ++c) {
      double e = (*d.ebfmi)[c];
      values.push_back(significant(e, 3));
      if (!(e >= kLowEbfmi)) low.push_back(fmt::format("chain {} ({})", c + 1, significant(e, 3)));
    }
    out += low.empty() ? fmt::format("  E-BFMI: {} (all chains >= {}).\n", fmt::join(values, ", "), kLowEbfmi)
                       : fmt::format("  E-BFMI below {} in {}: the momentum resampling explores the energy "
                                     "distribution poorly; reparameterize the model (e.g. non-centred).\n",
                                     kLowEbfmi, fmt::join(low, ", "));
  }
  const std::size_t checked = static_cast<std::size_t>(std::count_if(s.rows.begin(), s.rows.end(), [](const auto& r) { return !constant(r); }));
  out += d.low_ess.empty()
             ? fmt::format("  ESS: bulk and tail ESS >= {:g} (100 per chain) for all {} quantities.\n", d.ess_threshold, checked)
             : fmt::format("  ESS: {} of {} quantities have bulk or tail ESS below {:g} (100 per chain; lowest: {}): "
                           "estimates are unreliable; run more draws or reparameterize.\n",
                           d.low_ess.size(), checked, d.ess_threshold,
                           worst(s, d.low_ess, [](const diag::ParamSummary& r) { return std::min(r.ess_bulk, r.ess_tail); }, false));
  out += d.high_rhat.empty()
             ? fmt::format("  R-hat: <= {} for all {} quantities.\n", kHighRhat, checked)
             : fmt::format("  R-hat: {} of {} quantities have R-hat above {} (highest: {}): the chains have not mixed; "
                           "do not use the estimates; run longer chains or reparameterize.\n",
                           d.high_rhat.size(), checked, kHighRhat,
                           worst(s, d.high_rhat, [](const diag::ParamSummary& r) { return r.rhat; }, true));
  return out;
}

std::string text_output(const Summary& s, const Input& in, const SummaryOptions& o) {
  std::string out = fmt::format("{} chain{}, {} draws each", in.chains.size(), in.chains.size() == 1 ? "" : "s", in.draws);
  if (s.sampling_seconds) out += fmt::format(", {} s of sampling in all", significant(*s.sampling_seconds, 4));
  out += "\n\n" + diag::align_table(table_cells(s, o.sig_figs, "")) + "\n" + diagnostics_text(s, in);
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
  const SamplerDiagnostics& d = s.diagnostics;
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
    int n = 0;
    for (int h : *d.depth_hits) n += h;
    out["max_treedepth"] = {{"max_depth", d.max_depth}, {"count", n},
                            {"percent", total ? 100.0 * n / static_cast<double>(total) : 0.0}, {"per_chain", *d.depth_hits}};
  } else {
    out["max_treedepth"] = nullptr;
  }
  if (d.ebfmi) {
    json per = json::array(), low = json::array();
    for (std::size_t c = 0; c < d.ebfmi->size(); ++c) {
      per.push_back(num((*d.ebfmi)[c]));
      if (!((*d.ebfmi)[c] >= kLowEbfmi)) low.push_back(c + 1);
    }
    out["ebfmi"] = {{"threshold", kLowEbfmi}, {"per_chain", per}, {"low_chains", low}};
  } else {
    out["ebfmi"] = nullptr;
  }
  out["ess"] = {{"threshold", d.ess_threshold}, {"low", names_of(s, d.low_ess)}};
  out["rhat"] = {{"threshold", kHighRhat}, {"high", names_of(s, d.high_rhat)}};
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
  Input in = read_input(o.files);
  for (const std::string& w : in.warnings) std::cerr << "warning: " << w << "\n";
  Summary s = summarize(in, o);
  if (o.json) {
    std::cout << json_output(s, in, o);
  } else if (o.csv) {
    std::cout << csv_table(table_cells(s, o.sig_figs, "name"));
  } else {
    std::cout << text_output(s, in, o);
  }
  std::cout.flush();
  if (s.gates.passed()) return 0;
  std::cerr << s.gates.message();
  return static_cast<int>(ExitCode::Gate);
}

}  // namespace mcmc::cli

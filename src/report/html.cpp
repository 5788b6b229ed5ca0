// The HTML report: one self-contained page (inline CSS and SVG) of a run's draws, summary and plots.
#include "report/html.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <set>

#include <fmt/format.h>

#include "report/svg.hpp"
#include "util/error.hpp"

namespace mcmc::report {

namespace {

constexpr std::string_view kStyle = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5em auto;max-width:1250px;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:1.6em}h3{font-size:1em;margin:1em 0 .2em}
table{border-collapse:collapse;font-size:.85em}td,th{padding:2px 8px;text-align:right;border-bottom:1px solid #eee}
td:first-child,th:first-child{text-align:left}th{position:sticky;top:0;background:#fff}
.facts td{text-align:left}.bad{background:#fde0c5;font-weight:600}.flag{color:#a33;font-weight:600}.ok{color:#2a7a2a}
.plots{display:flex;flex-wrap:wrap;gap:6px}.note{color:#555;font-size:.85em}.legend span{margin-right:1em;font-size:.85em}
.swatch{display:inline-block;width:14px;height:4px;vertical-align:middle;margin-right:4px}
.scroll{max-height:30em;overflow:auto;display:inline-block}
svg{font-size:10px;background:#fff}svg .frame{fill:none;stroke:#999;stroke-width:.6}svg line{stroke:#777;stroke-width:.6}
svg .tick{fill:#333}svg .label{fill:#222;font-size:11px}svg .expected{stroke:#555;stroke-dasharray:4 3}
svg .pooled{fill:#ddd;stroke:none}svg .hist{fill:#9ec5e0;stroke:#0072B2;stroke-width:.6}
svg .points circle{fill:#0072B2;fill-opacity:.35}svg .div,svg .divergences .div{fill:#000;stroke:#fff;stroke-width:.7}
svg .corr{fill:#333;font-size:12px}svg .energy-marginal{fill:#56B4E9;fill-opacity:.55;stroke:#0072B2}
svg .energy-transition{fill:#E69F00;fill-opacity:.45;stroke:#D55E00}
)";

/// "theta[1,2]" and "theta.1.2" alike as "theta.1.2".
std::string canonical(std::string v) {
  std::string out;
  for (char ch : v) {
    if (ch == '[' || ch == ',') out += '.';
    else if (ch != ']' && ch != ' ') out += ch;
  }
  return out;
}

std::string esc(std::string_view s) { return escape_xml(s); }

std::string seconds_text(double s) {
  return s < 60 ? fmt::format("{} s", diag::format_significant(s, 3))
                : fmt::format("{} s ({} min)", diag::format_significant(s, 4), diag::format_significant(s / 60, 3));
}

/// A column of every chain (the used draws), or empty spans when the files have no such column.
ChainSpans column_spans(const ReportInput& in, const std::string& name) {
  ChainSpans out;
  const auto& chains = *in.chains;
  const auto j = chains.front().find_column(name);
  for (const io::ChainDraws& c : chains)
    out.push_back(j ? c.column(*j).first(in.draws) : std::span<const double>());
  return out;
}

std::optional<double> number(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  try {
    std::size_t pos = 0;
    const double v = std::stod(*s, &pos);
    if (pos == s->size()) return v;
  } catch (...) {
  }
  return std::nullopt;
}

void run_section(std::string& out, const ReportInput& in) {
  const auto& chains = *in.chains;
  const io::ChainDraws& first = chains.front();
  auto value = [&](std::initializer_list<const char*> keys) -> std::optional<std::string> {
    for (const char* k : keys)
      if (auto v = first.config_value(k)) return v;
    return std::nullopt;
  };
  std::vector<std::pair<std::string, std::string>> facts;
  auto fact = [&](const std::string& label, std::optional<std::string> v) {
    if (v && !v->empty()) facts.emplace_back(label, *v);
  };
  fact("model", value({"model"}));
  std::optional<std::string> engine = value({"engine"});
  if (auto sampler = value({"sampler_t"})) engine = sampler;  // rstan's "NUTS(diag_e)"
  fact("sampler", engine);
  fact("metric", value({"metric"}));
  fact("seed", value({"seed"}));
  fact("chains", std::to_string(chains.size()));
  fact("draws per chain", std::to_string(in.draws));
  fact("warm-up iterations", value({"num_warmup", "warmup"}));
  fact("thin", value({"thin"}));
  fact("target acceptance", value({"delta", "adapt_delta"}));
  fact("maximum tree depth", value({"max_depth", "max_treedepth"}));
  fact("trajectory steps", value({"steps", "max_steps"}));
  fact("threads", value({"run_threads", "num_threads"}));
  if (in.run_wall_seconds) fact("run wall time", seconds_text(*in.run_wall_seconds));
  if (in.sampling_seconds)
    fact(in.wall_time ? "sampling wall time" : "sampling time (summed over chains)", seconds_text(*in.sampling_seconds));
  // Gradients and lockstep efficiency from the chains' footers (ours): summed over chains, and
  // over lockstep groups once each.
  double gradients = 0, warmup = 0, sampling = 0;
  bool have_gradients = true, have_times = true;
  std::map<std::string, std::pair<double, double>> groups;  // group -> (paid, useful)
  for (const io::ChainDraws& c : chains) {
    const auto g = number(c.config_value("gradient_evaluations"));
    have_gradients = have_gradients && g.has_value();
    gradients += g.value_or(0);
    have_times = have_times && c.warmup_seconds && c.sampling_seconds;
    warmup += c.warmup_seconds.value_or(0);
    sampling += c.sampling_seconds.value_or(0);
    const auto group = c.config_value("lockstep_group");
    const auto paid = number(c.config_value("lockstep_paid")), useful = number(c.config_value("lockstep_useful"));
    if (group && paid && useful) groups[*group] = {*paid, *useful};
  }
  if (have_times)
    fact("chain time (summed)", fmt::format("{} warm-up, {} sampling", seconds_text(warmup), seconds_text(sampling)));
  if (have_gradients) {
    const double draws = static_cast<double>(in.draws * chains.size());
    fact("gradient evaluations", fmt::format("{:.0f} ({} per draw, warm-up included)", gradients,
                                             diag::format_significant(gradients / std::max(1.0, draws), 3)));
  }
  if (!groups.empty()) {
    double paid = 0, useful = 0;
    for (const auto& [g, pu] : groups) paid += pu.first, useful += pu.second;
    if (paid > 0) fact("lockstep efficiency", fmt::format("{:.3f} ({} groups)", useful / paid, groups.size()));
  }
  if (auto version = value({"mcmc_version"})) fact("written by", "mcmc " + *version);
  else if (auto major = value({"stan_version_major"})) fact("written by", "Stan " + *major + "." + value({"stan_version_minor"}).value_or("?"));
  out += "<h2 id=\"run\">Run</h2>\n<table class=\"facts\">";
  for (const auto& [k, v] : facts) out += fmt::format("<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(v));
  out += "</table>\n";
  out += "<details><summary class=\"note\">Files and every setting recorded in the first file</summary><p class=\"note\">";
  std::size_t k = 0;
  for (const io::ChainDraws& c : chains) {
    if (k++ == 50) {
      out += fmt::format(" and {} more", chains.size() - 50);
      break;
    }
    out += (k > 1 ? ", " : "") + esc(c.source);
  }
  out += "</p><table class=\"facts\">";
  for (const auto& [key, v] : first.config) out += fmt::format("<tr><td>{}</td><td>{}</td></tr>", esc(key), esc(v));
  out += "</table></details>\n";
}

void diagnostics_section(std::string& out, const ReportInput& in) {
  const std::vector<std::string> flagged = diag::diagnostics_warnings(*in.diagnostics, *in.rows);
  const std::string text = diag::diagnostics_text(*in.diagnostics, *in.rows);
  out += "<h2 id=\"checks\">Checks</h2>\n<ul>";
  std::size_t start = text.find('\n') + 1;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    line.erase(0, line.find_first_not_of(' '));
    const bool bad = std::find(flagged.begin(), flagged.end(), line) != flagged.end();
    out += fmt::format("<li class=\"{}\">{}</li>", bad ? "flag" : "ok", esc(line));
    start = end + 1;
  }
  for (const std::string& w : in.warnings) out += fmt::format("<li class=\"flag\">{}</li>", esc(w));
  out += "</ul>\n";
}

void table_section(std::string& out, const ReportInput& in, const ReportOptions& o, const std::vector<std::size_t>& order) {
  const auto& rows = *in.rows;
  diag::TableColumns extra;
  extra.ess_seconds = in.sampling_seconds.value_or(0);
  const auto cells = diag::summary_table_cells(rows, in.probs, 4, extra, "quantity");
  const auto& header = cells.front();
  auto col = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  const std::size_t rhat = col("R_hat"), bulk = col("ESS_bulk"), tail = col("ESS_tail");
  const double threshold = in.diagnostics->ess_threshold;
  out += fmt::format("<h2 id=\"summary\">Summary</h2>\n<p class=\"note\">Worst first: R-hat above {} or a bulk or tail "
                     "ESS below {} is flagged (docs/summary.md defines every column).",
                     diag::kHighRhat, diag::format_count(threshold));
  if (order.size() > o.table_rows) out += fmt::format(" The {} worst of {} quantities.", o.table_rows, order.size());
  out += "</p>\n<div class=\"scroll\"><table class=\"summary\"><thead><tr>";
  for (const std::string& h : header) out += "<th>" + esc(h) + "</th>";
  out += "</tr></thead><tbody>\n";
  for (std::size_t k = 0; k < order.size() && k < o.table_rows; ++k) {
    const std::size_t i = order[k];
    const diag::ParamSummary& r = rows[i];
    const auto& line = cells[i + 1];
    out += "<tr>";
    for (std::size_t c = 0; c < line.size(); ++c) {
      bool bad = false;
      if (c == rhat) bad = r.rhat > diag::kHighRhat || (std::isnan(r.rhat) && !std::isfinite(r.mean));
      if (c == bulk) bad = r.ess_bulk < threshold;
      if (c == tail) bad = r.ess_tail < threshold;
      out += fmt::format("<td{}>{}</td>", bad ? " class=\"bad\"" : "", esc(line[c]));
    }
    out += "</tr>\n";
  }
  out += "</tbody></table></div>\n";
}

void legend(std::string& out, const std::vector<std::size_t>& shown, std::size_t chains) {
  out += "<p class=\"legend\">";
  for (std::size_t p = 0; p < shown.size(); ++p)
    out += fmt::format("<span><span class=\"swatch\" style=\"background:{}\"></span>chain {}</span>", chain_colour(p),
                       shown[p] + 1);
  if (shown.size() < chains)
    out += fmt::format("<span class=\"note\">({} of {} chains drawn one by one, evenly spaced; the densities' grey "
                       "area and the ranks use every chain)</span>", shown.size(), chains);
  out += "<span><svg width=\"12\" height=\"12\"><circle cx=\"6\" cy=\"6\" r=\"3\" class=\"div\"/></svg> divergent "
         "transition</span></p>\n";
}

/// Per-chain mean of a column (NaN where missing).
std::vector<double> chain_means(const ChainSpans& x) {
  std::vector<double> out;
  for (std::span<const double> c : x)
    out.push_back(c.empty() ? std::numeric_limits<double>::quiet_NaN()
                            : std::accumulate(c.begin(), c.end(), 0.0) / static_cast<double>(c.size()));
  return out;
}

void sampler_section(std::string& out, const ReportInput& in, const ReportOptions& o) {
  const auto& chains = *in.chains;
  const io::ChainDraws& first = chains.front();
  std::string plots;
  const ChainSpans energy = column_spans(in, "energy__");
  if (first.find_column("energy__")) {
    out += "<h2 id=\"energy\">Energy</h2>\n<p class=\"note\">When the energy transitions are much narrower than the "
           "marginal energy, the sampler explores the energy levels slowly (low E-BFMI, below " +
           fmt::format("{}", diag::kLowEbfmi) + ").</p>\n<div class=\"plots\">";
    const std::vector<double> ebfmi = in.diagnostics->ebfmi.value_or(std::vector<double>());
    out += energy_plot(energy, ebfmi);
    if (!ebfmi.empty()) out += chain_plot("E-BFMI per chain", "E-BFMI", ebfmi, o.budget, diag::kLowEbfmi, true, true);
    out += "</div>\n";
  }
  if (first.find_column("stepsize__")) {
    std::vector<double> step;
    for (std::span<const double> c : column_spans(in, "stepsize__"))
      step.push_back(c.empty() ? std::numeric_limits<double>::quiet_NaN() : c.back());
    plots += chain_plot("Step size per chain (after adaptation)", "step size", step, o.budget, 0, false, true);
  }
  if (first.find_column("treedepth__"))
    plots += chain_plot("Mean tree depth per chain", "tree depth", chain_means(column_spans(in, "treedepth__")), o.budget,
                        static_cast<double>(in.diagnostics->max_depth), true, true);
  if (first.find_column("n_leapfrog__"))
    plots += chain_plot("Mean leapfrog steps per draw, per chain", "steps",
                        chain_means(column_spans(in, "n_leapfrog__")), o.budget, 0, false, true);
  if (in.diagnostics->divergences) {
    std::vector<double> d(in.diagnostics->divergences->begin(), in.diagnostics->divergences->end());
    plots += chain_plot("Divergent transitions per chain", "divergences", d, o.budget, 0, false, true);
  }
  if (!plots.empty()) out += "<h2 id=\"sampler\">Sampler, per chain</h2>\n<div class=\"plots\">" + plots + "</div>\n";
}

}  // namespace

double problem_score(const diag::ParamSummary& r, double ess_threshold) {
  if (!std::isfinite(r.mean) || !std::isfinite(r.sd)) return std::numeric_limits<double>::infinity();
  double s = 0;
  if (std::isfinite(r.rhat)) s = std::max(s, (r.rhat - 1) / (diag::kHighRhat - 1));
  const double ess = std::min(r.ess_bulk, r.ess_tail);
  if (std::isfinite(ess) && ess_threshold > 0) s = std::max(s, ess > 0 ? ess_threshold / ess : 1e300);
  return s;
}

std::vector<std::size_t> worst_first(const std::vector<diag::ParamSummary>& rows, double ess_threshold) {
  std::vector<double> score;
  for (const diag::ParamSummary& r : rows) score.push_back(problem_score(r, ess_threshold));
  std::vector<std::size_t> order(rows.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
  return order;
}

std::vector<std::size_t> select_rows(const std::vector<diag::ParamSummary>& rows, const std::vector<std::string>& vars) {
  std::vector<std::size_t> out;
  std::set<std::size_t> seen;
  for (const std::string& given : vars) {
    const std::string v = canonical(given);
    bool found = false;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::string name = canonical(rows[i].name);
      if (name == v || (name.size() > v.size() && name.compare(0, v.size(), v) == 0 && name[v.size()] == '.')) {
        found = true;
        if (seen.insert(i).second) out.push_back(i);
      }
    }
    if (!found) {
      std::string names;
      for (std::size_t k = 0; k < rows.size() && k < 8; ++k) names += (k ? ", " : "") + rows[k].name;
      if (rows.size() > 8) names += ", ...";
      throw Error(ExitCode::Usage, fmt::format("--vars: no quantity '{}' in the files (quantities: {})", given, names));
    }
  }
  return out;
}

std::string html_report(const ReportInput& in, const ReportOptions& o) {
  const auto& chains = *in.chains;
  const auto& rows = *in.rows;
  const io::ChainDraws& first = chains.front();
  const std::vector<std::size_t> order = worst_first(rows, in.diagnostics->ess_threshold);
  std::vector<std::size_t> plotted = o.vars.empty() ? std::vector<std::size_t>() : select_rows(rows, o.vars);
  if (o.vars.empty())
    for (std::size_t k = 0; k < order.size() && k < o.quantities; ++k) plotted.push_back(order[k]);
  const std::vector<std::size_t> shown = shown_chains(chains.size(), o.budget.chains_shown);
  const ChainSpans divergent = column_spans(in, "divergent__");
  const std::string model = first.config_value("model").value_or("");

  std::string out;
  out.reserve(1 << 20);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n";
  out += fmt::format("<title>mcmc report{}</title>\n", model.empty() ? "" : ": " + esc(model));
  out += "<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
  out += fmt::format("<h1>mcmc report{}</h1>\n", model.empty() ? "" : ": " + esc(model));
  out += fmt::format("<p class=\"note\">{} chain{}, {} draws each. <a href=\"#run\">Run</a> &#183; <a href=\"#checks\">Checks</a> &#183; "
                     "<a href=\"#summary\">Summary</a> &#183; <a href=\"#quantities\">Quantities</a> &#183; "
                     "<a href=\"#pairs\">Pairs</a> &#183; <a href=\"#energy\">Energy</a> &#183; "
                     "<a href=\"#sampler\">Sampler</a></p>\n",
                     chains.size(), chains.size() == 1 ? "" : "s", in.draws);
  run_section(out, in);
  diagnostics_section(out, in);
  table_section(out, in, o, order);

  out += fmt::format("<h2 id=\"quantities\">Quantities</h2>\n<p class=\"note\">{}: trace (every chain on the same axes; "
                     "draws grouped into at most {} buckets per chain, each bucket's lowest and highest kept), rank "
                     "overlay (Vehtari et al. 2021: uniform, the dashed line, when the chains agree) and density.</p>\n",
                     o.vars.empty() ? fmt::format("The {} worst by R-hat and ESS", plotted.size())
                                    : std::string("The quantities asked for"),
                     o.budget.trace_buckets);
  legend(out, shown, chains.size());
  for (std::size_t i : plotted) {
    const diag::ParamSummary& r = rows[i];
    const ChainSpans x = column_spans(in, r.name);
    out += fmt::format("<h3>{}</h3><p class=\"note\">mean {}, sd {}, R-hat {}, ESS bulk {}, tail {}</p>\n<div class=\"plots\">",
                       esc(r.name), diag::format_significant(r.mean, 4), diag::format_significant(r.sd, 4),
                       diag::format_rhat(r.rhat, 4), diag::format_count(r.ess_bulk), diag::format_count(r.ess_tail));
    out += trace_plot(r.name, x, divergent, shown, o.budget);
    out += rank_plot(r.name, x, shown, o.budget);
    out += density_plot(r.name, x, shown, o.budget);
    out += "</div>\n";
  }

  // Pairs: the first vars asked for, else the lowest bulk ESS (not lp__ unless nothing else).
  std::vector<std::size_t> pair_rows;
  if (!o.vars.empty()) {
    pair_rows.assign(plotted.begin(), plotted.begin() + static_cast<std::ptrdiff_t>(std::min(plotted.size(), o.pairs)));
  } else {
    std::vector<std::size_t> by_ess;
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (rows[i].name != "lp__" && std::isfinite(rows[i].ess_bulk) && rows[i].sd > 0) by_ess.push_back(i);
    std::stable_sort(by_ess.begin(), by_ess.end(), [&](std::size_t a, std::size_t b) { return rows[a].ess_bulk < rows[b].ess_bulk; });
    by_ess.resize(std::min(by_ess.size(), o.pairs));
    pair_rows = by_ess;
  }
  if (pair_rows.size() >= 2) {
    std::vector<std::string> names;
    std::vector<ChainSpans> cols;
    for (std::size_t i : pair_rows) names.push_back(rows[i].name), cols.push_back(column_spans(in, rows[i].name));
    out += fmt::format("<h2 id=\"pairs\">Pairs</h2>\n<p class=\"note\">{}; at most {} draws per panel (every chain, "
                       "thinned evenly), divergent draws on top.</p>\n",
                       o.vars.empty() ? "The quantities with the lowest bulk ESS" : "The first quantities asked for",
                       o.budget.scatter_points);
    out += pairs_plot(names, cols, divergent, o.budget) + "\n";
  }
  sampler_section(out, in, o);
  out += "<p class=\"note\">Written by mcmc; this page fetches nothing and works offline.</p>\n</body>\n</html>\n";
  return out;
}

}  // namespace mcmc::report

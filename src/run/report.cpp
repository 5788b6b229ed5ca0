// Summary statistics over the stored draws and the closing text of a run.
#include "run/report.hpp"

#include <algorithm>
#include <span>

#include <fmt/format.h>

namespace mcmc::run {

std::vector<diag::ParamSummary> summarize_run(RunReport& report, const std::vector<double>& probs) {
  std::vector<diag::ParamSummary> rows;
  if (report.draws.empty()) return rows;
  const std::size_t nsampler = report.sampler_columns.size();
  std::vector<std::size_t> cols = {0};  // lp__
  for (std::size_t j = 0; j < report.param_columns.size(); ++j) cols.push_back(nsampler + j);
  std::size_t rows_per_chain = report.draws[0]->num_rows();
  for (auto& d : report.draws) rows_per_chain = std::min(rows_per_chain, d->num_rows());
  if (rows_per_chain == 0) return rows;
  // Read columns in blocks so memory stays bounded (about 32 MB of doubles per block).
  const std::size_t C = report.draws.size();
  std::size_t block = std::max<std::size_t>(1, (std::size_t{4} << 20) / std::max<std::size_t>(1, rows_per_chain * C));
  std::vector<std::vector<std::vector<double>>> buf(C);
  for (std::size_t b = 0; b < cols.size(); b += block) {
    std::size_t n = std::min(block, cols.size() - b);
    for (std::size_t j = 0; j < n; ++j) {
      diag::Chains x;
      for (std::size_t c = 0; c < C; ++c) {
        std::vector<std::vector<double>> one;
        report.draws[c]->read_columns(cols[b + j], 1, one);
        buf[c].resize(1);
        buf[c][0] = std::move(one[0]);
        x.emplace_back(buf[c][0].data(), rows_per_chain);
      }
      std::string name = cols[b + j] == 0 ? "lp__" : report.param_columns[cols[b + j] - nsampler];
      rows.push_back(diag::summarize(name, x, probs));
    }
  }
  return rows;
}

std::string format_run_summary(const RunSettings& s, RunReport& report,
                               const std::vector<diag::ParamSummary>& rows) {
  std::string out;
  std::vector<double> probs;
  for (double p : s.percentiles) probs.push_back(p / 100);
  int C = static_cast<int>(report.chains.size());
  std::size_t draws = report.draws.empty() ? 0 : report.draws[0]->num_rows();
  out += fmt::format("{} chains, {} draws each ({} mode, {} thread{}), {:.3f} s wall\n\n", C, draws,
                     mode_name(s.mode), report.threads, report.threads == 1 ? "" : "s", report.wall_seconds);
  out += diag::format_summary_table(rows, probs, s.sig_figs);
  int div = 0, depth = 0;
  std::int64_t grads = 0;
  for (const auto& c : report.chains) {
    div += c.divergences;
    depth += c.max_depth_hits;
    grads += c.gradient_evals;
  }
  out += "\n";
  std::size_t kept = 0;
  for (auto& d : report.draws) kept += d->num_rows();
  out += fmt::format("Divergences: {} of {} post-warm-up transitions{}\n", div, kept,
                     div ? " (increase --target-accept or reparameterize)" : "");
  if (s.sampler.algorithm == sampler::Algorithm::Nuts)
    out += fmt::format("Max tree depth {} reached: {} transitions{}\n", s.sampler.max_depth, depth,
                       depth ? " (consider --max-depth or a better parameterization)" : "");
  out += fmt::format("Gradient evaluations: {} (per chain:", grads);
  for (const auto& c : report.chains) out += fmt::format(" {}", c.gradient_evals);
  out += ")\n";
  if (s.mode == Mode::Vmap) {
    // The chains of a group share its counts: add each group once.
    std::int64_t paid = 0, useful = 0;
    int last_group = -1;
    for (const auto& c : report.chains) {
      if (c.lockstep_group < 0 || c.lockstep_group == last_group) continue;
      last_group = c.lockstep_group;
      paid += c.lockstep_paid;
      useful += c.lockstep_useful;
    }
    if (paid > 0)
      out += fmt::format("Lockstep: {} gradient evaluations paid for {} useful: efficiency {:.3f}\n",
                         paid, useful, static_cast<double>(useful) / static_cast<double>(paid));
  }
  return out;
}

}  // namespace mcmc::run

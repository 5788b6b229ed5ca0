// Summary statistics over the stored draws and the closing text of a run.
#include "run/report.hpp"

#include <algorithm>
#include <exception>
#include <span>
#include <vector>
#include <string>

#include <omp.h>

#include <fmt/format.h>

namespace mcmc::run {

std::vector<diag::ParamSummary> summarize_run(RunReport& report, const std::vector<double>& probs) {
  std::vector<diag::ParamSummary> rows;
  if (report.draws.empty()) return rows;
  const std::size_t nsampler = report.sampler_columns.size();
  const std::size_t nparams = report.param_columns.size();
  std::size_t rows_per_chain = report.draws[0]->num_rows();
  for (auto& d : report.draws) rows_per_chain = std::min(rows_per_chain, d->num_rows());
  if (rows_per_chain == 0) return rows;
  const int threads = report.threads > 0 ? report.threads : omp_get_max_threads();
  // Stored columns summarized, in output order: lp__, then the parameters (contiguous from nsampler).
  // Each run of contiguous columns is read in blocks of about 32 MB of doubles (at least one column per
  // thread) on this thread (DrawStore is not thread-safe), then the block is summarized in parallel.
  const std::size_t C = report.draws.size();
  const std::size_t per_column = std::max<std::size_t>(1, rows_per_chain * C);
  const std::size_t block =
      std::max<std::size_t>(static_cast<std::size_t>(threads), (std::size_t{4} << 20) / per_column);
  rows.resize(1 + nparams);
  std::vector<std::vector<std::vector<double>>> buf(C);  // buf[chain][column in block][row]
  auto summarize_block = [&](std::size_t first_col, std::size_t count, std::size_t first_row) {
    for (std::size_t c = 0; c < C; ++c) report.draws[c]->read_columns(first_col, count, buf[c]);
    std::exception_ptr failure;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (std::size_t j = 0; j < count; ++j) {
      try {
        diag::Chains x;
        for (std::size_t c = 0; c < C; ++c) x.emplace_back(buf[c][j].data(), rows_per_chain);
        const std::size_t col = first_col + j;
        std::string name = col == 0 ? "lp__" : report.param_columns[col - nsampler];
        rows[first_row + j] = diag::summarize(name, x, probs);
      } catch (...) {
#pragma omp critical(mcmc_summarize_run_failure)
        if (!failure) failure = std::current_exception();
      }
    }
    if (failure) std::rethrow_exception(failure);
  };
  summarize_block(0, 1, 0);  // lp__
  for (std::size_t b = 0; b < nparams; b += block) summarize_block(nsampler + b, std::min(block, nparams - b), 1 + b);
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
  out += fmt::format("Gradient evaluations: {} ", grads);
  if (report.chains.size() <= 16) {
    out += "(per chain:";
    for (const auto& c : report.chains) out += fmt::format(" {}", c.gradient_evals);
    out += ")\n";
  } else {  // many chains: the spread, not a list
    std::vector<std::int64_t> g;
    for (const auto& c : report.chains) g.push_back(c.gradient_evals);
    std::sort(g.begin(), g.end());
    out += fmt::format("(per chain: min {}, median {}, max {})\n", g.front(), g[g.size() / 2], g.back());
  }
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

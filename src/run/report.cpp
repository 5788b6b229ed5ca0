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

namespace {

/// The chains that have draws (an interrupted run can leave some without any).
std::vector<std::size_t> chains_with_draws(const RunReport& report) {
  std::vector<std::size_t> used;
  for (std::size_t c = 0; c < report.draws.size(); ++c)
    if (report.draws[c]->num_rows() > 0) used.push_back(c);
  return used;
}

}  // namespace

std::vector<diag::ParamSummary> summarize_run(RunReport& report, const std::vector<double>& probs) {
  std::vector<diag::ParamSummary> rows;
  const std::vector<std::size_t> used = chains_with_draws(report);
  report.summary_chains = used;
  report.summary_draws = 0;
  if (used.empty()) return rows;
  const std::size_t nsampler = report.sampler_columns.size();
  const std::size_t nparams = report.param_columns.size();
  std::size_t rows_per_chain = report.draws[used[0]]->num_rows();
  for (std::size_t c : used) rows_per_chain = std::min(rows_per_chain, report.draws[c]->num_rows());
  report.summary_draws = rows_per_chain;
  const int threads = report.threads > 0 ? report.threads : omp_get_max_threads();
  // Stored columns summarized, in output order: lp__, then the parameters (contiguous from nsampler).
  // Each run of contiguous columns is read in blocks of about 32 MB of doubles (at least one column per
  // thread) on this thread (DrawStore is not thread-safe), then the block is summarized in parallel.
  const std::size_t C = used.size();
  const std::size_t per_column = std::max<std::size_t>(1, rows_per_chain * C);
  const std::size_t block =
      std::max<std::size_t>(static_cast<std::size_t>(threads), (std::size_t{4} << 20) / per_column);
  rows.resize(1 + nparams);
  std::vector<std::vector<std::vector<double>>> buf(C);  // buf[chain][column in block][row]
  auto summarize_block = [&](std::size_t first_col, std::size_t count, std::size_t first_row) {
    for (std::size_t c = 0; c < C; ++c) report.draws[used[c]]->read_columns(first_col, count, buf[c]);
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

diag::Diagnostics diagnose_run(const RunSettings& s, RunReport& report, const std::vector<diag::ParamSummary>& rows) {
  diag::DiagnosticsInput in;
  in.rows = &rows;
  in.chains = report.summary_chains.size();
  in.draws_per_chain = report.summary_draws;
  in.max_depth = s.sampler.max_depth;
  if (sampler::is_ensemble(s.sampler.algorithm) && s.sampler.warmup > 0) {
    in.stuck_chains = report.stuck_chains;
    in.restarted_chains = report.restarted_chains;
  }
  const auto& cols = report.sampler_columns;
  // Counted over the draws the table uses (the first summary_draws of each chain), as `mcmc summary` counts them.
  std::vector<std::vector<double>> buf;
  diag::add_sampler_statistics(in, [&](const std::string& name, std::size_t k) -> std::span<const double> {
    auto it = std::find(cols.begin(), cols.end(), name);
    if (it == cols.end()) return {};
    report.draws[report.summary_chains[k]]->read_columns(static_cast<std::size_t>(it - cols.begin()), 1, buf);
    buf[0].resize(report.summary_draws);
    return buf[0];
  });
  return diag::diagnose(in);
}

std::string format_run_summary(const RunSettings& s, RunReport& report,
                               const std::vector<diag::ParamSummary>& rows, const diag::Diagnostics& diagnostics) {
  std::string out;
  std::vector<double> probs;
  for (double p : s.percentiles) probs.push_back(p / 100);
  const std::size_t C = report.chains.size();
  const io::RunFooter& f = report.footer;
  out += fmt::format("{} chain{}, {} draws each", C, C == 1 ? "" : "s", report.summary_draws);
  if (report.summary_chains.size() < C)  // an interrupted run: some chains have no draws
    out += fmt::format(" in the {} chain{} with draws", report.summary_chains.size(),
                       report.summary_chains.size() == 1 ? "" : "s");
  out += fmt::format(" ({} mode, {} thread{}), {:.3f} s wall ({:.3f} s warm-up, {:.3f} s sampling)\n\n",
                     mode_name(s.mode), report.threads, report.threads == 1 ? "" : "s", f.wall_seconds,
                     f.warmup_wall_seconds, f.sampling_wall_seconds);
  diag::TableColumns extra;
  extra.ess_seconds = f.sampling_wall_seconds;
  out += diag::format_summary_table(rows, probs, s.sig_figs, extra);
  out += "\n" + diag::diagnostics_text(diagnostics, rows);
  std::int64_t grads = 0;
  for (const auto& c : report.chains) grads += c.gradient_evals;
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

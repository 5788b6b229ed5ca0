// The report's plots as SVG: trace, rank overlay, density, pairs, energy and per-chain statistics.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace mcmc::report {

/// One column's draws, one span per chain (all chains the same length).
using ChainSpans = std::vector<std::span<const double>>;

/// Budgets that keep the page small whatever the number of chains and draws.
struct PlotBudget {
  std::size_t chains_shown = 7;       // chains drawn one by one (evenly spaced when there are more): one colour each
  std::size_t trace_buckets = 300;    // a trace's draws are grouped into at most this many buckets (min and max kept)
  std::size_t divergent_marks = 2000; // divergence marks per plot at most
  std::size_t scatter_points = 800;   // non-divergent points per pairs panel
  std::size_t density_points = 20000; // pooled draws a density is estimated from at most
  std::size_t chain_dots = 512;       // chains in a per-chain statistics plot at most
};

/// The chains drawn one by one: all of them, or `limit` evenly spaced (first and last included).
std::vector<std::size_t> shown_chains(std::size_t chains, std::size_t limit);

/// The number of divergence marks a plot draws for this many divergences (all, up to the budget).
std::size_t marks_drawn(std::size_t divergences, const PlotBudget& budget);

/// Trace: draw number against value, one line per shown chain (same axes for all), and every
/// divergent transition of every chain marked at its draw and value (class "div").
/// `divergent` is divergent__ per chain (empty spans: none recorded).
std::string trace_plot(const std::string& name, const ChainSpans& x, const ChainSpans& divergent,
                       const std::vector<std::size_t>& shown, const PlotBudget& budget);

/// Rank overlay (Vehtari et al. 2021): a histogram, per shown chain, of the ranks of its draws among
/// all draws, with the uniform expectation dashed.
std::string rank_plot(const std::string& name, const ChainSpans& x, const std::vector<std::size_t>& shown,
                      const PlotBudget& budget, std::size_t bins = 20);

/// Kernel density (Gaussian, Silverman's bandwidth) of all draws (filled) and of each shown chain.
std::string density_plot(const std::string& name, const ChainSpans& x, const std::vector<std::size_t>& shown,
                         const PlotBudget& budget);

/// Pairs plot of a few quantities: histograms on the diagonal, scatter below (divergent draws
/// highlighted, class "div"), correlations above.
std::string pairs_plot(const std::vector<std::string>& names, const std::vector<ChainSpans>& columns,
                       const ChainSpans& divergent, const PlotBudget& budget);

/// Energy plot (Betancourt 2016): histograms of the centred energy and of its changes between
/// draws, pooled over chains, with E-BFMI per chain in the title.
std::string energy_plot(const ChainSpans& energy, const std::vector<double>& ebfmi);

/// One value per chain as dots (chain number on x); an optional dashed reference line (threshold).
std::string chain_plot(const std::string& title, const std::string& ylabel, const std::vector<double>& values,
                       const PlotBudget& budget, double reference = 0, bool has_reference = false,
                       bool zero_based = false);

}  // namespace mcmc::report

// The report's plots as SVG: trace, rank overlay, density, pairs, energy and per-chain statistics.
#include "report/plots.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include <fmt/format.h>

#include "report/svg.hpp"

namespace mcmc::report {

namespace {

using Points = std::vector<std::pair<double, double>>;

struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool empty() const { return !(lo <= hi); }
};

Range range_of(const ChainSpans& x) {
  Range r;
  for (std::span<const double> c : x)
    for (double v : c) r.add(v);
  if (r.empty()) r.lo = 0, r.hi = 1;
  return r;
}

std::string chain_attrs(std::size_t position, std::size_t chain) {
  return fmt::format(R"(class="chain" data-chain="{}" stroke="{}")", chain + 1, chain_colour(position));
}

/// Every finite draw of every chain, or every k-th of them when there are more than `limit`.
std::vector<double> pooled_sample(const ChainSpans& x, std::size_t limit) {
  std::size_t total = 0;
  for (std::span<const double> c : x) total += c.size();
  const std::size_t stride = std::max<std::size_t>(1, (total + limit - 1) / std::max<std::size_t>(limit, 1));
  std::vector<double> out;
  out.reserve(total / stride + 1);
  std::size_t k = 0;
  for (std::span<const double> c : x)
    for (double v : c) {
      if (k++ % stride == 0 && std::isfinite(v)) out.push_back(v);
    }
  return out;
}

std::string shown_note(std::size_t shown, std::size_t chains) {
  return shown < chains ? fmt::format(" ({} of {} chains drawn)", shown, chains) : std::string();
}

std::size_t total_divergences(const ChainSpans& divergent) {
  std::size_t n = 0;
  for (std::span<const double> d : divergent)
    for (double v : d) n += v != 0;
  return n;
}

/// Every `every`-th divergence is marked (1: all) so that at most the budget's marks are drawn.
std::size_t mark_stride(std::size_t divergences, const PlotBudget& budget) {
  return divergences <= budget.divergent_marks ? 1 : (divergences + budget.divergent_marks - 1) / budget.divergent_marks;
}

/// Gaussian kernel density of `v` at `grid.size()` points of [lo, hi].
std::vector<double> kde(const std::vector<double>& v, double lo, double hi, std::size_t points) {
  std::vector<double> out(points, 0.0);
  if (v.size() < 2) return out;
  const double n = static_cast<double>(v.size());
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / n;
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  const double sd = std::sqrt(ss / (n - 1));
  std::vector<double> sorted = v;
  std::sort(sorted.begin(), sorted.end());
  const double iqr = sorted[static_cast<std::size_t>(0.75 * (n - 1))] - sorted[static_cast<std::size_t>(0.25 * (n - 1))];
  double spread = std::min(sd, iqr / 1.34);
  if (!(spread > 0)) spread = sd > 0 ? sd : 1;
  const double h = 0.9 * spread * std::pow(n, -0.2);  // Silverman's rule of thumb
  const double norm = 1 / (n * h * std::sqrt(2 * M_PI));
  for (std::size_t g = 0; g < points; ++g) {
    const double at = lo + (hi - lo) * static_cast<double>(g) / static_cast<double>(points - 1);
    // Only draws within 6 bandwidths contribute noticeably: sorted, so a window.
    auto first = std::lower_bound(sorted.begin(), sorted.end(), at - 6 * h);
    auto last = std::upper_bound(sorted.begin(), sorted.end(), at + 6 * h);
    double s = 0;
    for (auto it = first; it != last; ++it) {
      const double z = (at - *it) / h;
      s += std::exp(-0.5 * z * z);
    }
    out[g] = s * norm;
  }
  return out;
}

std::vector<double> histogram(const std::vector<double>& v, double lo, double hi, std::size_t bins) {
  std::vector<double> counts(bins, 0.0);
  for (double x : v) {
    if (!std::isfinite(x)) continue;
    const double at = hi > lo ? (x - lo) / (hi - lo) * static_cast<double>(bins) : 0;
    counts[static_cast<std::size_t>(std::clamp(at, 0.0, static_cast<double>(bins - 1)))] += 1;
  }
  return counts;
}

/// A histogram drawn as a closed step outline (filled with `attrs`).
void histogram_path(Svg& svg, const Frame& f, const std::vector<double>& counts, double lo, double hi,
                    std::string_view attrs) {
  std::string d = fmt::format("M{},{}", coord(f.x(lo)), coord(f.y(0)));
  const double w = (hi - lo) / static_cast<double>(counts.size());
  for (std::size_t b = 0; b < counts.size(); ++b) {
    d += fmt::format("V{}H{}", coord(f.y(counts[b])), coord(f.x(lo + w * static_cast<double>(b + 1))));
  }
  d += fmt::format("V{}Z", coord(f.y(0)));
  svg.raw(fmt::format(R"(<path d="{}" {}/>)", d, attrs));
}

}  // namespace

std::vector<std::size_t> shown_chains(std::size_t chains, std::size_t limit) {
  std::vector<std::size_t> out;
  if (chains <= limit || limit < 2) {
    for (std::size_t c = 0; c < std::min(chains, std::max<std::size_t>(limit, 1)); ++c) out.push_back(c);
    if (chains <= limit) return out;
    return out;
  }
  for (std::size_t i = 0; i < limit; ++i) out.push_back(i * (chains - 1) / (limit - 1));
  return out;
}

std::size_t marks_drawn(std::size_t divergences, const PlotBudget& budget) {
  const std::size_t stride = mark_stride(divergences, budget);
  return (divergences + stride - 1) / stride;
}

std::string trace_plot(const std::string& name, const ChainSpans& x, const ChainSpans& divergent,
                       const std::vector<std::size_t>& shown, const PlotBudget& budget) {
  const std::size_t draws = x.empty() ? 0 : x.front().size();
  const Range r = range_of(x);
  const std::size_t divergences = total_divergences(divergent);
  const std::size_t every = mark_stride(divergences, budget);
  std::string title = fmt::format("Trace of {}{}", name, shown_note(shown.size(), x.size()));
  if (divergences > 0)
    title += every == 1 ? fmt::format("; {} divergent transitions marked", divergences)
                        : fmt::format("; {} of {} divergent transitions marked", marks_drawn(divergences, budget),
                                      divergences);
  Svg svg(420, 190, "trace", title);
  const Frame f = Frame::make(58, 8, 336, 142, 1, std::max<double>(draws, 2), r.lo, r.hi, 6, 4);
  svg.axes(f, "draw", name);
  // Each chain: buckets of draws, the minimum and maximum of each in draw order (no spike is lost).
  const std::size_t bucket = std::max<std::size_t>(1, (draws + budget.trace_buckets - 1) / budget.trace_buckets);
  for (std::size_t p = 0; p < shown.size(); ++p) {
    std::span<const double> c = x[shown[p]];
    Points pts;
    for (std::size_t i = 0; i < c.size(); i += bucket) {
      const std::size_t end = std::min(c.size(), i + bucket);
      std::size_t lo = end, hi = end;
      for (std::size_t k = i; k < end; ++k) {
        if (!std::isfinite(c[k])) continue;
        if (lo == end || c[k] < c[lo]) lo = k;
        if (hi == end || c[k] > c[hi]) hi = k;
      }
      if (lo == end) continue;
      for (std::size_t k : {std::min(lo, hi), std::max(lo, hi)}) {
        pts.emplace_back(f.x(static_cast<double>(k + 1)), f.y(c[k]));
        if (lo == hi) break;
      }
    }
    svg.polyline(pts, chain_attrs(p, shown[p]) + R"( stroke-width="0.8")");
  }
  if (divergences > 0) {
    svg.open_group(R"(class="divergences")");
    std::size_t k = 0;
    for (std::size_t ch = 0; ch < divergent.size() && ch < x.size(); ++ch) {
      for (std::size_t i = 0; i < divergent[ch].size() && i < x[ch].size(); ++i) {
        if (divergent[ch][i] == 0) continue;
        if (k++ % every != 0) continue;
        const double v = std::isfinite(x[ch][i]) ? x[ch][i] : r.lo;
        svg.circle(f.x(static_cast<double>(i + 1)), f.y(v), 2.2,
                   fmt::format(R"(class="div" data-chain="{}")", ch + 1));
      }
    }
    svg.close_group();
  }
  return svg.finish();
}

std::string rank_plot(const std::string& name, const ChainSpans& x, const std::vector<std::size_t>& shown,
                      const PlotBudget& budget, std::size_t bins) {
  // Ranks among all draws: the pooled draws (a thinned sample of them when there are many) sorted
  // once, each shown chain's draws located in them (the average position of ties).
  std::vector<double> pooled = pooled_sample(x, std::max<std::size_t>(budget.density_points * 10, 1));
  std::sort(pooled.begin(), pooled.end());
  std::size_t all = 0;
  for (std::span<const double> c : x) all += c.size();
  const double total = static_cast<double>(all);
  const double size = static_cast<double>(std::max<std::size_t>(pooled.size(), 1));
  const std::size_t draws = x.empty() ? 0 : x.front().size();
  std::vector<std::vector<double>> counts;
  double top = static_cast<double>(draws) / static_cast<double>(bins);
  for (std::size_t ch : shown) {
    std::vector<double> h(bins, 0.0);
    for (double v : x[ch]) {
      if (std::isnan(v)) v = std::numeric_limits<double>::infinity();
      const auto lo = std::lower_bound(pooled.begin(), pooled.end(), v);
      const auto hi = std::upper_bound(lo, pooled.end(), v);
      const double position = (static_cast<double>(lo - pooled.begin()) + static_cast<double>(hi - pooled.begin())) / 2;
      std::size_t b = static_cast<std::size_t>(position / size * static_cast<double>(bins));
      h[std::min(b, bins - 1)] += 1;
    }
    for (double v : h) top = std::max(top, v);
    counts.push_back(std::move(h));
  }
  Svg svg(310, 190, "rank", fmt::format("Rank overlay of {}{}", name, shown_note(shown.size(), x.size())));
  const Frame f = Frame::make(50, 8, 232, 142, 0, total, 0, top, 4, 4);
  svg.axes(f, "rank (all chains)", "draws per bin");
  const double expected = static_cast<double>(draws) / static_cast<double>(bins);
  svg.line(f.left, f.y(expected), f.left + f.width, f.y(expected), R"(class="expected")");
  const double width = total / static_cast<double>(bins);
  for (std::size_t p = 0; p < counts.size(); ++p) {
    Points pts;
    for (std::size_t b = 0; b < bins; ++b) {
      pts.emplace_back(f.x(width * static_cast<double>(b)), f.y(counts[p][b]));
      pts.emplace_back(f.x(width * static_cast<double>(b + 1)), f.y(counts[p][b]));
    }
    svg.polyline(pts, chain_attrs(p, shown[p]) + R"( stroke-width="1.2")");
  }
  return svg.finish();
}

std::string density_plot(const std::string& name, const ChainSpans& x, const std::vector<std::size_t>& shown,
                         const PlotBudget& budget) {
  const Range r = range_of(x);
  constexpr std::size_t kGrid = 100;
  const std::vector<double> all = pooled_sample(x, budget.density_points);
  std::vector<double> pooled_density = kde(all, r.lo, r.hi, kGrid);
  std::vector<std::vector<double>> per_chain;
  double top = 0;
  for (double v : pooled_density) top = std::max(top, v);
  const std::size_t per_chain_limit = std::max<std::size_t>(100, budget.density_points / std::max<std::size_t>(1, shown.size()));
  for (std::size_t ch : shown) {
    per_chain.push_back(kde(pooled_sample(ChainSpans{x[ch]}, per_chain_limit), r.lo, r.hi, kGrid));
    for (double v : per_chain.back()) top = std::max(top, v);
  }
  if (!(top > 0)) top = 1;
  Svg svg(310, 190, "density", fmt::format("Density of {}{}", name, shown_note(shown.size(), x.size())));
  const Frame f = Frame::make(50, 8, 232, 142, r.lo, r.hi, 0, top, 4, 4);
  svg.axes(f, name, "density");
  auto grid_x = [&](std::size_t g) {
    return r.lo + (r.hi - r.lo) * static_cast<double>(g) / static_cast<double>(kGrid - 1);
  };
  Points fill;
  fill.emplace_back(f.x(r.lo), f.y(0));
  for (std::size_t g = 0; g < kGrid; ++g) fill.emplace_back(f.x(grid_x(g)), f.y(pooled_density[g]));
  fill.emplace_back(f.x(r.hi), f.y(0));
  std::string d;
  for (std::size_t i = 0; i < fill.size(); ++i) d += fmt::format("{}{},{}", i == 0 ? "M" : "L", coord(fill[i].first), coord(fill[i].second));
  svg.raw(fmt::format(R"(<path class="pooled" d="{}Z"/>)", d));
  for (std::size_t p = 0; p < per_chain.size(); ++p) {
    Points pts;
    for (std::size_t g = 0; g < kGrid; ++g) pts.emplace_back(f.x(grid_x(g)), f.y(per_chain[p][g]));
    svg.polyline(pts, chain_attrs(p, shown[p]) + R"( stroke-width="1")");
  }
  return svg.finish();
}

std::string pairs_plot(const std::vector<std::string>& names, const std::vector<ChainSpans>& columns,
                       const ChainSpans& divergent, const PlotBudget& budget) {
  const std::size_t k = names.size();
  constexpr double kCell = 150, kGap = 42, kLeft = 60, kTop = 8;  // the gap holds the tick labels
  const double size = kLeft + static_cast<double>(k) * (kCell + kGap) + 20;
  const std::size_t divergences = total_divergences(divergent);
  const std::size_t every = mark_stride(divergences, budget);
  std::string title = "Pairs of " + fmt::format("{}", fmt::join(names, ", "));
  if (divergences > 0) title += fmt::format("; divergent draws highlighted ({} of {})", marks_drawn(divergences, budget), divergences);
  Svg svg(size, size + 10, "pairs", title);
  std::vector<Range> ranges;
  for (const ChainSpans& c : columns) ranges.push_back(range_of(c));
  std::size_t total = 0;
  for (std::span<const double> c : columns.front()) total += c.size();
  const std::size_t stride = std::max<std::size_t>(1, (total + budget.scatter_points - 1) / budget.scatter_points);
  for (std::size_t row = 0; row < k; ++row) {
    for (std::size_t col = 0; col < k; ++col) {
      const double left = kLeft + static_cast<double>(col) * (kCell + kGap);
      const double top = kTop + static_cast<double>(row) * (kCell + kGap);
      if (row == col) {
        const std::vector<double> v = pooled_sample(columns[row], budget.density_points);
        const Ticks t = Frame::make(left, top, kCell, kCell, ranges[row].lo, ranges[row].hi, 0, 1, 3, 3).xt;
        const std::vector<double> h = histogram(v, t.lo, t.hi, 30);
        const double top_count = std::max(1.0, *std::max_element(h.begin(), h.end()));
        Frame f = Frame::make(left, top, kCell, kCell, ranges[row].lo, ranges[row].hi, 0, top_count, 3, 3);
        svg.axes(f, row + 1 == k ? names[col] : "", col == 0 ? names[row] : "", false);
        histogram_path(svg, f, h, t.lo, t.hi, R"(class="hist")");
        continue;
      }
      if (row < col) {  // above the diagonal: the correlation of the pooled draws
        std::vector<double> a = pooled_sample(columns[col], budget.density_points);
        std::vector<double> b = pooled_sample(columns[row], budget.density_points);
        const std::size_t n = std::min(a.size(), b.size());
        double ma = 0, mb = 0;
        for (std::size_t i = 0; i < n; ++i) ma += a[i], mb += b[i];
        ma /= std::max<double>(1, n), mb /= std::max<double>(1, n);
        double sab = 0, saa = 0, sbb = 0;
        for (std::size_t i = 0; i < n; ++i) {
          sab += (a[i] - ma) * (b[i] - mb), saa += (a[i] - ma) * (a[i] - ma), sbb += (b[i] - mb) * (b[i] - mb);
        }
        const double corr = saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0;
        svg.text(left + kCell / 2, top + kCell / 2, fmt::format("corr {:.2f}", corr), "middle", R"(class="corr")");
        continue;
      }
      const Frame f = Frame::make(left, top, kCell, kCell, ranges[col].lo, ranges[col].hi, ranges[row].lo,
                                  ranges[row].hi, 3, 4);
      svg.axes(f, row + 1 == k ? names[col] : "", col == 0 ? names[row] : "");
      svg.open_group(R"(class="points")");
      std::size_t i = 0;
      for (std::size_t ch = 0; ch < columns[col].size(); ++ch) {
        for (std::size_t d = 0; d < columns[col][ch].size(); ++d, ++i) {
          if (i % stride != 0) continue;
          const double xv = columns[col][ch][d], yv = columns[row][ch][d];
          if (!std::isfinite(xv) || !std::isfinite(yv)) continue;
          svg.circle(f.x(xv), f.y(yv), 1.3);
        }
      }
      svg.close_group();
      if (divergences > 0) {
        svg.open_group(R"(class="divergences")");
        std::size_t m = 0;
        for (std::size_t ch = 0; ch < divergent.size(); ++ch) {
          for (std::size_t d = 0; d < divergent[ch].size(); ++d) {
            if (divergent[ch][d] == 0 || m++ % every != 0) continue;
            const double xv = columns[col][ch][d], yv = columns[row][ch][d];
            svg.circle(f.x(std::isfinite(xv) ? xv : ranges[col].lo), f.y(std::isfinite(yv) ? yv : ranges[row].lo), 2.4,
                       fmt::format(R"(class="div" data-chain="{}")", ch + 1));
          }
        }
        svg.close_group();
      }
    }
  }
  return svg.finish();
}

std::string energy_plot(const ChainSpans& energy, const std::vector<double>& ebfmi) {
  // Betancourt (2016): the marginal energy (centred per chain) against the energy transitions
  // (differences of consecutive draws); a transition distribution much narrower than the
  // marginal one means that momentum resampling explores the energy levels slowly (low E-BFMI).
  std::vector<double> marginal, transition;
  for (std::span<const double> e : energy) {
    double mean = 0;
    std::size_t n = 0;
    for (double v : e)
      if (std::isfinite(v)) mean += v, ++n;
    mean /= std::max<std::size_t>(n, 1);
    for (std::size_t i = 0; i < e.size(); ++i) {
      if (std::isfinite(e[i])) marginal.push_back(e[i] - mean);
      if (i > 0 && std::isfinite(e[i]) && std::isfinite(e[i - 1])) transition.push_back(e[i] - e[i - 1]);
    }
  }
  Range r;
  for (double v : marginal) r.add(v);
  for (double v : transition) r.add(v);
  if (r.empty()) r.lo = -1, r.hi = 1;
  const Ticks t = nice_ticks(r.lo, r.hi, 6);
  constexpr std::size_t kBins = 40;
  std::vector<double> hm = histogram(marginal, t.lo, t.hi, kBins), ht = histogram(transition, t.lo, t.hi, kBins);
  // As densities, so that the two histograms compare whatever their counts.
  const double w = (t.hi - t.lo) / kBins;
  for (double& v : hm) v /= std::max<double>(1, marginal.size()) * w;
  for (double& v : ht) v /= std::max<double>(1, transition.size()) * w;
  double top = 0;
  for (double v : hm) top = std::max(top, v);
  for (double v : ht) top = std::max(top, v);
  double low = std::numeric_limits<double>::infinity();
  for (double e : ebfmi)
    if (std::isfinite(e)) low = std::min(low, e);
  Svg svg(460, 220, "energy",
          std::isfinite(low) ? fmt::format("Energy: marginal and transition distributions; lowest E-BFMI {:.3g}", low)
                             : std::string("Energy: marginal and transition distributions"));
  const Frame f = Frame::make(58, 24, 376, 150, t.lo, t.hi, 0, std::max(top, 1e-300), 6, 4);
  svg.axes(f, "energy - mean (per chain)", "density");
  histogram_path(svg, f, hm, t.lo, t.hi, R"(class="energy-marginal")");
  histogram_path(svg, f, ht, t.lo, t.hi, R"(class="energy-transition")");
  svg.rect(f.left + 8, 6, 10, 10, R"(class="energy-marginal")");
  svg.text(f.left + 22, 15, "marginal energy (E - mean E)", "start", R"(class="tick")");
  svg.rect(f.left + 210, 6, 10, 10, R"(class="energy-transition")");
  svg.text(f.left + 224, 15, "energy transition (E - previous E)", "start", R"(class="tick")");
  return svg.finish();
}

std::string chain_plot(const std::string& title, const std::string& ylabel, const std::vector<double>& values,
                       const PlotBudget& budget, double reference, bool has_reference, bool zero_based) {
  const std::vector<std::size_t> chains = shown_chains(values.size(), budget.chain_dots);
  Range r;
  for (std::size_t c : chains) r.add(values[c]);
  if (has_reference) r.add(reference);
  if (zero_based) r.add(0);
  if (r.empty()) r.lo = 0, r.hi = 1;
  Svg svg(310, 190, "chains", title + shown_note(chains.size(), values.size()));
  // Chain numbers: integer ticks, half a chain of room either side of the first and last dot.
  const Frame f = Frame::make(58, 8, 228, 142, 0.5, static_cast<double>(values.size()) + 0.5, r.lo, r.hi, 5, 4, true);
  svg.axes(f, "chain", ylabel);
  if (has_reference) svg.line(f.left, f.y(reference), f.left + f.width, f.y(reference), R"(class="expected")");
  svg.open_group(R"(class="points")");
  const std::vector<std::size_t> coloured = shown_chains(values.size(), budget.chains_shown);
  for (std::size_t c : chains) {
    if (!std::isfinite(values[c])) continue;
    const auto at = std::find(coloured.begin(), coloured.end(), c);
    const std::string fill = values.size() <= budget.chains_shown && at != coloured.end()
                                 ? fmt::format(R"( style="fill:{};fill-opacity:1")", chain_colour(static_cast<std::size_t>(at - coloured.begin())))
                                 : std::string();
    svg.circle(f.x(static_cast<double>(c + 1)), f.y(values[c]), values.size() > 64 ? 1.6 : 3,
               fmt::format(R"(data-chain="{}"{})", c + 1, fill));
  }
  svg.close_group();
  return svg.finish();
}

}  // namespace mcmc::report

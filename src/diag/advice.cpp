// The sampler checks of `mcmc summary` and `mcmc run`: divergences, tree depth, E-BFMI, ESS and R-hat, each with advice.
#include "diag/advice.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "diag/diagnostics.hpp"

namespace mcmc::diag {
namespace {

bool constant(const ParamSummary& r) { return r.sd == 0.0; }

std::string percent(int n, std::size_t of) {
  return fmt::format("{:.2f}%", of ? 100.0 * n / static_cast<double>(of) : 0.0);
}

std::string short_number(double v) { return format_significant(v, 3); }

/// Up to three row names with their values, worst first: "tau 1.26, lp__ 1.28".
template <class Value>
std::string worst(const std::vector<ParamSummary>& rows, std::vector<std::size_t> idx, Value value, bool high_is_bad) {
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
    double va = value(rows[a]), vb = value(rows[b]);
    if (std::isnan(va) != std::isnan(vb)) return std::isnan(va);
    return high_is_bad ? va > vb : va < vb;
  });
  std::string out;
  for (std::size_t k = 0; k < std::min<std::size_t>(3, idx.size()); ++k)
    out += fmt::format("{}{} {}", k ? ", " : "", rows[idx[k]].name, short_number(value(rows[idx[k]])));
  if (idx.size() > 3) out += ", ...";
  return out;
}

double min_ess(const ParamSummary& r) { return std::min(r.ess_bulk, r.ess_tail); }

struct Line {
  bool flagged = false;
  std::string text;
};

std::vector<Line> lines(const Diagnostics& d, const std::vector<ParamSummary>& rows) {
  std::vector<Line> out;
  const std::size_t total = d.draws_per_chain * d.chains;
  if (d.divergences) {
    int n = d.total_divergences();
    out.push_back({n > 0, n == 0 ? fmt::format("Divergences: none in {} transitions.", total)
                                 : fmt::format("Divergences: {} of {} transitions ({}) ended with a divergence: the "
                                               "sampler cannot explore the posterior fully; increase --target-accept "
                                               "(adapt delta) towards 1, or reparameterize the model.",
                                               n, total, percent(n, total))});
  }
  if (d.depth_hits) {
    int n = d.total_depth_hits();
    out.push_back({n > 0, n == 0 ? fmt::format("Tree depth: no transition hit the maximum tree depth {}.", d.max_depth)
                                 : fmt::format("Tree depth: {} of {} transitions ({}) hit the maximum tree depth {}: "
                                               "trajectories were cut short (an efficiency concern); increase "
                                               "--max-depth or reparameterize.",
                                               n, total, percent(n, total), d.max_depth)});
  }
  if (d.ebfmi) {
    const auto& e = *d.ebfmi;
    if (d.low_ebfmi.empty()) {
      if (e.size() <= 8) {
        std::vector<std::string> values;
        for (double v : e) values.push_back(short_number(v));
        out.push_back({false, fmt::format("E-BFMI: {} (all chains >= {}).", fmt::join(values, ", "), kLowEbfmi)});
      } else {  // many chains: the range, not a list
        auto [lo, hi] = std::minmax_element(e.begin(), e.end());
        out.push_back({false, fmt::format("E-BFMI: {} to {} over {} chains (all >= {}).", short_number(*lo),
                                          short_number(*hi), e.size(), kLowEbfmi)});
      }
    } else {
      std::vector<std::size_t> low = d.low_ebfmi;
      std::stable_sort(low.begin(), low.end(), [&](std::size_t a, std::size_t b) { return e[a] < e[b]; });
      std::vector<std::string> named;
      for (std::size_t k = 0; k < std::min<std::size_t>(low.size(), 5); ++k)
        named.push_back(fmt::format("chain {} ({})", low[k] + 1, short_number(e[low[k]])));
      std::string where = low.size() <= 5 ? fmt::format("{}", fmt::join(named, ", "))
                                           : fmt::format("{} of {} chains (lowest: {}, ...)", low.size(), e.size(),
                                                         fmt::join(named, ", "));
      out.push_back({true, fmt::format("E-BFMI below {} in {}: the momentum resampling explores the energy "
                                       "distribution poorly; reparameterize the model (e.g. non-centred).",
                                       kLowEbfmi, where)});
    }
  }
  const bool per_chain = d.ess_threshold == kEssPerChain * static_cast<double>(d.chains);
  const std::string basis = per_chain ? "100 per chain" : fmt::format("for {} draws in all", total);
  if (d.low_ess.empty()) {
    out.push_back({false, fmt::format("ESS: bulk and tail ESS >= {:g} ({}) for all {} quantities.", d.ess_threshold,
                                      basis, d.checked)});
  } else {
    double lowest = min_ess(rows[d.low_ess.front()]);
    for (std::size_t i : d.low_ess) lowest = std::min(lowest, min_ess(rows[i]));
    std::string more = lowest > 0 && std::isfinite(lowest)
                           ? fmt::format("about {:.0f} draws per chain instead of {} would be needed at this "
                                         "efficiency",
                                         std::ceil(static_cast<double>(d.draws_per_chain) * d.ess_threshold / lowest),
                                         d.draws_per_chain)
                           : std::string("run more draws");
    out.push_back({true, fmt::format("ESS: {} of {} quantities have bulk or tail ESS below {:g} ({}; lowest: {}): "
                                     "estimates are unreliable; {}, or reparameterize.",
                                     d.low_ess.size(), d.checked, d.ess_threshold, basis,
                                     worst(rows, d.low_ess, min_ess, false), more)});
  }
  auto rhat = [](const ParamSummary& r) { return r.rhat; };
  if (d.superchains > 0) {  // with many short chains, nested R-hat is the criterion
    const std::string split = d.high_rhat.empty()
                                  ? std::string()
                                  : fmt::format(" (split R-hat is above {} for {}, as expected with chains this short)",
                                                kHighRhat, d.high_rhat.size());
    if (d.high_nested_rhat.empty()) {
      out.push_back({false, fmt::format("R-hat: nested R-hat over {} superchains <= {} for all {} quantities{}.",
                                        d.superchains, kHighRhat, d.checked, split)});
    } else {
      out.push_back({true, fmt::format("R-hat: {} of {} quantities have nested R-hat over {} superchains above {}: "
                                       "the chains have not mixed; do not use the estimates; run a longer warm-up or "
                                       "reparameterize.",
                                       d.high_nested_rhat.size(), d.checked, d.superchains, kHighRhat)});
    }
  } else {
    out.push_back({!d.high_rhat.empty(),
                   d.high_rhat.empty()
                       ? fmt::format("R-hat: <= {} for all {} quantities.", kHighRhat, d.checked)
                       : fmt::format("R-hat: {} of {} quantities have R-hat above {} (highest: {}): the chains have "
                                     "not mixed; do not use the estimates; run longer chains or reparameterize.",
                                     d.high_rhat.size(), d.checked, kHighRhat,
                                     worst(rows, d.high_rhat, rhat, true))});
  }
  if (d.stuck_chains) {
    const std::vector<int>& st = *d.stuck_chains;
    const std::string restarted =
        d.restarted_chains > 0 ? fmt::format(" ({} restarts from other chains during warm-up)", d.restarted_chains) : "";
    std::string which;
    for (std::size_t k = 0; k < std::min<std::size_t>(5, st.size()); ++k)
      which += fmt::format("{}{}", k ? ", " : "", st[k] + 1);
    if (st.size() > 5) which += ", ...";
    out.push_back({!st.empty(),
                   st.empty() ? fmt::format("Stragglers: no chain ended warm-up far below the others' log density{}.", restarted)
                              : fmt::format("Stragglers: {} of {} chains ended warm-up far below the others' log density "
                                            "(chain {}){}: they are stuck away from the posterior's bulk and bias the "
                                            "pooled estimates; run a longer --warmup, or use --algorithm nuts.",
                                            st.size(), d.chains, which, restarted)});
  }
  return out;
}

}  // namespace

int Diagnostics::total_divergences() const {
  return divergences ? std::accumulate(divergences->begin(), divergences->end(), 0) : 0;
}

int Diagnostics::total_depth_hits() const {
  return depth_hits ? std::accumulate(depth_hits->begin(), depth_hits->end(), 0) : 0;
}

double ess_threshold(std::size_t chains, std::size_t draws_per_chain) {
  const double per_chain = kEssPerChain * static_cast<double>(chains);
  const double tenth = static_cast<double>(chains * draws_per_chain) / 10;
  return std::min(per_chain, std::max(400.0, tenth));
}

void add_sampler_statistics(DiagnosticsInput& in,
                            const std::function<std::span<const double>(const std::string&, std::size_t)>& column) {
  if (in.chains == 0) return;
  auto per_chain = [&](const std::string& name, auto&& value) {
    using T = decltype(value(std::span<const double>()));
    std::optional<std::vector<T>> out;
    if (column(name, 0).empty()) return out;
    out.emplace();
    for (std::size_t c = 0; c < in.chains; ++c) out->push_back(value(column(name, c)));
    return out;
  };
  auto count = [](std::span<const double> x, auto pred) {
    return static_cast<int>(std::count_if(x.begin(), x.end(), pred));
  };
  in.divergences = per_chain("divergent__", [&](std::span<const double> x) { return count(x, [](double v) { return v != 0; }); });
  in.depth_hits = per_chain("treedepth__", [&](std::span<const double> x) {
    return count(x, [&](double v) { return v >= in.max_depth; });
  });
  in.ebfmi = per_chain("energy__", [](std::span<const double> x) { return ebfmi(x); });
}

Diagnostics diagnose(const DiagnosticsInput& in) {
  Diagnostics d;
  d.chains = in.chains;
  d.draws_per_chain = in.draws_per_chain;
  d.divergences = in.divergences;
  d.max_depth = in.max_depth;
  d.depth_hits = in.depth_hits;
  d.ebfmi = in.ebfmi;
  d.superchains = in.superchains;
  d.stuck_chains = in.stuck_chains;
  d.restarted_chains = in.restarted_chains;
  if (d.ebfmi)
    for (std::size_t c = 0; c < d.ebfmi->size(); ++c)
      if (!((*d.ebfmi)[c] >= kLowEbfmi)) d.low_ebfmi.push_back(c);
  d.ess_threshold = ess_threshold(in.chains, in.draws_per_chain);
  const std::vector<ParamSummary>& rows = *in.rows;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const ParamSummary& r = rows[i];
    if (constant(r)) continue;
    ++d.checked;
    if (!(r.ess_bulk >= d.ess_threshold && r.ess_tail >= d.ess_threshold)) d.low_ess.push_back(i);
    if (!(r.rhat <= kHighRhat)) d.high_rhat.push_back(i);
    if (d.superchains > 0 && i < in.nested_rhat.size() && !(in.nested_rhat[i] <= kHighRhat))
      d.high_nested_rhat.push_back(i);
  }
  return d;
}

std::string diagnostics_text(const Diagnostics& d, const std::vector<ParamSummary>& rows) {
  std::string out = "Sampler diagnostics:\n";
  for (const Line& l : lines(d, rows)) out += "  " + l.text + "\n";
  return out;
}

std::vector<std::string> diagnostics_warnings(const Diagnostics& d, const std::vector<ParamSummary>& rows) {
  std::vector<std::string> out;
  for (const Line& l : lines(d, rows))
    if (l.flagged) out.push_back(l.text);
  return out;
}

}  // namespace mcmc::diag

// Tests of the report's SVG helpers and plots: nice ticks, labels, escaping, chain lines and divergence marks.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "report/html.hpp"
#include "report/plots.hpp"
#include "report/svg.hpp"

using namespace mcmc::report;

namespace {

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
  return n;
}

}  // namespace

TEST_CASE("nice numbers and ticks cover the range with 1-2-5 steps") {
  CHECK(nice_number(0.33, true) == doctest::Approx(0.5));
  CHECK(nice_number(0.73, true) == doctest::Approx(1));
  CHECK(nice_number(0.73, false) == doctest::Approx(1));
  CHECK(nice_number(3.2, false) == doctest::Approx(5));
  CHECK(nice_number(180, true) == doctest::Approx(200));
  const Ticks t = nice_ticks(-3.7, 12.2, 5);
  CHECK(t.step == doctest::Approx(5));
  CHECK(t.lo == doctest::Approx(-5));
  CHECK(t.hi == doctest::Approx(15));
  REQUIRE(t.values.size() == 5);
  CHECK(t.labels == std::vector<std::string>{"-5", "0", "5", "10", "15"});
  const Ticks small = nice_ticks(0.0012, 0.0047, 4);
  CHECK(small.lo <= 0.0012);
  CHECK(small.hi >= 0.0047);
  CHECK(small.labels == std::vector<std::string>{"0", "0.002", "0.004", "0.006"});
  // A constant gets a range around it; big numbers an exponent.
  const Ticks constant = nice_ticks(2, 2, 4);
  CHECK(constant.lo < 2);
  CHECK(constant.hi > 2);
  CHECK(tick_label(2e6, 1e6) == "2e+06");
  CHECK(tick_label(-0.0, 0.5) == "0");
  CHECK(tick_label(0.25, 0.05) == "0.25");
  for (double lo : {-1e-3, 0.0, 1.0, 123.4, -5e5}) {
    const Ticks r = nice_ticks(lo, lo + 17.3 * std::abs(lo + 1), 5);
    CHECK(r.lo <= lo);
    CHECK(r.hi >= lo + 17.3 * std::abs(lo + 1));
    CHECK(r.values.size() >= 2);
    CHECK(r.values.size() <= 12);
  }
}

TEST_CASE("XML escaping and coordinates") {
  CHECK(escape_xml("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
  CHECK(coord(12.04) == "12");
  CHECK(coord(-0.04) == "0");
  CHECK(coord(3.25) == "3.3");
  CHECK(chain_colour(0) == "#0072B2");
  CHECK(chain_colour(7) == chain_colour(0));
}

TEST_CASE("shown chains: all, or evenly spaced with the first and last") {
  CHECK(shown_chains(3, 8) == std::vector<std::size_t>{0, 1, 2});
  const auto s = shown_chains(4096, 8);
  REQUIRE(s.size() == 8);
  CHECK(s.front() == 0);
  CHECK(s.back() == 4095);
}

TEST_CASE("trace plot: one line per chain, every divergence marked, on shared axes") {
  std::mt19937 rng(1);
  std::normal_distribution<double> n(3, 2);
  std::vector<std::vector<double>> draws(4, std::vector<double>(1000)), div(4, std::vector<double>(1000, 0.0));
  for (auto& c : draws)
    for (double& v : c) v = n(rng);
  div[1][10] = div[1][500] = div[3][999] = 1;
  ChainSpans x, d;
  for (int c = 0; c < 4; ++c) x.emplace_back(draws[c]), d.emplace_back(div[c]);
  PlotBudget budget;
  const std::string svg = trace_plot("mu", x, d, shown_chains(4, 8), budget);
  CHECK(count(svg, "<polyline") == 4);
  CHECK(count(svg, "class=\"div\"") == 3);
  CHECK(count(svg, "data-plot=\"trace\"") == 1);
  CHECK(svg.find("3 divergent transitions marked") != std::string::npos);
  // At most 2 points per bucket per chain.
  const std::size_t first = svg.find("points=\"");
  const std::size_t end = svg.find('"', first + 8);
  CHECK(count(svg.substr(first, end - first), ",") <= 2 * budget.trace_buckets);
  // Many divergences: thinned to the budget, and the title says so.
  for (auto& c : div)
    for (double& v : c) v = 1;
  budget.divergent_marks = 100;
  const std::string many = trace_plot("mu", x, d, shown_chains(4, 8), budget);
  CHECK(count(many, "class=\"div\"") == marks_drawn(4000, budget));
  CHECK(marks_drawn(4000, budget) == 100);
  CHECK(many.find("100 of 4000 divergent transitions marked") != std::string::npos);
}

TEST_CASE("rank plot: uniform ranks give counts near draws / bins for each chain") {
  std::vector<std::vector<double>> draws(4, std::vector<double>(1000));
  for (int c = 0; c < 4; ++c)
    for (int i = 0; i < 1000; ++i) draws[c][i] = i * 4 + c;  // interleaved: every chain uniform over the ranks
  ChainSpans x;
  for (auto& c : draws) x.emplace_back(c);
  const std::string svg = rank_plot("a", x, shown_chains(4, 8), PlotBudget(), 20);
  CHECK(count(svg, "<polyline") == 4);
  CHECK(count(svg, "class=\"expected\"") == 1);
}

TEST_CASE("problem score and ordering: worst first") {
  std::vector<mcmc::diag::ParamSummary> rows(3);
  rows[0].name = "a", rows[0].rhat = 1.001, rows[0].ess_bulk = 2000, rows[0].ess_tail = 1900;
  rows[1].name = "b", rows[1].rhat = 1.05, rows[1].ess_bulk = 50, rows[1].ess_tail = 80;
  rows[2].name = "c.1", rows[2].rhat = 1.0, rows[2].ess_bulk = 300, rows[2].ess_tail = 1000;
  CHECK(problem_score(rows[1], 400) == doctest::Approx(8));
  CHECK(problem_score(rows[0], 400) < 1);
  CHECK(worst_first(rows, 400) == std::vector<std::size_t>{1, 2, 0});
  CHECK(select_rows(rows, {"c"}) == std::vector<std::size_t>{2});
  CHECK(select_rows(rows, {"c[1]", "a"}) == std::vector<std::size_t>{2, 0});
  CHECK_THROWS(select_rows(rows, {"zz"}));
}

TEST_CASE("ticks at the ends of the doubles, and plots of non-finite draws, stay defined") {
  const Ticks t = nice_ticks(-1.7e308, 1.7e308, 5);
  CHECK(t.values.size() == 2);
  std::vector<double> a = {1, 2, std::numeric_limits<double>::infinity(), std::nan(""), 3}, d = {0, 0, 1, 0, 0};
  ChainSpans x = {a}, div = {d};
  const std::string svg = trace_plot("q", x, div, {0}, PlotBudget());
  CHECK(count(svg, "class=\"div\"") == 1);
  CHECK(svg.find("nan") == std::string::npos);
  CHECK(svg.find("inf") == std::string::npos);
  CHECK(density_plot("q", x, {0}, PlotBudget()).find("nan") == std::string::npos);
}

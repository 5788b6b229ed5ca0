// Checks summarize() against R (mean, sd, mad, quantiles, ESS, R-hat) and the layout of the summary table.
#include <doctest/doctest.h>

#include <sstream>

#include "diag/summary.hpp"
#include "fixtures.hpp"

using namespace mcmc::diag;
using mcmc::diag::testing::agrees;

namespace {

Chains as_chains(const std::vector<std::vector<double>>& draws) {
  Chains chains;
  for (const auto& chain : draws) chains.emplace_back(chain);
  return chains;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("summarize matches R posterior / stats for every fixture set") {
  const auto expected = testing::read_expected();
  for (const std::string set : {"iid_normal", "ar1_phi09", "constant", "cauchy", "odd_draws", "ties_rounded", "poisson"}) {
    const auto draws = testing::read_draws(set);
    const ParamSummary s = summarize(set, as_chains(draws), {0.05, 0.5, 0.95});
    const auto& want = expected.at(set);
    CHECK(s.name == set);
    CHECK_MESSAGE(agrees(s.mean, want.at("mean")), set);
    CHECK_MESSAGE(agrees(s.sd, want.at("sd")), set);
    CHECK_MESSAGE(agrees(s.mad, want.at("mad")), set);
    CHECK_MESSAGE(agrees(s.mcse, want.at("mcse_mean")), set);
    REQUIRE(s.quantiles.size() == 3);
    CHECK_MESSAGE(agrees(s.quantiles[0], want.at("q05")), set);
    CHECK_MESSAGE(agrees(s.quantiles[1], want.at("q50")), set);
    CHECK_MESSAGE(agrees(s.quantiles[2], want.at("q95")), set);
    CHECK_MESSAGE(agrees(s.ess_bulk, want.at("ess_bulk")), set);
    CHECK_MESSAGE(agrees(s.ess_tail, want.at("ess_tail")), set);
    CHECK_MESSAGE(agrees(s.rhat, want.at("rhat")), set);
  }
}

TEST_CASE("quantile labels") {
  CHECK(quantile_label(0.05) == "5%");
  CHECK(quantile_label(0.5) == "50%");
  CHECK(quantile_label(0.025) == "2.5%");
  CHECK(quantile_label(0.975) == "97.5%");
}

TEST_CASE("summary table: aligned columns, significant digits, nan") {
  ParamSummary a;
  a.name = "mu";
  a.mean = 1.234567;
  a.mcse = 0.0123456;
  a.sd = 0.98765;
  a.quantiles = {-0.4, 1.2345, 2.9};
  a.ess_bulk = 1234.6;
  a.ess_tail = 987.2;
  a.rhat = 1.00123;
  ParamSummary b;
  b.name = "a_long_name[10]";
  b.mean = 1.5;
  b.mcse = std::nan("");
  b.sd = 0.0;
  b.quantiles = {1.5, 1.5, 1.5};
  b.ess_bulk = std::nan("");
  b.ess_tail = std::nan("");
  b.rhat = std::nan("");

  const std::string table = format_summary_table({a, b}, {0.05, 0.5, 0.95}, 3);
  const auto lines = lines_of(table);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] ==
        "                 Mean    MCSE  StdDev    5%   50%  95%  ESS_bulk  ESS_tail  R_hat");
  CHECK(lines[1] ==
        "mu               1.23  0.0123   0.988  -0.4  1.23  2.9      1235       987   1.00");
  CHECK(lines[2] ==
        "a_long_name[10]   1.5     nan       0   1.5   1.5  1.5       nan       nan    nan");
  for (const auto& line : lines) CHECK(line.size() == lines[0].size());

  const auto wide = lines_of(format_summary_table({a}, {0.05, 0.5, 0.95}, 6));
  CHECK(wide[1].find("1.23457") != std::string::npos);
  CHECK(wide[1].find("1.00123") != std::string::npos);
}

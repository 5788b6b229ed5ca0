// The sampler checks shared by `mcmc summary` and `mcmc run`: thresholds and advice for few long and many short chains.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "diag/advice.hpp"

namespace {

using mcmc::diag::ParamSummary;

ParamSummary row(const std::string& name, double rhat, double ess) {
  ParamSummary r;
  r.name = name;
  r.sd = 1;
  r.rhat = rhat;
  r.ess_bulk = ess;
  r.ess_tail = ess;
  return r;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("ESS threshold: 100 per chain, at most a tenth of the draws, at least 400") {
  using mcmc::diag::ess_threshold;
  CHECK(ess_threshold(4, 1000) == 400);
  CHECK(ess_threshold(2, 200) == 200);
  CHECK(ess_threshold(8, 1000) == 800);
  CHECK(ess_threshold(1024, 20) == 2048);   // not 102,400 effective draws out of 20,480 draws
  CHECK(ess_threshold(4096, 10) == 4096);
  CHECK(ess_threshold(1000, 1) == 400);
}

TEST_CASE("low ESS advice says how many draws per chain would be needed, relative to the draws there are") {
  std::vector<ParamSummary> rows = {row("mu", 1.001, 512), row("tau", 1.001, 5000)};
  mcmc::diag::DiagnosticsInput in;
  in.rows = &rows;
  in.chains = 1024;
  in.draws_per_chain = 20;
  auto d = mcmc::diag::diagnose(in);
  CHECK(d.ess_threshold == 2048);
  REQUIRE(d.low_ess.size() == 1);
  const std::string text = mcmc::diag::diagnostics_text(d, rows);
  CHECK(contains(text, "below 2048 (for 20480 draws in all; lowest: mu 512)"));
  CHECK(contains(text, "about 80 draws per chain instead of 20"));
}

TEST_CASE("E-BFMI over many chains: a range when all pass, the count and the five lowest when not") {
  std::vector<ParamSummary> rows = {row("mu", 1.001, 5000)};
  mcmc::diag::DiagnosticsInput in;
  in.rows = &rows;
  in.chains = 200;
  in.draws_per_chain = 100;
  in.ebfmi = std::vector<double>(200, 0.9);
  CHECK(contains(mcmc::diag::diagnostics_text(mcmc::diag::diagnose(in), rows), "E-BFMI: 0.9 to 0.9 over 200 chains"));
  for (int c = 0; c < 150; ++c) (*in.ebfmi)[static_cast<std::size_t>(c)] = 0.2 + 0.0001 * c;
  (*in.ebfmi)[7] = 0.1;
  auto d = mcmc::diag::diagnose(in);
  CHECK(d.low_ebfmi.size() == 150);
  const auto warnings = mcmc::diag::diagnostics_warnings(d, rows);
  REQUIRE(warnings.size() == 1);
  CHECK(contains(warnings[0], "E-BFMI below 0.3 in 150 of 200 chains (lowest: chain 8 (0.1), chain 1 (0.2), "
                              "chain 2 (0.2), chain 3 (0.2), chain 4 (0.2), ...)"));
  CHECK(warnings[0].size() < 400);
}

TEST_CASE("with superchains, nested R-hat decides the R-hat advice") {
  std::vector<ParamSummary> rows = {row("mu", 1.03, 5000), row("tau", 1.02, 5000)};
  mcmc::diag::DiagnosticsInput in;
  in.rows = &rows;
  in.chains = 1024;
  in.draws_per_chain = 20;
  SUBCASE("without: split R-hat above 1.01 is a warning") {
    auto w = mcmc::diag::diagnostics_warnings(mcmc::diag::diagnose(in), rows);
    REQUIRE(w.size() == 1);
    CHECK(contains(w[0], "do not use the estimates"));
  }
  SUBCASE("nested R-hat below 1.01: no warning, and the text says why split R-hat is high") {
    in.superchains = 16;
    in.nested_rhat = {1.004, 1.002};
    auto d = mcmc::diag::diagnose(in);
    CHECK(mcmc::diag::diagnostics_warnings(d, rows).empty());
    const std::string text = mcmc::diag::diagnostics_text(d, rows);
    CHECK(contains(text, "nested R-hat over 16 superchains <= 1.01 for all 2 quantities"));
    CHECK_FALSE(contains(text, "do not use the estimates"));
  }
  SUBCASE("nested R-hat above 1.01: the warning stays") {
    in.superchains = 16;
    in.nested_rhat = {1.05, 1.002};
    auto d = mcmc::diag::diagnose(in);
    REQUIRE(d.high_nested_rhat.size() == 1);
    CHECK(contains(mcmc::diag::diagnostics_warnings(d, rows).at(0), "do not use the estimates"));
  }
}

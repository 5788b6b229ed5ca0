// Checks every diagnostic against the values R's posterior 1.4.0 computed for the fixture draw sets.
#include <doctest/doctest.h>

#include <functional>
#include <span>

#include "diag/diagnostics.hpp"
#include "fixtures.hpp"

namespace {

using namespace mcmc::diag;
using mcmc::diag::testing::agrees;

const std::vector<std::string> kSets = {
    "iid_normal", "ar1_phi09",    "not_converged", "constant", "cauchy",          "odd_draws", "ties_rounded",
    "antithetic", "alternating", "single_chain",  "poisson",  "tiny", "constant_chains", "long_ar1", "with_inf"};

Chains as_chains(const std::vector<std::vector<double>>& draws) {
  Chains chains;
  for (const auto& chain : draws) chains.emplace_back(chain);
  return chains;
}

const std::vector<std::pair<std::string, std::function<double(const Chains&)>>>& measures() {
  static const std::vector<std::pair<std::string, std::function<double(const Chains&)>>> list = {
      {"rhat", rhat},
      {"rhat_basic", rhat_basic},
      {"ess_bulk", ess_bulk},
      {"ess_tail", ess_tail},
      {"ess_basic", ess_basic},
      {"ess_mean", ess_mean},
      {"ess_q05", [](const Chains& x) { return ess_quantile(x, 0.05); }},
      {"ess_q50", [](const Chains& x) { return ess_quantile(x, 0.5); }},
      {"ess_q100", [](const Chains& x) { return ess_quantile(x, 1.0); }},
      {"mcse_mean", mcse_mean},
      {"mcse_q05", [](const Chains& x) { return mcse_quantile(x, 0.05); }},
      {"mcse_q50", [](const Chains& x) { return mcse_quantile(x, 0.5); }},
      {"mcse_q95", [](const Chains& x) { return mcse_quantile(x, 0.95); }},
      {"q05", [](const Chains& x) { return quantile(x, 0.05); }},
      {"q50", [](const Chains& x) { return quantile(x, 0.5); }},
      {"q95", [](const Chains& x) { return quantile(x, 0.95); }},
      {"q025", [](const Chains& x) { return quantile(x, 0.025); }},
      {"ebfmi_chain1", [](const Chains& x) { return ebfmi(x.front()); }},
  };
  return list;
}

}  // namespace

TEST_CASE("diagnostics agree with R posterior 1.4.0 to 1e-8 relative") {
  const auto expected = testing::read_expected();
  for (const std::string& set : kSets) {
    const auto draws = testing::read_draws(set);
    const Chains chains = as_chains(draws);
    REQUIRE_MESSAGE(expected.count(set) == 1, set);
    for (const auto& measure : measures()) {
      const auto& name = measure.first;  // (not a structured binding: clang 14 cannot capture one, as CHECK_MESSAGE does)
      const double want = expected.at(set).at(name);
      const double got = measure.second(chains);
      CHECK_MESSAGE(agrees(got, want), set << " " << name << ": got " << got << ", posterior " << want);
    }
  }
}

TEST_CASE("the fixture sets cover the cases that matter") {
  const auto expected = testing::read_expected();
  // The constant set is NA (NaN) everywhere a diagnostic is defined by posterior.
  CHECK(std::isnan(expected.at("constant").at("rhat")));
  CHECK(std::isnan(expected.at("constant").at("ess_bulk")));
  // The antithetic set hits the cap ESS <= S log10(S) with S = 800.
  CHECK(expected.at("antithetic").at("ess_bulk") == doctest::Approx(800 * std::log10(800.0)).epsilon(1e-12));
  // The non-converged set is flagged.
  CHECK(expected.at("not_converged").at("rhat") > 1.1);
}

TEST_CASE("split chains drop the middle draw of an odd-length chain") {
  // 3 chains x 7 draws; changing draw 4 (the middle one) of any chain changes neither rhat_basic nor ess_basic.
  std::vector<std::vector<double>> draws = {{0.3, -1.2, 0.8, 5.0, 0.1, -0.4, 1.7},
                                            {1.1, 0.2, -0.9, -5.0, 0.6, 0.0, -1.3},
                                            {-0.2, 0.9, 0.4, 2.0, -0.7, 1.5, 0.05}};
  const double r1 = rhat_basic(as_chains(draws));
  const double e1 = ess_basic(as_chains(draws));
  draws[0][3] = 100.0;
  draws[2][3] = -42.0;
  CHECK(rhat_basic(as_chains(draws)) == doctest::Approx(r1).epsilon(1e-14));
  CHECK(ess_basic(as_chains(draws)) == doctest::Approx(e1).epsilon(1e-14));
}

TEST_CASE("quantile uses R's type 7 interpolation") {
  const std::vector<double> a = {4.0, 1.0, 3.0};
  const std::vector<double> b = {2.0, 10.0};
  const Chains x = {std::span<const double>(a), std::span<const double>(b)};
  // sorted: 1 2 3 4 10; index = 1 + 4 p
  CHECK(quantile(x, 0.0) == 1.0);
  CHECK(quantile(x, 0.5) == 3.0);
  CHECK(quantile(x, 0.9) == doctest::Approx(4.0 + 0.6 * 6.0));
  CHECK(quantile(x, 1.0) == 10.0);
  CHECK_THROWS(quantile(x, 1.5));
}

TEST_CASE("E-BFMI is the mean squared step over the sample variance") {
  const std::vector<double> energy = {1.0, 3.0, 2.0, 6.0};
  // steps 2, -1, 4: sum of squares 21; mean 3, squared deviations 4 + 0 + 1 + 9 = 14
  CHECK(ebfmi(energy) == doctest::Approx(21.0 / 14.0));
  CHECK(std::isnan(ebfmi(std::vector<double>{1.0})));
}

TEST_CASE("degenerate inputs give NaN, not a crash") {
  const std::vector<double> one = {1.0};
  const std::vector<double> two = {1.0, 2.0};
  CHECK(std::isnan(rhat(Chains{})));
  CHECK(std::isnan(ess_bulk(Chains{})));
  CHECK(std::isnan(ess_bulk(Chains{std::span<const double>(two)})));  // fewer than 3 draws per split chain
  CHECK(std::isnan(quantile(Chains{}, 0.5)));
  const std::vector<double> with_nan = {1.0, std::nan(""), 2.0, 3.0, 4.0, 5.0};
  CHECK(std::isnan(rhat(Chains{std::span<const double>(with_nan)})));
  CHECK(std::isnan(ess_tail(Chains{std::span<const double>(with_nan)})));
  CHECK_THROWS(rhat(Chains{std::span<const double>(one), std::span<const double>(two)}));
}

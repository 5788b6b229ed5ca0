// End-to-end: user errors exit with the documented codes (src/util/error.hpp) and a message naming the place.
#include <doctest/doctest.h>

#include <regex>

#include "cli_harness.hpp"

using namespace cli_test;

namespace {

const std::string kModel = "models/normal_logscale.stan";
const std::string kData = "models/normal_logscale.data.json";

}  // namespace

TEST_CASE("a syntax error exits 3 with file:line:col, the source line and a caret under the column") {
  TempDir dir;
  write_text(dir / "bad.stan", "data { int N; }\nparameters { real mu }\nmodel { mu ~ normal(0, 1); }\n");
  const Result r = run_mcmc({"run", dir / "bad.stan"});
  CHECK(r.code == 3);
  CHECK(r.out.empty());
  std::smatch m;
  REQUIRE(std::regex_search(r.err, m, std::regex("bad\\.stan:([0-9]+):([0-9]+):")));
  CHECK(m[1].str() == "2");
  const int col = std::stoi(m[2].str());
  CHECK(col >= 20);  // the error is at or after `mu`, where the ';' is missing
  CHECK(col <= 22);
  // The source line is echoed, and the caret line points at the reported column.
  const std::vector<std::string> lines = lines_of(r.err);
  std::size_t echo = lines.size();
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (contains(lines[i], "parameters { real mu }")) echo = i;
  REQUIRE(echo + 1 < lines.size());
  const std::string& caret = lines[echo + 1];
  REQUIRE(caret.find_first_not_of(' ') == caret.find('^'));
  const std::size_t indent = lines[echo].find("parameters");
  CHECK(caret.find('^') - indent == static_cast<std::size_t>(col - 1));
}

TEST_CASE("a data variable missing from the data file exits 3 and names it") {
  TempDir dir;
  write_text(dir / "partial.json", "{\"N\": 3}");
  const Result r = run_mcmc({"run", kModel, "--data", dir / "partial.json"});
  CHECK(r.code == 3);
  CHECK(std::regex_search(r.err, std::regex("'y'")));
  CHECK(contains(r.err, "partial.json"));
}

TEST_CASE("a missing model file exits 4 and names it") {
  const Result r = run_mcmc({"run", "models/no_such_model.stan"});
  CHECK(r.code == 4);
  CHECK(contains(r.err, "no_such_model.stan"));
}

TEST_CASE("an unknown option exits 2") {
  const Result r = run_mcmc({"run", kModel, "--data", kData, "--no-such-option"});
  CHECK(r.code == 2);
  CHECK(contains(r.err, "--no-such-option"));
  CHECK(r.out.empty());
}

TEST_CASE("--output into a missing directory exits 4 before sampling") {
  TempDir dir;
  const Result r = run_mcmc({"run", kModel, "--data", kData, "--output", dir / "missing/out.csv"});
  CHECK(r.code == 4);
  CHECK(contains(r.err, dir / "missing"));
  // Nothing ran: no summary on stdout, and not even the chosen seed (announced just before sampling).
  CHECK(r.out.empty());
  CHECK_FALSE(contains(r.err, "seed:"));
  CHECK_FALSE(fs::exists(dir / "missing"));
}

TEST_CASE("--inv-mass with the wrong number of values exits 2 and says how many are needed") {
  const Result r = run_mcmc({"run", kModel, "--data", kData, "--inv-mass", "1,2,3"});
  CHECK(r.code == 2);
  CHECK(contains(r.err, "3 values"));
  CHECK(contains(r.err, "2 unconstrained parameters"));
  CHECK(r.out.empty());
}

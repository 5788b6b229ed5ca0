// The catalogue against the places derived from it: the graph's kernels and docs/language.md's generated tables.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "catalog/catalog.hpp"

using namespace mcmc::catalog;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string kDocs = std::string(MCMC_SOURCE_DIR) + "/docs/language.md";
const char* const kTables[] = {"elementwise", "scalar", "constants", "containers", "matrices", "distributions"};

std::string begin_marker(const std::string& t) { return "<!-- generated: " + t + " (tests/catalog/catalog_test.cpp) -->\n"; }
std::string end_marker(const std::string& t) { return "<!-- end generated: " + t + " -->\n"; }

}  // namespace

TEST_CASE("every distribution's kernel agrees with its record") {
  std::set<std::string> names;
  for (const Distribution& d : distributions()) {
    INFO(d.name);
    CHECK(names.insert(d.name).second);
    CHECK(find_distribution(d.name) == &d);
    if (!d.kernel) continue;
    const mcmc::graph::DistInfo& k = mcmc::graph::dist_info(*d.kernel);
    CHECK(std::string(k.name) == d.name);
    CHECK(k.num_args == static_cast<int>(d.params.size()) + 1);
    CHECK(k.discrete == d.discrete());
    CHECK(((d.suffixes() & kLcdf) != 0) == k.cdf);
  }
  for (int i = 0; i < static_cast<int>(mcmc::graph::Dist::Count); ++i) {
    const char* name = mcmc::graph::dist_info(static_cast<mcmc::graph::Dist>(i)).name;
    INFO("kernel " << name << " has a catalogue record");
    CHECK(find_distribution(name) != nullptr);
  }
}

TEST_CASE("every function has one record, a signature and a line of documentation") {
  std::set<std::string> names;
  for (const Function& f : functions()) {
    INFO(f.name);
    CHECK(names.insert(f.name).second);
    CHECK(find_distribution(f.name) == nullptr);
    CHECK_FALSE(f.signatures.empty());
    CHECK_FALSE(f.doc.empty());
    if (f.impl == Impl::Unary) CHECK(f.unary != mcmc::graph::UnaryFn::Count);
    if (f.impl == Impl::Binary) CHECK(f.binary != mcmc::graph::BinaryFn::Count);
  }
}

TEST_CASE("suffixes resolve to the right distribution, and only those that exist") {
  auto r = resolve("normal_lupdf");
  REQUIRE(r.has_value());
  CHECK(r->distribution->name == "normal");
  CHECK(r->suffix == kUnnormalized);
  CHECK(resolve("poisson_lupmf")->suffix == kUnnormalized);
  CHECK(resolve("normal_cdf")->suffix == kCdf);
  CHECK(resolve("normal_lccdf")->suffix == kLccdf);
  CHECK_FALSE(resolve("normal_lpmf").has_value());  // continuous: _lpdf only
  CHECK_FALSE(resolve("poisson_lpdf").has_value());
  CHECK_FALSE(resolve("categorical_lcdf").has_value());
  CHECK(resolve("exp")->function->impl == Impl::Unary);
  CHECK(resolve("pi")->function->value == doctest::Approx(3.141592653589793));
}

// Regenerate with MCMC_UPDATE_DOCS=1 build/test_catalog (rewrites the marked tables in place).
TEST_CASE("docs/language.md's tables are the catalogue's") {
  std::string doc = read_file(kDocs);
  REQUIRE_FALSE(doc.empty());
  const bool update = std::getenv("MCMC_UPDATE_DOCS") != nullptr;
  for (const std::string t : kTables) {
    INFO("table " << t << " of docs/language.md (regenerate: MCMC_UPDATE_DOCS=1 build/test_catalog)");
    std::size_t b = doc.find(begin_marker(t));
    REQUIRE(b != std::string::npos);
    b += begin_marker(t).size();
    std::size_t e = doc.find(end_marker(t), b);
    REQUIRE(e != std::string::npos);
    std::string want = markdown_table(t);
    if (update) doc.replace(b, e - b, want);
    else CHECK(doc.substr(b, e - b) == want);
  }
  if (update) std::ofstream(kDocs) << doc;
}

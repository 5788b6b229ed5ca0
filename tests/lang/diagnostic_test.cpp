// Tests of the positioned error format: header, source line, caret (tabs kept, long lines windowed).
#include <doctest/doctest.h>

#include <string>

#include "lang/diagnostic.hpp"

using mcmc::lang::format_diagnostic;
using mcmc::lang::Pos;

TEST_CASE("header, source line and caret under the column") {
  std::string src = "data {\n  int N\n}\n";
  CHECK(format_diagnostic("m.stan", src, Pos{2, 8}, "expected ';'") ==
        "m.stan:2:8: error: expected ';'\n    int N\n         ^");
}

TEST_CASE("tabs are kept in the caret line so it lines up") {
  std::string src = "model {\n\tx =\t@;\n}";
  CHECK(format_diagnostic("m.stan", src, Pos{2, 6}, "bad") ==
        "m.stan:2:6: error: bad\n  \tx =\t@;\n  \t   \t^");
}

TEST_CASE("carriage returns are dropped and multi-byte characters count as one column") {
  std::string src = "a\r\n\xc3\xa9 = x\r\n";
  CHECK(format_diagnostic("f", src, Pos{2, 3}, "m") == "f:2:3: error: m\n  \xc3\xa9 = x\n    ^");
}

TEST_CASE("an unknown position gives just the message") {
  CHECK(format_diagnostic("m.stan", "x", Pos{}, "oops") == "m.stan: error: oops");
}

TEST_CASE("a column past the end of the line still gets a caret") {
  CHECK(format_diagnostic("m.stan", "ab", Pos{1, 5}, "m") == "m.stan:1:5: error: m\n  ab\n      ^");
}

TEST_CASE("control characters and bad bytes are shown as '?'") {
  std::string src = std::string("a\0b\xff", 4);
  CHECK(format_diagnostic("m", src, Pos{1, 2}, "m") == "m:1:2: error: m\n  a?b?\n   ^");
}

TEST_CASE("long lines are shown as a window around the column") {
  std::string line(1000, 'x');
  std::string out = format_diagnostic("m", line, Pos{1, 500}, "m");
  auto second = out.find('\n'), third = out.find('\n', second + 1);
  std::string shown = out.substr(second + 1, third - second - 1);
  std::string caret = out.substr(third + 1);
  CHECK(shown.size() == 2 + 3 + 160 + 3);
  CHECK(shown.substr(0, 5) == "  ...");
  CHECK(caret.size() == 2 + 3 + 80 + 1);
  CHECK(caret.back() == '^');
}

TEST_CASE("model_error carries the ModelOrData exit code") {
  mcmc::Error e = mcmc::lang::model_error("m", "x", Pos{1, 1}, "bad");
  CHECK(e.code() == mcmc::ExitCode::ModelOrData);
  CHECK(std::string(e.what()) == "m:1:1: error: bad\n  x\n  ^");
}

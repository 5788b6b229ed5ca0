// Tests of the number spellings used in Stan CSV (significant digits) and JSON (round trip).
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "io/number_format.hpp"

using mcmc::io::append_integer_value;
using mcmc::io::format_json_number;
using mcmc::io::format_value;

TEST_CASE("values use significant digits like an ostream with default precision") {
  CHECK(format_value(0.2436784, 6) == "0.243678");
  CHECK(format_value(-6.748271, 6) == "-6.74827");
  CHECK(format_value(1e-5, 6) == "1e-05");
  CHECK(format_value(123456789.0, 6) == "1.23457e+08");
  CHECK(format_value(1.0, 6) == "1");
  CHECK(format_value(0.5, 6) == "0.5");
  CHECK(format_value(100.0, 6) == "100");
  CHECK(format_value(3.14159265358979, 8) == "3.1415927");
  CHECK(format_value(3.14159265358979, 2) == "3.1");
}

TEST_CASE("non-finite values are spelled as CmdStan spells them") {
  CHECK(format_value(std::numeric_limits<double>::quiet_NaN(), 6) == "nan");
  CHECK(format_value(-std::numeric_limits<double>::quiet_NaN(), 6) == "nan");
  CHECK(format_value(INFINITY, 6) == "inf");
  CHECK(format_value(-INFINITY, 6) == "-inf");
}

TEST_CASE("integer columns print without exponent") {
  std::string s;
  append_integer_value(s, 1048576);
  CHECK(s == "1048576");
  s.clear();
  append_integer_value(s, 0);
  CHECK(s == "0");
  s.clear();
  append_integer_value(s, 2.5);
  CHECK(s == "2.5");
}

TEST_CASE("JSON numbers round-trip and specials are strings") {
  CHECK(format_json_number(0.1) == "0.1");
  CHECK(format_json_number(1.0 / 3.0) == "0.3333333333333333");
  CHECK(std::stod(format_json_number(1.0 / 3.0)) == 1.0 / 3.0);
  CHECK(format_json_number(3.0) == "3");
  CHECK(format_json_number(1e-7) == "1e-07");
  CHECK(format_json_number(std::numeric_limits<double>::quiet_NaN()) == "\"NaN\"");
  CHECK(format_json_number(INFINITY) == "\"Inf\"");
  CHECK(format_json_number(-INFINITY) == "\"-Inf\"");
}

// Tests of the Stan JSON data reader: shapes, value spellings and every class of error with its message.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "io/data.hpp"
#include "util/error.hpp"

using mcmc::Error;
using mcmc::ExitCode;
using mcmc::io::DataSet;
using mcmc::io::parse_data_json;
using mcmc::io::read_data_json;

namespace {

/// The message of the mcmc::Error thrown by parsing `text` (checks the category too).
std::string parse_error_message(const std::string& text, ExitCode expected = ExitCode::ModelOrData) {
  try {
    parse_data_json(text, "d.json");
  } catch (const Error& e) {
    CHECK(e.code() == expected);
    return e.what();
  }
  FAIL("no error for: " << text);
  return "";
}

}  // namespace

TEST_CASE("scalars keep their value and integer-ness") {
  DataSet d = parse_data_json(R"({"N": 3, "x": 2.5, "big": 4000000000, "neg": -7, "e": 1e3})", "d.json");
  CHECK(d.file == "d.json");
  REQUIRE(d.find("N"));
  CHECK(d.find("N")->dims.empty());
  CHECK(d.find("N")->values == std::vector<double>{3});
  CHECK(d.find("N")->all_int);
  CHECK(d.find("x")->values == std::vector<double>{2.5});
  CHECK_FALSE(d.find("x")->all_int);
  CHECK(d.find("big")->values[0] == 4000000000.0);
  CHECK(d.find("big")->all_int);
  CHECK(d.find("neg")->values[0] == -7);
  CHECK_FALSE(d.find("e")->all_int);  // written as a real
  CHECK(d.find("e")->values[0] == 1000.0);
  CHECK(d.find("missing") == nullptr);
}

TEST_CASE("nested arrays are row-major with the shape of the nesting") {
  DataSet d = parse_data_json(R"({"a": [[1, 2, 3], [4, 5, 6]], "v": [1.5, 2], "t": [[[1],[2]],[[3],[4]],[[5],[6]]]})",
                              "d.json");
  const auto* a = d.find("a");
  REQUIRE(a);
  CHECK(a->dims == std::vector<std::size_t>{2, 3});
  CHECK(a->values == std::vector<double>{1, 2, 3, 4, 5, 6});
  CHECK(a->all_int);
  CHECK(d.find("v")->dims == std::vector<std::size_t>{2});
  CHECK_FALSE(d.find("v")->all_int);
  CHECK(d.find("t")->dims == std::vector<std::size_t>{3, 2, 1});
  CHECK(d.find("t")->values == std::vector<double>{1, 2, 3, 4, 5, 6});
}

TEST_CASE("empty arrays have extent zero") {
  DataSet d = parse_data_json(R"({"y": [], "z": [[], []], "w": [[[]]]})", "d.json");
  CHECK(d.find("y")->dims == std::vector<std::size_t>{0});
  CHECK(d.find("y")->values.empty());
  CHECK(d.find("z")->dims == std::vector<std::size_t>{2, 0});
  CHECK(d.find("w")->dims == std::vector<std::size_t>{1, 1, 0});
}

TEST_CASE("special values are read as numbers") {
  DataSet d = parse_data_json(
      R"({"s": ["NaN", "Inf", "-Inf", "inf", "-inf", "Infinity", "-Infinity", "+Inf", 1], "n": "NaN"})", "d.json");
  const auto& v = d.find("s")->values;
  REQUIRE(v.size() == 9);
  CHECK(std::isnan(v[0]));
  CHECK(v[1] == INFINITY);
  CHECK(v[2] == -INFINITY);
  CHECK(v[3] == INFINITY);
  CHECK(v[4] == -INFINITY);
  CHECK(v[5] == INFINITY);
  CHECK(v[6] == -INFINITY);
  CHECK(v[7] == INFINITY);
  CHECK(v[8] == 1);
  CHECK_FALSE(d.find("s")->all_int);
  CHECK(d.find("n")->dims.empty());
  CHECK(std::isnan(d.find("n")->values[0]));
}

TEST_CASE("fits_int32 marks Stan's int range") {
  using mcmc::io::fits_int32;
  CHECK(fits_int32(0));
  CHECK(fits_int32(2147483647.0));
  CHECK(fits_int32(-2147483648.0));
  CHECK_FALSE(fits_int32(2147483648.0));
  CHECK_FALSE(fits_int32(-2147483649.0));
  CHECK_FALSE(fits_int32(1.5));
  CHECK_FALSE(fits_int32(NAN));
  CHECK_FALSE(fits_int32(INFINITY));
}

TEST_CASE("duplicate keys are errors") {
  CHECK(parse_error_message(R"({"y": 1, "x": 2, "y": 3})") == "data file 'd.json': duplicate variable 'y'");
}

TEST_CASE("ragged arrays are errors naming the variable") {
  CHECK(parse_error_message(R"({"y": [[1,2,3,4],[1,2,3,4],[1,2]]})") ==
        "data file 'd.json': variable 'y': ragged array (element 3 has 2 entries, expected 4)");
  CHECK(parse_error_message(R"({"y": [1, [2]]})") ==
        "data file 'd.json': variable 'y': ragged array (element 2 is an array, expected a number)");
  CHECK(parse_error_message(R"({"y": [[1], 2]})") ==
        "data file 'd.json': variable 'y': ragged array (element 2 is a number, expected an array)");
  CHECK(parse_error_message(R"({"y": [[], [1]]})") ==
        "data file 'd.json': variable 'y': ragged array (element 2 has 1 entries, expected 0)");
}

TEST_CASE("integers beyond 2^53 are rejected") {
  CHECK(parse_error_message(R"({"N": 9007199254740993})") ==
        "data file 'd.json': variable 'N': integer 9007199254740993 is too large to be represented exactly "
        "(beyond 2^53)");
  CHECK(parse_error_message(R"({"N": [1, -100000000000000000000000]})").find("integer -100000000000000000000000") !=
        std::string::npos);
  // 2^53 itself is exact
  CHECK(parse_data_json(R"({"N": 9007199254740992})", "d.json").find("N")->values[0] == 9007199254740992.0);
}

TEST_CASE("other value types are errors naming the variable") {
  CHECK(parse_error_message(R"({"b": true})") ==
        "data file 'd.json': variable 'b': unexpected a boolean (expected a number or an array of numbers)");
  CHECK(parse_error_message(R"({"b": [1, null]})").find("variable 'b': unexpected null") != std::string::npos);
  CHECK(parse_error_message(R"({"o": {"a": 1}})").find("variable 'o': unexpected object") != std::string::npos);
  CHECK(parse_error_message(R"({"s": "abc"})").find("variable 's': unexpected string \"abc\"") != std::string::npos);
}

TEST_CASE("top level must be an object") {
  CHECK(parse_error_message("[1, 2]").find("data file 'd.json': the top level must be an object") !=
        std::string::npos);
  CHECK(parse_error_message("3").find("found a number") != std::string::npos);
}

TEST_CASE("malformed JSON reports line and column") {
  std::string msg = parse_error_message("{\n  \"a\": 1,\n  \"b\": [1, 2,, 3]\n}");
  CHECK(msg.rfind("data file 'd.json': malformed JSON at line 3, column 14: ", 0) == 0);
  std::string msg2 = parse_error_message("{\"a\": 1");
  CHECK(msg2.rfind("data file 'd.json': malformed JSON at line 1, column ", 0) == 0);
  CHECK(msg2.find("unexpected end of input") != std::string::npos);
  CHECK(parse_error_message("{\"a\": 1} x").find("malformed JSON at line 1, column 10") != std::string::npos);
}

TEST_CASE("empty file") {
  CHECK(parse_error_message("") == "data file 'd.json' is empty");
  CHECK(parse_error_message("  \n ") == "data file 'd.json' is empty");
}

TEST_CASE("reading from disk") {
  auto dir = std::filesystem::temp_directory_path() / "mcmc_io_data_test";
  std::filesystem::create_directories(dir);
  auto path = (dir / "d.json").string();
  {
    std::ofstream f(path);
    f << R"({"N": 2, "y": [0.5, -1]})";
  }
  DataSet d = read_data_json(path);
  CHECK(d.file == path);
  CHECK(d.find("y")->values == std::vector<double>{0.5, -1});

  auto missing = (dir / "nope.json").string();
  try {
    read_data_json(missing);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::Io);
    CHECK(std::string(e.what()) == "cannot read data file '" + missing + "': No such file or directory");
  }
  try {
    read_data_json(dir.string());
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::Io);
    CHECK(std::string(e.what()).find("Is a directory") != std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

// Data and initial values in Stan's JSON format, read into named, shaped arrays of numbers.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace mcmc::io {

/// One variable of a Stan JSON file.
struct DataValue {
  std::vector<std::size_t> dims;  // shape, outermost first; empty for a scalar
  std::vector<double> values;     // row-major: the last index varies fastest (JSON nesting order)
  bool all_int = true;            // every entry was written as a JSON integer
};

/// The variables of one JSON file, by name.
struct DataSet {
  std::string file;  // the path it was read from ("" when built in code)
  std::map<std::string, DataValue> vars;

  const DataValue* find(const std::string& name) const;
};

/// Reads a Stan JSON data file: an object whose members are numbers, (nested) arrays of numbers,
/// or the strings "NaN", "Inf", "-Inf", "inf", "-inf", "Infinity", "-Infinity", "+Inf". Ragged
/// arrays, duplicate keys, other value types, malformed JSON and integers too large to be held
/// exactly in a double (beyond 2^53) are errors (mcmc::Error, ExitCode::ModelOrData) naming the
/// file and the variable; an unreadable file is ExitCode::Io. Whether an integer fits Stan's 32-bit
/// int is for the model to check (it knows the declared type): see fits_int32.
DataSet read_data_json(const std::string& path);

/// The same from text in memory (`file` names it in messages).
DataSet parse_data_json(const std::string& text, const std::string& file);

/// True when `x` is an integer within Stan's int range [-2^31, 2^31 - 1].
inline bool fits_int32(double x) {
  return x >= -2147483648.0 && x <= 2147483647.0 && x == static_cast<double>(static_cast<long long>(x));
}

}  // namespace mcmc::io

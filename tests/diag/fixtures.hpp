// Readers for the R-generated fixtures in tests/diag/fixtures (see make_expected.R).
#pragma once

#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace mcmc::diag::testing {

inline std::string fixture_path(const std::string& file) {
  return std::string(MCMC_SOURCE_DIR) + "/tests/diag/fixtures/" + file;
}

inline double parse_number(const std::string& cell) {
  if (cell == "NA") return std::numeric_limits<double>::quiet_NaN();
  if (cell == "Inf") return std::numeric_limits<double>::infinity();
  if (cell == "-Inf") return -std::numeric_limits<double>::infinity();
  return std::stod(cell);
}

inline std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream stream(line);
  std::string cell;
  while (std::getline(stream, cell, ',')) cells.push_back(cell);
  return cells;
}

/// A CSV file as a header and rows of cells.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

inline CsvTable read_csv(const std::string& file) {
  std::ifstream in(fixture_path(file));
  if (!in) throw std::runtime_error("cannot open fixture " + fixture_path(file));
  CsvTable table;
  std::string line;
  std::getline(in, line);
  table.header = split_csv_line(line);
  while (std::getline(in, line)) {
    if (!line.empty()) table.rows.push_back(split_csv_line(line));
  }
  return table;
}

/// A draw set: one vector per chain (the CSV has one column per chain).
inline std::vector<std::vector<double>> read_draws(const std::string& set) {
  const CsvTable table = read_csv(set + ".csv");
  std::vector<std::vector<double>> chains(table.header.size());
  for (const auto& row : table.rows) {
    for (std::size_t c = 0; c < chains.size(); ++c) chains[c].push_back(parse_number(row.at(c)));
  }
  return chains;
}

/// expected.csv: set name -> (measure name -> value).
inline std::map<std::string, std::map<std::string, double>> read_expected() {
  const CsvTable table = read_csv("expected.csv");
  std::map<std::string, std::map<std::string, double>> expected;
  for (const auto& row : table.rows) {
    for (std::size_t c = 1; c < table.header.size(); ++c) expected[row[0]][table.header[c]] = parse_number(row.at(c));
  }
  return expected;
}

/// Relative agreement to `tol`; NaN matches NaN, infinities match themselves, and an expected 0 needs |actual| < 1e-14.
inline bool agrees(double actual, double expected, double tol = 1e-8) {
  if (std::isnan(expected)) return std::isnan(actual);
  if (std::isinf(expected)) return actual == expected;
  if (expected == 0.0) return std::fabs(actual) < 1e-14;
  return std::fabs(actual - expected) <= tol * std::fabs(expected);
}

}  // namespace mcmc::diag::testing

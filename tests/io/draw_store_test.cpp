// Tests that the DrawStore gives back exactly the rows it was given, across the spill to disk.
#include <doctest/doctest.h>

#include <vector>

#include "io/draw_store.hpp"

using mcmc::io::DrawStore;

namespace {
double cell(std::size_t row, std::size_t col) { return static_cast<double>(row) * 10.0 + static_cast<double>(col) + 0.25; }
}  // namespace

TEST_CASE("round trip with more rows than one buffer and one read chunk") {
  const std::size_t cols = 7, rows = 50000;  // 350k doubles: several buffer flushes and read chunks
  DrawStore store(cols);
  std::vector<double> row(cols);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) row[c] = cell(r, c);
    store.append(row);
  }
  CHECK(store.num_rows() == rows);
  CHECK(store.num_columns() == cols);

  std::vector<std::vector<double>> out;
  store.read_columns(2, 3, out);
  REQUIRE(out.size() == 3);
  bool all_equal = true;
  for (std::size_t c = 0; c < 3; ++c) {
    REQUIRE(out[c].size() == rows);
    for (std::size_t r = 0; r < rows; ++r) all_equal = all_equal && out[c][r] == cell(r, c + 2);
  }
  CHECK(all_equal);

  // appending after a read keeps the order, and a second read sees everything
  for (std::size_t c = 0; c < cols; ++c) row[c] = cell(rows, c);
  store.append(row);
  store.read_columns(6, 1, out);
  REQUIRE(out[0].size() == rows + 1);
  CHECK(out[0][0] == cell(0, 6));
  CHECK(out[0][rows - 1] == cell(rows - 1, 6));
  CHECK(out[0][rows] == cell(rows, 6));
}

TEST_CASE("few rows stay in the buffer and are still read") {
  DrawStore store(2);
  store.append(std::vector<double>{1, 2});
  store.append(std::vector<double>{3, 4});
  std::vector<std::vector<double>> out;
  store.read_columns(0, 2, out);
  CHECK(out[0] == std::vector<double>{1, 3});
  CHECK(out[1] == std::vector<double>{2, 4});
}

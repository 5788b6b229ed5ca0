// Keeps every chain's draws out of memory (in an unlinked temporary file) and reads them back a column at a time.
#pragma once

#include <cstddef>
#include <cstdio>
#include <memory>
#include <span>
#include <vector>

namespace mcmc::io {

/// Spills fixed-width rows of doubles to an anonymous temporary file, so that memory does not
/// grow with the number of draws, and gives back columns (all rows of a few columns at a time)
/// for the end-of-run summary.
class DrawStore {
 public:
  explicit DrawStore(std::size_t num_columns);
  ~DrawStore();
  DrawStore(const DrawStore&) = delete;
  DrawStore& operator=(const DrawStore&) = delete;

  void append(std::span<const double> row);  // row.size() == num_columns()
  std::size_t num_rows() const { return rows_; }
  std::size_t num_columns() const { return cols_; }
  /// Reads columns [first, first + count) into out[c][row]; streams through the file in chunks.
  void read_columns(std::size_t first, std::size_t count, std::vector<std::vector<double>>& out);

 private:
  std::size_t cols_;
  std::size_t rows_ = 0;
  std::FILE* file_ = nullptr;
  std::vector<double> buffer_;  // rows not yet flushed
};

}  // namespace mcmc::io

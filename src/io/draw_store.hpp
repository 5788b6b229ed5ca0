// Keeps every chain's draws out of memory (in one unlinked temporary file shared by all chains) and reads them back a column at a time.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "io/spill_file.hpp"

namespace mcmc::io {

/// Spills fixed-width rows of doubles to an anonymous temporary file, so that memory does not
/// grow with the number of draws, and gives back columns (all rows of a few columns at a time)
/// for the end-of-run summary. All the stores alive in the process share one temporary file
/// (one file descriptor however many chains), created at the first spill; the rows waiting in
/// memory are bounded per store (64 KiB) and, with many stores, in total (about 64 MiB).
/// Different stores may be appended to from different threads; one store is not thread-safe.
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
  void spill();

  std::size_t cols_;
  std::size_t rows_ = 0;
  std::shared_ptr<SpillFile> file_;  // null until the first spill
  SpillSegments spilled_;            // whole rows, in order
  std::vector<double> buffer_;       // rows not yet spilled
};

}  // namespace mcmc::io

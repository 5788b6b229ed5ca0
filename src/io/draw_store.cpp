// Keeps every chain's draws out of memory (in an unlinked temporary file) and reads them back a column at a time.
#include "io/draw_store.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include "util/error.hpp"

namespace mcmc::io {

namespace {
constexpr std::size_t kBufferDoubles = 1 << 13;  // 64 KiB of pending rows (runs may hold thousands of stores)
constexpr std::size_t kChunkDoubles = 1 << 17;   // 1 MiB read back at a time

[[noreturn]] void store_error(const char* what) {
  throw Error(ExitCode::Io, std::string("draw store (temporary file): cannot ") + what + ": " + std::strerror(errno));
}
}  // namespace

DrawStore::DrawStore(std::size_t num_columns) : cols_(num_columns) {
  file_ = std::tmpfile();
  if (!file_) store_error("create");
}

DrawStore::~DrawStore() {
  if (file_) std::fclose(file_);
}

void DrawStore::append(std::span<const double> row) {
  if (row.size() != cols_) {
    throw std::logic_error("DrawStore::append: row has " + std::to_string(row.size()) + " values, expected " +
                           std::to_string(cols_));
  }
  buffer_.insert(buffer_.end(), row.begin(), row.end());
  ++rows_;
  if (buffer_.size() >= kBufferDoubles) {
    if (std::fwrite(buffer_.data(), sizeof(double), buffer_.size(), file_) != buffer_.size()) store_error("write");
    buffer_.clear();
  }
}

void DrawStore::read_columns(std::size_t first, std::size_t count, std::vector<std::vector<double>>& out) {
  if (first + count > cols_) throw std::out_of_range("DrawStore::read_columns: columns out of range");
  out.assign(count, std::vector<double>());
  if (count == 0) return;
  for (auto& c : out) c.reserve(rows_);
  const std::size_t flushed_rows = rows_ - (cols_ == 0 ? 0 : buffer_.size() / cols_);

  auto take = [&](const double* rows, std::size_t n) {
    for (std::size_t r = 0; r < n; ++r) {
      const double* row = rows + r * cols_;
      for (std::size_t c = 0; c < count; ++c) out[c].push_back(row[first + c]);
    }
  };

  if (flushed_rows > 0) {
    if (std::fflush(file_) != 0) store_error("write");
    if (std::fseek(file_, 0, SEEK_SET) != 0) store_error("seek");
    const std::size_t rows_per_chunk = std::max<std::size_t>(1, kChunkDoubles / std::max<std::size_t>(cols_, 1));
    std::vector<double> chunk(rows_per_chunk * cols_);
    for (std::size_t done = 0; done < flushed_rows;) {
      std::size_t n = std::min(rows_per_chunk, flushed_rows - done);
      if (std::fread(chunk.data(), sizeof(double) * cols_, n, file_) != n) store_error("read back");
      take(chunk.data(), n);
      done += n;
    }
    if (std::fseek(file_, 0, SEEK_END) != 0) store_error("seek");
  }
  take(buffer_.data(), cols_ == 0 ? 0 : buffer_.size() / cols_);
}

}  // namespace mcmc::io

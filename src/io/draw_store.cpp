// Keeps every chain's draws out of memory (in one unlinked temporary file shared by all chains) and reads them back a column at a time.
#include "io/draw_store.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>

namespace mcmc::io {

namespace {
constexpr std::size_t kBufferDoubles = 1 << 13;       // at most 64 KiB of pending rows per store
constexpr std::size_t kMinBufferDoubles = 1 << 9;     // at least 4 KiB per write
constexpr std::size_t kTotalBufferDoubles = 1 << 23;  // about 64 MiB over all the stores alive
constexpr std::size_t kChunkBytes = 1 << 20;          // 1 MiB read back at a time

std::atomic<std::size_t> live_stores{0};

/// The temporary file every store spills to while any store holds it.
std::shared_ptr<SpillFile> shared_spill_file() {
  static std::mutex mutex;
  static std::weak_ptr<SpillFile> current;
  std::lock_guard lock(mutex);
  std::shared_ptr<SpillFile> file = current.lock();
  if (!file) {
    file = std::make_shared<SpillFile>("", "draw store");
    current = file;
  }
  return file;
}
}  // namespace

DrawStore::DrawStore(std::size_t num_columns) : cols_(num_columns) { live_stores.fetch_add(1); }

DrawStore::~DrawStore() { live_stores.fetch_sub(1); }

void DrawStore::append(std::span<const double> row) {
  if (row.size() != cols_) {
    throw std::logic_error("DrawStore::append: row has " + std::to_string(row.size()) + " values, expected " +
                           std::to_string(cols_));
  }
  const std::size_t share = kTotalBufferDoubles / std::max<std::size_t>(1, live_stores.load(std::memory_order_relaxed));
  const std::size_t limit = std::clamp(share, kMinBufferDoubles, kBufferDoubles);
  buffer_.insert(buffer_.end(), row.begin(), row.end());
  ++rows_;
  if (buffer_.size() >= limit) spill();
}

void DrawStore::spill() {
  if (buffer_.empty()) return;
  if (!file_) file_ = shared_spill_file();
  spilled_.append(*file_, buffer_.data(), buffer_.size() * sizeof(double));
  buffer_.clear();
}

void DrawStore::read_columns(std::size_t first, std::size_t count, std::vector<std::vector<double>>& out) {
  if (first + count > cols_) throw std::out_of_range("DrawStore::read_columns: columns out of range");
  out.assign(count, std::vector<double>());
  if (count == 0) return;
  for (auto& c : out) c.reserve(rows_);

  auto take = [&](const double* rows, std::size_t n) {
    for (std::size_t r = 0; r < n; ++r) {
      const double* row = rows + r * cols_;
      for (std::size_t c = 0; c < count; ++c) out[c].push_back(row[first + c]);
    }
  };

  const std::size_t row_bytes = cols_ * sizeof(double);
  if (file_) {
    std::vector<double> rows;
    spilled_.for_each_chunk(*file_, kChunkBytes, row_bytes, [&](const char* data, std::size_t size) {
      const std::size_t n = size / row_bytes;
      rows.resize(n * cols_);
      std::copy(data, data + n * row_bytes, reinterpret_cast<char*>(rows.data()));
      take(rows.data(), n);
    });
  }
  take(buffer_.data(), cols_ == 0 ? 0 : buffer_.size() / cols_);
}

}  // namespace mcmc::io

// One anonymous temporary file shared by many writers (chains): each appends blocks and reads its own back, one descriptor in all.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mcmc::io {

/// An unlinked temporary file that any number of writers share, so that thousands of chains need
/// one file descriptor rather than one each. append() reserves a region at the end atomically and
/// fills it with pwrite(2), so writers on different threads need no lock; read() reads a region
/// back. Errors throw mcmc::Error(ExitCode::Io) naming `purpose`.
class SpillFile {
 public:
  /// Creates the file in `dir`; an empty `dir` means $TMPDIR, else /tmp.
  SpillFile(const std::string& dir, std::string purpose);
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  /// Writes `size` bytes at the end of the file and returns their offset.
  std::uint64_t append(const void* data, std::size_t size);
  /// Reads `size` bytes at `offset` (a region an append() wrote).
  void read(std::uint64_t offset, void* data, std::size_t size) const;
  std::uint64_t size() const { return end_.load(); }

 private:
  [[noreturn]] void fail(const char* what, int err) const;

  int fd_ = -1;
  std::string purpose_;
  std::atomic<std::uint64_t> end_{0};
};

/// One writer's part of a SpillFile: the regions it appended, in order (adjacent ones merged).
class SpillSegments {
 public:
  void append(SpillFile& file, const void* data, std::size_t size);
  std::uint64_t bytes() const { return bytes_; }
  /// Calls fn(const char* data, std::size_t size) over the whole content in order, reading at
  /// most `chunk_bytes` at a time (a chunk never crosses a segment, and is a multiple of `unit`
  /// bytes when every segment is).
  template <class Fn>
  void for_each_chunk(const SpillFile& file, std::size_t chunk_bytes, std::size_t unit, Fn&& fn) const {
    if (unit == 0) unit = 1;
    chunk_bytes = std::max(unit, chunk_bytes / unit * unit);
    std::vector<char> chunk;
    for (const auto& [offset, length] : segments_) {
      for (std::uint64_t done = 0; done < length;) {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_bytes, length - done));
        chunk.resize(n);
        file.read(offset + done, chunk.data(), n);
        fn(static_cast<const char*>(chunk.data()), n);
        done += n;
      }
    }
  }

 private:
  std::vector<std::pair<std::uint64_t, std::uint64_t>> segments_;  // (offset, length)
  std::uint64_t bytes_ = 0;
};

}  // namespace mcmc::io

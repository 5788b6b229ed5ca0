// An output file written in whole lines through one buffer, flushed at most every 100 ms, with every write checked.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace mcmc::io {

/// Owns a file descriptor. Callers append complete lines to buffer() and call line_done(); the
/// buffer goes to the file with write(2) only in whole lines (when it exceeds 1 MiB, when 100 ms
/// passed since the last flush, or on flush()), so a crash leaves complete lines on disk. Every
/// failed write throws mcmc::Error(ExitCode::Io, "cannot write '<name>': <strerror>").
class LineFile {
 public:
  /// Creates or truncates `path` for writing; failure is ExitCode::Io naming the path.
  static LineFile create(const std::string& path);
  /// --resume: opens the existing `path`, checks that its first `size` bytes hash to `hash`
  /// (written_hash() of the run that wrote them), cuts off what follows and appends from there.
  /// A missing, shorter or changed file is ExitCode::Io naming the path.
  static LineFile reopen(const std::string& path, std::uint64_t size, std::uint64_t hash);

  LineFile(int fd, std::string name);
  LineFile(LineFile&& other) noexcept;
  LineFile& operator=(LineFile&& other) noexcept;
  LineFile(const LineFile&) = delete;
  LineFile& operator=(const LineFile&) = delete;
  ~LineFile();  // closes without throwing; call close() to see errors

  std::string& buffer() { return buffer_; }
  void line_done();        // flushes when due
  void flush();            // writes the whole buffer
  void close();            // flush, then close the descriptor (errors reported)
  const std::string& name() const { return name_; }
  bool is_open() const { return fd_ >= 0; }
  /// Bytes written to the file so far (after flush(): all of them) and their FNV-1a hash.
  std::uint64_t written() const { return written_; }
  std::uint64_t written_hash() const { return hash_; }
  /// flush(), then fsync(2): what was written survives a crash of the machine.
  void sync();

 private:
  [[noreturn]] void fail(int err) const;
  void write_all(const char* data, std::size_t size);

  int fd_ = -1;
  std::string name_;
  std::string buffer_;
  std::chrono::steady_clock::time_point last_flush_;
  std::uint64_t written_ = 0;
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;  // FNV-1a 64 offset basis
};

/// FNV-1a 64 of `size` bytes, continuing from `hash`.
std::uint64_t fnv1a(const void* data, std::size_t size, std::uint64_t hash = 0xcbf29ce484222325ULL);

}  // namespace mcmc::io

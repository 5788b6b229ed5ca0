// An output file written in whole lines through one buffer, flushed at most every 100 ms, with every write checked.
#include "io/line_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

#include "util/error.hpp"

namespace mcmc::io {

namespace {
constexpr std::size_t kFlushBytes = 1 << 20;
constexpr auto kFlushInterval = std::chrono::milliseconds(100);
}  // namespace

LineFile LineFile::create(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(ExitCode::Io, "cannot open output file '" + path + "': " + std::strerror(errno));
  return LineFile(fd, path);
}

std::uint64_t fnv1a(const void* data, std::size_t size, std::uint64_t hash) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) {
    hash ^= p[i];
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

LineFile LineFile::reopen(const std::string& path, std::uint64_t size, std::uint64_t hash) {
  int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) throw Error(ExitCode::Io, "cannot resume output file '" + path + "': " + std::strerror(errno));
  LineFile f(fd, path);
  std::vector<char> chunk(1 << 16);
  std::uint64_t done = 0, h = 0xcbf29ce484222325ULL;
  while (done < size) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), size - done));
    const ssize_t n = ::pread(fd, chunk.data(), want, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(ExitCode::Io, "cannot resume output file '" + path + "': " + std::strerror(errno));
    if (n == 0)
      throw Error(ExitCode::Io, "cannot resume output file '" + path + "': it has " + std::to_string(done) +
                                    " bytes, the checkpoint recorded " + std::to_string(size) + " (was it cut or replaced?)");
    h = fnv1a(chunk.data(), static_cast<std::size_t>(n), h);
    done += static_cast<std::uint64_t>(n);
  }
  if (h != hash)
    throw Error(ExitCode::Io, "cannot resume output file '" + path +
                                  "': its first " + std::to_string(size) + " bytes differ from what the checkpoint recorded (was it edited?)");
  if (::ftruncate(fd, static_cast<off_t>(size)) != 0 || ::lseek(fd, static_cast<off_t>(size), SEEK_SET) < 0)
    throw Error(ExitCode::Io, "cannot resume output file '" + path + "': " + std::strerror(errno));
  f.written_ = size;
  f.hash_ = hash;
  return f;
}

LineFile::LineFile(int fd, std::string name)
    : fd_(fd), name_(std::move(name)), last_flush_(std::chrono::steady_clock::now()) {}

LineFile::LineFile(LineFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      name_(std::move(other.name_)),
      buffer_(std::move(other.buffer_)),
      last_flush_(other.last_flush_),
      written_(other.written_),
      hash_(other.hash_) {}

LineFile& LineFile::operator=(LineFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    name_ = std::move(other.name_);
    buffer_ = std::move(other.buffer_);
    last_flush_ = other.last_flush_;
    written_ = other.written_;
    hash_ = other.hash_;
  }
  return *this;
}

LineFile::~LineFile() {
  if (fd_ >= 0) {
    try {
      flush();
    } catch (...) {
      // destructors never throw; close() reports errors
    }
    ::close(fd_);
  }
}

void LineFile::fail(int err) const {
  throw Error(ExitCode::Io, "cannot write '" + name_ + "': " + std::strerror(err));
}

void LineFile::write_all(const char* data, std::size_t size) {
  hash_ = fnv1a(data, size, hash_);
  written_ += size;
  while (size > 0) {
    ssize_t n = ::write(fd_, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(errno);
    }
    if (n == 0) fail(ENOSPC);
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

void LineFile::line_done() {
  if (buffer_.size() >= kFlushBytes) {
    flush();
    return;
  }
  auto now = std::chrono::steady_clock::now();
  if (now - last_flush_ >= kFlushInterval) flush();
}

void LineFile::flush() {
  last_flush_ = std::chrono::steady_clock::now();
  if (buffer_.empty() || fd_ < 0) return;
  try {
    write_all(buffer_.data(), buffer_.size());
  } catch (...) {
    buffer_.clear();  // on failure the lines are dropped, not written twice
    throw;
  }
  buffer_.clear();
}

void LineFile::sync() {
  flush();
  if (fd_ >= 0 && ::fsync(fd_) != 0 && errno != EINVAL) fail(errno);
}

void LineFile::close() {
  if (fd_ < 0) return;
  flush();
  int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) fail(errno);
}

}  // namespace mcmc::io

// One anonymous temporary file shared by many writers (chains): each appends blocks and reads its own back, one descriptor in all.
#include "io/spill_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "util/error.hpp"

namespace mcmc::io {

namespace {

std::string temp_directory(const std::string& dir) {
  if (!dir.empty()) return dir;
  const char* env = std::getenv("TMPDIR");
  return env && *env ? std::string(env) : std::string("/tmp");
}

}  // namespace

SpillFile::SpillFile(const std::string& dir, std::string purpose) : purpose_(std::move(purpose)) {
  const std::string base = temp_directory(dir);
#ifdef O_TMPFILE
  fd_ = ::open(base.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#endif
  if (fd_ < 0) {  // no O_TMPFILE (or not on this file system): create, then unlink at once
    std::string templ = base + "/.mcmc-tmp-XXXXXX";
    std::vector<char> name(templ.begin(), templ.end());
    name.push_back('\0');
    fd_ = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd_ < 0) fail(("create in '" + base + "'").c_str(), errno);
    ::unlink(name.data());
  }
}

SpillFile::~SpillFile() {
  if (fd_ >= 0) ::close(fd_);
}

void SpillFile::fail(const char* what, int err) const {
  throw Error(ExitCode::Io, purpose_ + " (temporary file): cannot " + what + ": " + std::strerror(err));
}

std::uint64_t SpillFile::append(const void* data, std::size_t size) {
  const std::uint64_t offset = end_.fetch_add(size);
  const char* p = static_cast<const char*>(data);
  for (std::size_t done = 0; done < size;) {
    const ssize_t n = ::pwrite(fd_, p + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write", errno);
    }
    if (n == 0) fail("write", ENOSPC);
    done += static_cast<std::size_t>(n);
  }
  return offset;
}

void SpillFile::read(std::uint64_t offset, void* data, std::size_t size) const {
  char* p = static_cast<char*>(data);
  for (std::size_t done = 0; done < size;) {
    const ssize_t n = ::pread(fd_, p + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("read back", errno);
    }
    if (n == 0) fail("read back", EIO);  // shorter than what was written
    done += static_cast<std::size_t>(n);
  }
}

void SpillSegments::append(SpillFile& file, const void* data, std::size_t size) {
  if (size == 0) return;
  const std::uint64_t offset = file.append(data, size);
  if (!segments_.empty() && segments_.back().first + segments_.back().second == offset) {
    segments_.back().second += size;
  } else {
    segments_.emplace_back(offset, size);
  }
  bytes_ += size;
}

}  // namespace mcmc::io

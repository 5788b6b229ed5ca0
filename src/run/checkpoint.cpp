// The checkpoint file of --checkpoint / --resume: its format, atomic writing, reading and checks, and the live checkpointer of a run.
//
// Layout (docs/checkpoint.md): "MCMCCKPT" | u64 version | u64 payload size | payload | u64
// FNV-1a 64 of the payload. The payload is a StateWriter stream: the identity, then every
// chain's state, the ensemble's, and the length and hash of the draws side file.
#include "run/checkpoint.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "io/line_file.hpp"
#include "util/error.hpp"
#include "util/state_io.hpp"

namespace mcmc::run {

namespace {

constexpr char kMagic[8] = {'M', 'C', 'M', 'C', 'C', 'K', 'P', 'T'};
constexpr std::uint64_t kVersion = 1;

std::uint64_t hash_file(const std::string& path) {
  if (path.empty()) return 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ExitCode::Io, fmt::format("cannot read '{}' to check it against the checkpoint", path));
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string bytes = ss.str();
  return io::fnv1a(bytes.data(), bytes.size());
}

void write_identity(StateWriter& w, const CheckpointIdentity& id) {
  w.tag("identity");
  w.u64(id.args.size());
  for (const auto& a : id.args) w.str(a);
  w.str(id.directory);
  w.str(id.model_file);
  w.u64(id.model_hash);
  w.str(id.data_file);
  w.u64(id.data_hash);
  w.u64(id.seed);
  w.u64(id.settings.size());
  for (const auto& [k, v] : id.settings) {
    w.str(k);
    w.str(v);
  }
}

CheckpointIdentity read_identity(StateReader& r) {
  CheckpointIdentity id;
  r.tag("identity");
  const std::uint64_t n = r.u64();
  for (std::uint64_t i = 0; i < n; ++i) id.args.push_back(r.str());
  id.directory = r.str();
  id.model_file = r.str();
  id.model_hash = r.u64();
  id.data_file = r.str();
  id.data_hash = r.u64();
  id.seed = r.u64();
  const std::uint64_t m = r.u64();
  for (std::uint64_t i = 0; i < m; ++i) {
    std::string k = r.str();
    id.settings.emplace_back(std::move(k), r.str());
  }
  return id;
}

std::string encode(const CheckpointData& d) {
  StateWriter w;
  write_identity(w, d.identity);
  w.tag("chains");
  w.u64(d.chains.size());
  for (const auto& c : d.chains) w.str(c);
  w.str(d.ensemble);
  w.u64(d.draws_bytes);
  w.u64(d.draws_hash);
  return w.take();
}

[[noreturn]] void io_fail(const std::string& what, const std::string& path) {
  throw Error(ExitCode::Io, fmt::format("cannot write checkpoint '{}': {}: {}", path, what, std::strerror(errno)));
}

void write_fd(int fd, const char* p, std::size_t n, const std::string& path) {
  while (n > 0) {
    const ssize_t k = ::write(fd, p, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) io_fail("write", path);
    p += k;
    n -= static_cast<std::size_t>(k);
  }
}

// MCMC_CHECKPOINT_TEST_KILL=N: the N-th checkpoint written by this process dies before its rename.
bool test_kill_now() {
  static int count = 0;
  static const int at = [] {
    const char* v = std::getenv("MCMC_CHECKPOINT_TEST_KILL");
    return v ? std::atoi(v) : 0;
  }();
  return at > 0 && ++count == at;
}

}  // namespace

CheckpointIdentity checkpoint_identity(const std::vector<std::string>& args, const std::string& model_file,
                                       const std::string& data_file, std::uint64_t seed,
                                       std::vector<std::pair<std::string, std::string>> settings) {
  CheckpointIdentity id;
  id.args = args;
  std::error_code ec;
  id.directory = std::filesystem::current_path(ec).string();
  id.model_file = model_file;
  id.model_hash = hash_file(model_file);
  id.data_file = data_file;
  id.data_hash = hash_file(data_file);
  id.seed = seed;
  id.settings = std::move(settings);
  return id;
}

std::string identity_mismatch(const CheckpointIdentity& saved, const CheckpointIdentity& now) {
  std::vector<std::string> diffs;
  if (saved.model_hash != now.model_hash)
    diffs.push_back(saved.model_file == now.model_file
                        ? fmt::format("the model file '{}' has changed since the checkpoint", now.model_file)
                        : fmt::format("the model differs: the checkpoint belongs to '{}', this command runs '{}'",
                                      saved.model_file, now.model_file));
  if (saved.data_hash != now.data_hash)
    diffs.push_back(saved.data_file == now.data_file
                        ? fmt::format("the data file '{}' has changed since the checkpoint", now.data_file)
                        : fmt::format("the data differ: the checkpoint belongs to '{}', this command reads '{}'",
                                      saved.data_file.empty() ? "(no data)" : saved.data_file,
                                      now.data_file.empty() ? "(no data)" : now.data_file));
  if (saved.seed != now.seed) diffs.push_back(fmt::format("the seed differs: checkpoint {}, this command {}", saved.seed, now.seed));
  for (const auto& [k, v] : saved.settings) {
    const std::string& key = k;  // (a structured binding cannot be captured before C++20 in clang 14)
    auto it = std::find_if(now.settings.begin(), now.settings.end(), [&](const auto& e) { return e.first == key; });
    if (it == now.settings.end())
      diffs.push_back(fmt::format("setting '{}' is {} in the checkpoint and absent from this command", k, v));
    else if (it->second != v && k != "random.seed" && k != "data.file")
      diffs.push_back(fmt::format("setting '{}' differs: checkpoint {}, this command {}", k, v, it->second));
  }
  for (const auto& [k, v] : now.settings) {
    const std::string& key = k;
    auto it = std::find_if(saved.settings.begin(), saved.settings.end(), [&](const auto& e) { return e.first == key; });
    if (it == saved.settings.end())
      diffs.push_back(fmt::format("setting '{}' is {} in this command and absent from the checkpoint", k, v));
  }
  if (diffs.empty()) return "";
  std::string msg = "the checkpoint belongs to another run:";
  for (const auto& d : diffs) msg += "\n  " + d;
  return msg;
}

std::string checkpoint_draws_path(const std::string& checkpoint) { return checkpoint + ".draws"; }

void write_checkpoint(const std::string& path, const CheckpointData& data) {
  const std::string payload = encode(data);
  std::string bytes(kMagic, sizeof kMagic);
  StateWriter head;
  head.u64(kVersion);
  head.u64(payload.size());
  bytes += head.bytes();
  bytes += payload;
  StateWriter tail;
  tail.u64(io::fnv1a(payload.data(), payload.size()));
  bytes += tail.bytes();

  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) io_fail("cannot create '" + tmp + "'", path);
  write_fd(fd, bytes.data(), bytes.size(), path);
  if (::fsync(fd) != 0) io_fail("fsync", path);
  if (::close(fd) != 0) io_fail("close", path);
  if (test_kill_now()) ::raise(SIGKILL);
  if (::rename(tmp.c_str(), path.c_str()) != 0) io_fail("rename", path);
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

CheckpointData read_checkpoint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ExitCode::Io, fmt::format("cannot read checkpoint '{}': {}", path, std::strerror(errno)));
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string bytes = ss.str();
  const std::size_t head = sizeof kMagic + 16, tail = 8;
  if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
    throw Error(ExitCode::Io, fmt::format("'{}' is not an mcmc checkpoint (it does not start with {})", path,
                                          std::string(kMagic, sizeof kMagic)));
  if (bytes.size() < head + tail)
    throw Error(ExitCode::Io, fmt::format("checkpoint '{}' is truncated: {} bytes", path, bytes.size()));
  StateReader h(std::string_view(bytes).substr(sizeof kMagic, 16));
  const std::uint64_t version = h.u64(), size = h.u64();
  if (version != kVersion)
    throw Error(ExitCode::Io, fmt::format("checkpoint '{}' has format version {}; this mcmc reads version {}", path,
                                          version, kVersion));
  if (size > bytes.size() || bytes.size() != head + size + tail)
    throw Error(ExitCode::Io, fmt::format("checkpoint '{}' is truncated or has trailing bytes: {} bytes, its header "
                                          "says {}", path, bytes.size(), head + size + tail));
  const std::string_view payload = std::string_view(bytes).substr(head, size);
  StateReader t(std::string_view(bytes).substr(head + size, tail));
  if (t.u64() != io::fnv1a(payload.data(), payload.size()))
    throw Error(ExitCode::Io, fmt::format("checkpoint '{}' is corrupt: its checksum does not match its contents", path));
  try {
    StateReader r(payload);
    CheckpointData d;
    d.identity = read_identity(r);
    r.tag("chains");
    const std::uint64_t n = r.u64();
    for (std::uint64_t i = 0; i < n; ++i) d.chains.push_back(r.str());
    d.ensemble = r.str();
    d.draws_bytes = r.u64();
    d.draws_hash = r.u64();
    if (!r.done()) throw StateError("trailing bytes");
    return d;
  } catch (const StateError& e) {
    throw Error(ExitCode::Io, fmt::format("checkpoint '{}' is corrupt: {}", path, e.what()));
  }
}

Checkpointer::Checkpointer(std::string path, int every, CheckpointIdentity identity, int chains, std::size_t columns,
                           const CheckpointData* resumed)
    : path_(std::move(path)), every_(every), columns_(columns) {
  data_.identity = std::move(identity);
  data_.chains.assign(static_cast<std::size_t>(chains), std::string());
  const std::string side = checkpoint_draws_path(path_);
  if (resumed) {
    data_.chains = resumed->chains;
    data_.ensemble = resumed->ensemble;
    io::LineFile f = io::LineFile::reopen(side, resumed->draws_bytes, resumed->draws_hash);
    data_.draws_bytes = f.written();
    data_.draws_hash = f.written_hash();
    f.close();
    draws_fd_ = ::open(side.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  } else {
    data_.draws_hash = io::fnv1a(nullptr, 0);
    draws_fd_ = ::open(side.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  }
  if (draws_fd_ < 0)
    throw Error(ExitCode::Io, fmt::format("cannot open '{}' (the checkpoint's draws): {}", side, std::strerror(errno)));
}

Checkpointer::~Checkpointer() {
  if (draws_fd_ >= 0) ::close(draws_fd_);
}

void Checkpointer::set_chain(int c, std::string state, std::span<const double> rows) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!rows.empty()) {
    StateWriter w;
    w.u64(static_cast<std::uint64_t>(c));
    w.vec(rows);
    const std::string& b = w.bytes();
    write_fd(draws_fd_, b.data(), b.size(), checkpoint_draws_path(path_));
    data_.draws_bytes += b.size();
    data_.draws_hash = io::fnv1a(b.data(), b.size(), data_.draws_hash);
  }
  data_.chains[static_cast<std::size_t>(c)] = std::move(state);
}

void Checkpointer::set_ensemble(std::string state) {
  std::lock_guard<std::mutex> lock(mu_);
  data_.ensemble = std::move(state);
}

void Checkpointer::write() {
  std::lock_guard<std::mutex> lock(mu_);
  if (::fsync(draws_fd_) != 0 && errno != EINVAL) io_fail("fsync of the draws", path_);
  write_checkpoint(path_, data_);
}

void Checkpointer::remove() {
  std::lock_guard<std::mutex> lock(mu_);
  std::error_code ec;
  std::filesystem::remove(path_, ec);
  std::filesystem::remove(checkpoint_draws_path(path_), ec);
}

void Checkpointer::load_draws(const CheckpointData& resumed, std::vector<std::unique_ptr<io::DrawStore>>& stores) const {
  const std::string side = checkpoint_draws_path(path_);
  std::ifstream in(side, std::ios::binary);
  std::string bytes(resumed.draws_bytes, '\0');
  if (!in || !in.read(bytes.data(), static_cast<std::streamsize>(bytes.size())))
    throw Error(ExitCode::Io, fmt::format("cannot read '{}' (the checkpoint's draws)", side));
  try {
    StateReader r(bytes);
    while (!r.done()) {
      const std::uint64_t c = r.u64();
      const std::vector<double> rows = r.vec();
      if (c >= stores.size() || columns_ == 0 || rows.size() % columns_ != 0) throw StateError("bad record");
      for (std::size_t i = 0; i < rows.size(); i += columns_)
        stores[c]->append(std::span<const double>(rows.data() + i, columns_));
    }
  } catch (const StateError& e) {
    throw Error(ExitCode::Io, fmt::format("'{}' (the checkpoint's draws) is corrupt: {}", side, e.what()));
  }
}

}  // namespace mcmc::run

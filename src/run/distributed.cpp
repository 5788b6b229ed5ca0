// Chains over processes: blocks of chains per rank or shard, ensemble mirrors, rank 0 gathering the run.
#include "run/distributed.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>

#include <fmt/format.h>

#include "dist/dist.hpp"
#include "io/draw_store.hpp"
#include "io/spill_file.hpp"
#include "run/runner.hpp"
#include "util/error.hpp"

namespace mcmc::run {

using sampler::Chain;

ChainBlock block_of(int chains, int part, int parts) {
  const auto lo = static_cast<long long>(part) * chains / parts, hi = static_cast<long long>(part + 1) * chains / parts;
  return {static_cast<int>(lo), static_cast<int>(hi - lo)};
}

ChainBlock process_block(const RunSettings& s) {
  const dist::World& w = dist::world();
  if (w.distributed()) {
    if (!s.checkpoint.empty() || !s.resume.empty())
      throw Error(ExitCode::Usage, "--checkpoint and --resume are for one process; under mpirun they are not "
                                   "supported yet (the ranks' chains would need one checkpoint)");
    if (s.shard_count > 0)
      throw Error(ExitCode::Usage, "--shard splits a run into separate jobs; under mpirun the ranks already share "
                                   "the chains (drop --shard, or run the shards without mpirun)");
    if (w.size > s.chains)
      throw Error(ExitCode::Usage, fmt::format("{} MPI ranks for {} chain{}: every rank needs at least one chain "
                                               "(use at most {} ranks, or more chains)",
                                               w.size, s.chains, s.chains == 1 ? "" : "s", s.chains));
    return block_of(s.chains, w.rank, w.size);
  }
  if (s.shard_count > 0) return block_of(s.chains, s.shard_index, s.shard_count);
  return {0, s.chains};
}

void parse_shard(const std::string& text, RunSettings& s) {
  const std::size_t slash = text.find('/');
  const auto bad = [&](const std::string& why) {
    return Error(ExitCode::Usage, fmt::format("--shard '{}': {} (expected i/N with 1 <= i <= N, e.g. --shard 2/8)", text, why));
  };
  if (slash == std::string::npos) throw bad("no '/'");
  const auto whole = [&](const std::string& part) -> long long {
    if (part.empty() || part.size() > 9 || !std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; }))
      throw bad("'" + part + "' is not a whole number");
    return std::stoll(part);
  };
  const long long i = whole(text.substr(0, slash)), n = whole(text.substr(slash + 1));
  if (n < 1) throw bad("N must be at least 1");
  if (i < 1 || i > n) throw bad(fmt::format("shards are numbered 1 to {}", n));
  if (n > s.chains)
    throw Error(ExitCode::Usage, fmt::format("--shard {}: {} shards of {} chain{}: every shard needs at least one chain",
                                             text, n, s.chains, s.chains == 1 ? "" : "s"));
  if (sampler::is_ensemble(s.sampler.algorithm))
    throw Error(ExitCode::Usage, fmt::format("--shard: the chains of --algorithm {} adapt together (every iteration "
                                             "uses statistics of all chains), so they cannot run as separate jobs; "
                                             "run them over MPI instead: mpirun -np {} mcmc run ... (or srun)",
                                             algorithm_name(s.sampler.algorithm), n));
  s.shard_index = static_cast<int>(i - 1);
  s.shard_count = static_cast<int>(n);
}

// ---- ensemble mirrors ----

EnsembleMirror::EnsembleMirror(const RunSettings& s, std::size_t dim, ChainBlock mine)
    : settings_(s), dim_(dim), mine_(mine) {
  const dist::World& w = dist::world();
  const std::size_t M = Chain::mirror_size(dim);
  for (int r = 0; r < w.size; ++r) {
    blocks_.push_back(block_of(s.chains, r, w.size));
    counts_.push_back(static_cast<int>(1 + static_cast<std::size_t>(blocks_.back().count) * M));
  }
  mirrors_.resize(static_cast<std::size_t>(s.chains));
  for (int c = 0; c < s.chains; ++c) {
    if (c >= mine.first && c < mine.first + mine.count) continue;
    // A placeholder state (a finite point) until the first exchange overwrites it.
    mirrors_[c] = std::make_unique<Chain>(s.sampler, sampler::Rng(s.seed, static_cast<std::uint64_t>(c)),
                                          std::vector<double>(dim, 0.0), 0.0, std::vector<double>(dim, 0.0));
  }
}

EnsembleMirror::~EnsembleMirror() = default;

bool EnsembleMirror::exchange(std::span<Chain* const> local, bool stop_here) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::size_t M = Chain::mirror_size(dim_);
  send_.assign(1 + static_cast<std::size_t>(mine_.count) * M, 0.0);
  send_[0] = stop_here || local.size() != static_cast<std::size_t>(mine_.count) ? 1.0 : 0.0;
  if (send_[0] == 0)
    for (std::size_t k = 0; k < local.size(); ++k) local[k]->export_mirror(std::span<double>(send_.data() + 1 + k * M, M));
  dist::all_gather(send_, counts_, all_);
  bool stop = false;
  std::size_t at = 0;
  for (std::size_t r = 0; r < blocks_.size(); ++r) {
    stop = stop || all_[at] != 0;
    at += static_cast<std::size_t>(counts_[r]);
  }
  if (!stop) {
    at = 0;
    for (std::size_t r = 0; r < blocks_.size(); ++r) {
      const ChainBlock b = blocks_[r];
      if (b.first != mine_.first)
        for (int k = 0; k < b.count; ++k)
          mirrors_[b.first + k]->import_mirror(std::span<const double>(all_.data() + at + 1 + k * M, M));
      at += static_cast<std::size_t>(counts_[r]);
    }
  }
  seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ++calls_;
  return stop;
}

std::vector<Chain*> EnsembleMirror::all_chains(std::span<Chain* const> local) {
  std::vector<Chain*> all(mirrors_.size());
  for (std::size_t c = 0; c < all.size(); ++c) all[c] = mirrors_[c].get();
  for (std::size_t k = 0; k < local.size(); ++k) all[static_cast<std::size_t>(mine_.first) + k] = local[k];
  return all;
}

// ---- recording output (ranks > 0) ----

namespace {

// A little binary writer / reader for the records below.
struct Writer {
  std::string& out;
  template <class T>
  void put(T v) {
    out.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void doubles(std::span<const double> v) {
    put<std::uint64_t>(v.size());
    out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(double));
  }
  void text(const std::string& s) {
    put<std::uint64_t>(s.size());
    out += s;
  }
};

struct Reader {
  const char* p;
  const char* end;
  bool has(std::size_t n) const { return static_cast<std::size_t>(end - p) >= n; }
  template <class T>
  T get() {
    if (!has(sizeof(T))) throw std::runtime_error("truncated record");
    T v;
    std::memcpy(&v, p, sizeof v);
    p += sizeof v;
    return v;
  }
  std::vector<double> doubles() {
    const auto n = get<std::uint64_t>();
    if (!has(n * sizeof(double))) throw std::runtime_error("truncated record");
    std::vector<double> v(n);
    std::memcpy(v.data(), p, n * sizeof(double));
    p += n * sizeof(double);
    return v;
  }
  std::string text() {
    const auto n = get<std::uint64_t>();
    if (!has(n)) throw std::runtime_error("truncated record");
    std::string s(p, n);
    p += n;
    return s;
  }
};

// Every record: its type, its payload's size, the payload.
enum Record : char { kBegin = 'B', kAdaptation = 'A', kDraw = 'D', kEnd = 'E' };

class RecordingSink : public io::ChainSink {
 public:
  RecordingSink(io::ChainSink* local, io::SpillFile* file, std::size_t block) : local_(local), file_(file), block_(block) {}

  void begin(const io::RunHeader& header, int chain_id, std::uint64_t seed) override {
    if (local_) local_->begin(header, chain_id, seed);
    std::string payload;
    Writer w{payload};
    w.put<std::int64_t>(chain_id);
    w.put<std::uint64_t>(seed);
    record(kBegin, payload);
  }
  void adaptation(const io::Adaptation& a) override {
    if (local_) local_->adaptation(a);
    std::string payload;
    Writer w{payload};
    w.put<double>(a.step_size);
    w.put<char>(a.dense ? 1 : 0);
    w.doubles(a.inv_metric);
    record(kAdaptation, payload);
  }
  void draw(std::span<const double> row) override {  // the commonest record: written in place
    if (local_) local_->draw(row);
    buffer_ += static_cast<char>(kDraw);
    Writer w{buffer_};
    w.put<std::uint64_t>(sizeof(std::uint64_t) + row.size() * sizeof(double));
    w.doubles(row);
    if (buffer_.size() >= block_) spill();
  }
  void end(const io::ChainFooter& f) override {
    if (local_) local_->end(f);
    std::string payload;
    Writer w{payload};
    w.put(f.warmup_seconds);
    w.put(f.sampling_seconds);
    w.put(f.gradient_evals);
    w.put(f.lockstep_paid);
    w.put(f.lockstep_useful);
    w.put<std::int64_t>(f.lockstep_group);
    w.put<std::int64_t>(f.divergences);
    w.put<std::int64_t>(f.max_depth_hits);
    w.put<char>(f.complete ? 1 : 0);
    record(kEnd, payload);
    spill();
  }

  /// Calls fn(data, size) over everything recorded, in order.
  template <class Fn>
  void for_each_chunk(std::size_t chunk, Fn&& fn) {
    spill();
    segments_.for_each_chunk(*file_, chunk, 1, fn);
  }

 private:
  void record(Record type, const std::string& payload) {
    buffer_ += static_cast<char>(type);
    Writer w{buffer_};
    w.put<std::uint64_t>(payload.size());
    buffer_ += payload;
    if (buffer_.size() >= block_) spill();
  }
  void spill() {
    if (buffer_.empty()) return;
    segments_.append(*file_, buffer_.data(), buffer_.size());
    buffer_.clear();
  }

  io::ChainSink* local_;
  io::SpillFile* file_;
  std::size_t block_;
  std::string buffer_;
  io::SpillSegments segments_;
};

constexpr int kReportTag = 20, kChunkTag = 21;
constexpr std::size_t kChunkBytes = 1 << 20;

std::string encode_reports(const RunReport& rep) {
  std::string out;
  Writer w{out};
  w.put<std::uint64_t>(rep.chains.size());
  for (const ChainReport& c : rep.chains) {
    w.put<std::int64_t>(c.chain_id);
    w.put(c.gradient_evals);
    w.put(c.lockstep_paid);
    w.put(c.lockstep_useful);
    w.put<std::int64_t>(c.lockstep_group);
    w.put<std::int64_t>(c.divergences);
    w.put<std::int64_t>(c.max_depth_hits);
    w.put(c.warmup_seconds);
    w.put(c.sampling_seconds);
    w.put(c.step_size);
    w.doubles(c.inv_metric);
    w.put<char>(c.dense_metric ? 1 : 0);
    w.put<std::int64_t>(c.draws_written);
    w.put<char>(c.complete ? 1 : 0);
    w.text(c.error);
  }
  return out;
}

std::vector<ChainReport> decode_reports(const std::string& text) {
  Reader r{text.data(), text.data() + text.size()};
  std::vector<ChainReport> out(r.get<std::uint64_t>());
  for (ChainReport& c : out) {
    c.chain_id = static_cast<int>(r.get<std::int64_t>());
    c.gradient_evals = r.get<std::int64_t>();
    c.lockstep_paid = r.get<std::int64_t>();
    c.lockstep_useful = r.get<std::int64_t>();
    c.lockstep_group = static_cast<int>(r.get<std::int64_t>());
    c.divergences = static_cast<int>(r.get<std::int64_t>());
    c.max_depth_hits = static_cast<int>(r.get<std::int64_t>());
    c.warmup_seconds = r.get<double>();
    c.sampling_seconds = r.get<double>();
    c.step_size = r.get<double>();
    c.inv_metric = r.doubles();
    c.dense_metric = r.get<char>() != 0;
    c.draws_written = static_cast<int>(r.get<std::int64_t>());
    c.complete = r.get<char>() != 0;
    c.error = r.text();
  }
  return out;
}

// Replays a chain's records (as they arrive, in pieces) into its sink (may be null) and draw store.
class Replayer {
 public:
  Replayer(io::ChainSink* sink, io::DrawStore* store, const io::RunHeader& header)
      : sink_(sink), store_(store), header_(header) {}

  void feed(const char* data, std::size_t size) {
    pending_.append(data, size);
    std::size_t at = 0;
    while (pending_.size() - at >= 1 + sizeof(std::uint64_t)) {
      std::uint64_t n = 0;
      std::memcpy(&n, pending_.data() + at + 1, sizeof n);
      const std::size_t whole = 1 + sizeof n + n;
      if (pending_.size() - at < whole) break;
      apply(pending_[at], Reader{pending_.data() + at + 1 + sizeof n, pending_.data() + at + whole});
      at += whole;
    }
    pending_.erase(0, at);
  }
  bool complete() const { return pending_.empty(); }

 private:
  void apply(char type, Reader r) {
    switch (type) {
      case kBegin: {
        const auto id = r.get<std::int64_t>();
        const auto seed = r.get<std::uint64_t>();
        if (sink_) sink_->begin(header_, static_cast<int>(id), seed);
        break;
      }
      case kAdaptation: {
        io::Adaptation a;
        a.step_size = r.get<double>();
        a.dense = r.get<char>() != 0;
        a.inv_metric = r.doubles();
        if (sink_) sink_->adaptation(a);
        break;
      }
      case kDraw: {  // into a buffer kept from row to row
        const auto n = r.get<std::uint64_t>();
        if (!r.has(n * sizeof(double))) throw std::runtime_error("truncated record");
        row_.resize(n);
        std::memcpy(row_.data(), r.p, n * sizeof(double));
        if (sink_) sink_->draw(row_);
        if (store_) store_->append(row_);
        break;
      }
      case kEnd: {
        io::ChainFooter f;
        f.warmup_seconds = r.get<double>();
        f.sampling_seconds = r.get<double>();
        f.gradient_evals = r.get<std::int64_t>();
        f.lockstep_paid = r.get<std::int64_t>();
        f.lockstep_useful = r.get<std::int64_t>();
        f.lockstep_group = static_cast<int>(r.get<std::int64_t>());
        f.divergences = static_cast<int>(r.get<std::int64_t>());
        f.max_depth_hits = static_cast<int>(r.get<std::int64_t>());
        f.complete = r.get<char>() != 0;
        if (sink_) sink_->end(f);
        break;
      }
      default:
        throw std::runtime_error("unknown record");
    }
  }

  io::ChainSink* sink_;
  io::DrawStore* store_;
  const io::RunHeader& header_;
  std::string pending_;
  std::vector<double> row_;
};

}  // namespace

struct RecordingOutput::Impl {
  io::Output* local;
  ChainBlock block;
  io::SpillFile file;
  std::vector<std::unique_ptr<RecordingSink>> sinks;
  Impl(io::Output* l, ChainBlock b, const std::string& dir) : local(l), block(b), file(dir, "MPI rank's output") {}
};

RecordingOutput::RecordingOutput(io::Output* local, ChainBlock block, const std::string& temp_dir)
    : impl_(std::make_unique<Impl>(local, block, temp_dir)) {
  const std::size_t bytes = io::chain_block_bytes(block.count);
  for (int k = 0; k < block.count; ++k)
    impl_->sinks.push_back(std::make_unique<RecordingSink>(local ? &local->chain(block.first + k) : nullptr,
                                                           &impl_->file, bytes));
}

RecordingOutput::~RecordingOutput() = default;

io::ChainSink& RecordingOutput::chain(int chain_index) {
  const int k = chain_index - impl_->block.first;
  if (k < 0 || k >= impl_->block.count) throw std::out_of_range("RecordingOutput: no chain " + std::to_string(chain_index));
  return *impl_->sinks[static_cast<std::size_t>(k)];
}

void RecordingOutput::finalize(const io::RunFooter* run) {
  if (impl_->local) impl_->local->finalize(run);
}

std::vector<std::string> RecordingOutput::paths() const {
  return impl_->local ? impl_->local->paths() : std::vector<std::string>{};
}

void RecordingOutput::send_to_root() {
  for (auto& sink : impl_->sinks) {
    sink->for_each_chunk(kChunkBytes, [](const char* data, std::size_t size) { dist::send(0, kChunkTag, data, size); });
    dist::send(0, kChunkTag, nullptr, 0);
  }
}

void gather_run(RunReport& rep, RecordingOutput* rec, io::Output* root_output, bool root_replays,
                const io::RunHeader& header) {
  const dist::World& w = dist::world();
  if (w.rank != 0) {
    dist::send_string(0, kReportTag, encode_reports(rep));
    if (rec) rec->send_to_root();
    return;
  }
  const std::size_t ncols = rep.sampler_columns.size() + rep.param_columns.size();
  std::vector<char> chunk(kChunkBytes);
  for (int r = 1; r < w.size; ++r) {
    std::vector<ChainReport> theirs = decode_reports(dist::receive_string(r, kReportTag));
    for (ChainReport& c : theirs) {
      rep.draws.push_back(std::make_unique<io::DrawStore>(ncols));
      const int index = c.chain_id - 1;
      Replayer replay(root_output && root_replays ? &root_output->chain(index) : nullptr, rep.draws.back().get(), header);
      while (true) {
        const std::size_t n = dist::receive(r, kChunkTag, chunk.data(), chunk.size());
        if (n == 0) break;
        replay.feed(chunk.data(), n);
      }
      if (!replay.complete()) throw Error(ExitCode::Io, fmt::format("MPI: rank {} sent an incomplete record of chain {}", r, c.chain_id));
      rep.chains.push_back(std::move(c));
    }
  }
}

void agree_on_failure(std::exception_ptr failure) {
  const dist::World& w = dist::world();
  if (!w.distributed()) {
    if (failure) std::rethrow_exception(failure);
    return;
  }
  int code = 0;
  std::string message;
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const Error& e) {
      code = static_cast<int>(e.code());
      message = e.what();
    } catch (const std::exception& e) {
      code = 70;
      message = std::string("internal error: ") + e.what();
    }
  }
  const std::int64_t first = dist::min_all(code != 0 ? w.rank : w.size);
  if (first == w.size) return;
  const auto agreed = static_cast<ExitCode>(dist::broadcast(static_cast<std::uint64_t>(code), static_cast<int>(first)));
  if (w.rank != first) throw Error(agreed, "");
  if (first == 0) throw Error(agreed, message);
  throw Error(agreed, fmt::format("rank {} of {}: {}", w.rank, w.size, message));
}

}  // namespace mcmc::run

// The compiled, flat tape of a graph and its evaluator: log density and gradient for one chain or a batch.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <span>
#include <vector>

#include "graph/graph.hpp"

namespace mcmc::graph {

/// Time and calls per profile region (Graph::profiles(); index 0: outside every region) of one
/// evaluator, accumulated while profiling is on (Tape::enable_profiling).
struct ProfileCounters {
  std::uint32_t thread = 0;  // the order of the thread that made the evaluator (0, 1, ...)
  std::vector<double> forward_s, reverse_s;
  std::vector<std::uint64_t> autodiff_calls, no_autodiff_calls;  // points evaluated
};

/// Every evaluator's counters of one tape (made thread-safely; each evaluator writes its own).
class ProfileSink {
 public:
  ProfileCounters* add(std::size_t regions);
  /// A copy of every evaluator's counters.
  std::vector<ProfileCounters> counters() const;

 private:
  mutable std::mutex mutex_;
  std::deque<ProfileCounters> counters_;
  std::vector<std::thread::id> threads_;
};

/// The live part of a graph in evaluation order, with a fixed memory plan. Immutable and shared
/// by every evaluator (one per thread or per lockstep group).
class Tape {
 public:
  explicit Tape(const Graph& graph);
  /// A tape that computes only `roots` (no log density, no checks): e.g. a model's constrained
  /// parameters and transformed parameters for output. Read them with Evaluator::value().
  Tape(const Graph& graph, std::span<const NodeId> roots);

  std::uint32_t dim() const { return dim_; }
  /// Slot of a graph node in this tape (-1 when it was not kept).
  std::int64_t slot(NodeId id) const { return id >= 0 && static_cast<std::size_t>(id) < node_slot_.size() ? node_slot_[id] : -1; }
  std::size_t num_nodes() const { return nodes_.size(); }
  /// Operations per sweep: the nodes, with each ScalarBlock counted by its instructions.
  std::size_t num_ops() const { return nodes_.size() + prog_.size() - num_blocks_; }
  std::size_t num_slots() const { return slots_; }
  /// Doubles of partials stored by the forward sweep per point (elementwise densities: one per
  /// element and argument).
  std::size_t num_scratch() const { return scratch_; }

  /// The graph's profile regions, and how many tape nodes each holds (index 0: outside).
  const std::vector<Graph::ProfileRegion>& profiles() const { return profiles_; }
  std::vector<std::size_t> profile_nodes() const;
  /// From now on, evaluators made of this tape time its profile regions into the sink
  /// (returned; also kept by the tape). Without regions nothing is timed.
  std::shared_ptr<ProfileSink> enable_profiling() const;
  const std::shared_ptr<ProfileSink>& profile_sink() const { return sink_; }

 public:
  /// One live node with its memory plan (exposed for the evaluator's kernels).
  struct TNode {
    Node node;
    std::uint32_t out = 0;       // slot of the first output element
    std::uint32_t scratch = 0;   // Dist: offset of the partials scratch (elements * args)
    std::uint32_t arg_begin = 0; // into arg_slot_/arg_size_/arg_const_
  };
  /// One scalar operation of a ScalarBlock: out = fn(a) or fn(a, b); a constant argument is a
  /// pool offset (ca / cb set), a variable one a slot.
  struct SInstr {
    std::uint8_t binary = 0;
    std::uint8_t ca = 0, cb = 0;
    std::uint16_t fn = 0;
    std::uint32_t a = 0, b = 0, out = 0;
  };

 private:
  friend class Evaluator;
  void build(const Graph& graph, std::vector<char> live);
  // Replaces runs of scalar Unary / Binary nodes by ScalarBlock nodes.
  void fuse_scalar_runs();

  std::vector<TNode> nodes_;
  std::vector<std::int64_t> node_slot_;
  std::vector<std::uint32_t> arg_slot_;  // slot (var) or pool offset (const)
  std::vector<std::uint32_t> arg_size_;
  std::vector<std::uint8_t> arg_const_;
  std::vector<double> pool_;
  std::vector<std::uint32_t> gather_;
  std::vector<SInstr> prog_;  // instructions of the ScalarBlock nodes
  std::vector<std::shared_ptr<const External>> externals_;
  // Profile regions: per node its tag, and the runs of nodes with one tag (begin, end, tag).
  struct Segment {
    std::uint32_t begin, end, tag;
  };
  std::vector<Graph::ProfileRegion> profiles_;
  std::vector<std::uint32_t> node_profile_;
  std::vector<Segment> segments_;
  mutable std::shared_ptr<ProfileSink> sink_;
  std::size_t num_blocks_ = 0;
  std::uint32_t target_slot_ = 0;
  bool target_const_ = false;
  double target_value_ = 0;
  std::uint32_t dim_ = 0;
  std::size_t slots_ = 0;
  std::size_t scratch_ = 0;
};

struct SweepArgs;  // what one sweep of the kernels sees (tape.cpp)

/// Evaluates a tape for a batch of `batch` points at once. Values are laid out chain-minor
/// (slot * chunk + chain) so the inner loops run across chains; every chain's arithmetic is the
/// same, in the same order, as with batch = 1, so results are bit-identical. A large batch is
/// swept in chunks of chunk() chains, sized so that a chunk's values and adjoints stay in the
/// core's cache (thousands of chains at once would stream every node's row through memory).
/// Holds all of its memory: evaluation allocates nothing.
class Evaluator {
 public:
  Evaluator(const Tape& tape, std::size_t batch);

  std::size_t batch() const { return batch_; }
  /// Chains per sweep (a batch larger than this is evaluated chunk by chunk).
  std::size_t chunk() const { return chunk_; }
  /// The chunk an evaluator of `batch` points of `tape` uses.
  static std::size_t chunk_for(const Tape& tape, std::size_t batch);
  std::uint32_t dim() const { return tape_->dim(); }

  /// q, grad: batch x dim, point-major (q[k * dim + i]). logp[k] is -inf when a check rejected
  /// the point and NaN / inf when the density is not finite there.
  void logp_grad(const double* q, double* logp, double* grad);
  /// batch == 1 convenience.
  double logp_grad(std::span<const double> q, std::span<double> grad);
  /// Log density only (no reverse sweep).
  void logp(const double* q, double* logp);
  /// Forward sweep only (for output tapes; batch <= chunk()); then value() reads any kept node.
  void forward_only(const double* q);
  /// batch == 1, after forward_only(q): the gradient w.r.t. the inputs of sum(seed .* node `id`)
  /// (one weight per element of `id`) into grad (dim()), by one reverse sweep. Repeatable with
  /// other seeds at the same point (Jacobian rows of a vector node without a forward sweep each).
  void reverse_seeded(NodeId id, std::span<const double> seed, double* grad);
  /// Element `i` of graph node `id` for chain `k`, after forward_only.
  double value(NodeId id, std::uint32_t i, std::size_t k = 0) const {
    return val_[(static_cast<std::size_t>(tape_->slot(id)) + i) * batch_ + k];
  }

 private:
  // One chunk of K <= chunk_ chains (values laid out slot * K + chain).
  void forward(const double* q, std::size_t K);
  void reverse(double* grad, std::size_t K);
  void chunk_logp(const double* q, double* lp, std::size_t K);
  SweepArgs sweep_args(std::size_t K);

  const Tape* tape_;
  std::size_t batch_;
  std::size_t chunk_;
  std::vector<double> val_, adj_, scratch_;
  std::vector<std::uint8_t> reject_;
  std::vector<double> tmp_;  // broadcast rows for the kernels
  ProfileCounters* prof_ = nullptr;  // when the tape profiles (its sink's)
};

}  // namespace mcmc::graph

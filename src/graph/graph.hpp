// The expression graph of a model's log density: vector-valued nodes, built once with the data bound.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "graph/distributions.hpp"
#include "graph/external.hpp"
#include "graph/functions.hpp"

namespace mcmc::graph {

using NodeId = std::int32_t;
constexpr NodeId kNoNode = -1;

enum class Op : std::uint8_t {
  Input,       // aux: offset in the unconstrained parameter vector; size: length
  Const,       // aux: offset in the constant pool
  Unary,       // fn: UnaryFn; args [a]
  Binary,      // fn: BinaryFn; args [a, b]; a size-1 argument broadcasts
  Select,      // args [c, a, b]: c != 0 ? a : b, elementwise with broadcasting
  Sum,         // sum of every element of every argument -> scalar
  Element,     // args [a]; aux: index -> scalar
  Gather,      // args: the sources; aux: offset in gather table of (arg slot, index) per element
  Dist,        // fn: Dist; flags: DistKind | propto | var mask; args: distribution arguments -> scalar
  NormalSuff,  // normal_lpdf of constant data by sufficient statistics; args [mu, sigma]; aux: pool offset of {n, mean, m2, mean correction}
  Suff,        // fn: Dist; flags as Dist; an iid log density of constant data by sufficient statistics (suff_stats.hpp);
               // args: the scalar arguments from suff_first_param on (normal: a, b, sigma of
               // normal(y | a + b * x, sigma)); aux: pool offset of the statistics
  LogSumExp,   // args [a] -> scalar
  CumSum,      // args [a] -> same size
  Prod,        // args [a] -> scalar
  Check,       // args [x, bound]; flags: kCheckLower / kCheckUpper; size 0: rejects the evaluation when violated
  DistElems,   // fn: Dist; flags as Dist; args as Dist -> one log density per element (not summed);
               // built by vectorize_terms (vectorize.hpp) from per-iteration scalar Dist nodes
  MatMul,      // args [A, B]: A (m x k) times B (k x n), both row-major; flags: k; size m * n
               // (graph/matrix_kernels.hpp)
  Cholesky,    // args [A] (n x n, row-major, symmetric): the lower Cholesky factor L, row-major;
               // flags: n; rejects the evaluation when A is not positive definite
  LogDet,      // args [A] (n x n): log |det A| -> scalar; flags: n (rejects a singular A)
  TriSolve,    // args [L (n x n), B (n x m)]: tril(L)^-1 B, row-major; flags: n; size n * m
  ScalarBlock, // tape only: a run of scalar Unary / Binary nodes evaluated by one tight loop
               // (Tape::SInstr); aux: first instruction, arg_count: number of instructions
  External,    // aux: index in externals(); args: its inputs in order -> External::output_size() values
};

constexpr std::uint32_t kCheckLower = 1, kCheckUpper = 2;
// Dist flags layout: bits 0-1 kind, bit 2 propto, bits 8.. var mask.
constexpr std::uint32_t dist_flags(DistKind kind, bool propto, unsigned var) {
  return static_cast<std::uint32_t>(kind) | (propto ? 4u : 0u) | (var << 8);
}

struct Node {
  Op op = Op::Const;
  std::uint16_t fn = 0;
  std::uint32_t flags = 0;
  std::uint32_t size = 1;
  std::uint32_t arg_begin = 0;
  std::uint32_t arg_count = 0;
  std::uint32_t aux = 0;
};

/// A graph under construction. Operations whose arguments are all constant are folded at once
/// (the result is a Const node), so the graph only holds work that depends on parameters.
class Graph {
 public:
  NodeId input(std::uint32_t offset, std::uint32_t size);
  NodeId constant(std::span<const double> values);
  NodeId constant(double value) { return constant(std::span<const double>(&value, 1)); }

  NodeId unary(UnaryFn f, NodeId a);
  NodeId binary(BinaryFn f, NodeId a, NodeId b);
  NodeId select(NodeId c, NodeId a, NodeId b);
  NodeId sum(std::span<const NodeId> terms);
  NodeId element(NodeId a, std::uint32_t index);
  /// A vector whose element i is element `picks[i].second` of node `picks[i].first`.
  NodeId gather(std::span<const std::pair<NodeId, std::uint32_t>> picks);
  NodeId dist(Dist d, DistKind kind, bool propto, std::span<const NodeId> args);
  /// The elementwise log densities (a vector of the broadcast size) with the flags of a Dist
  /// node (dist_flags); no constant folding, no rewrites.
  NodeId dist_elems(Dist d, std::uint32_t flags, std::span<const NodeId> args);
  NodeId log_sum_exp(NodeId a);
  NodeId cumulative_sum(NodeId a);
  NodeId prod(NodeId a);
  /// The matrix product of `a` (m x k) and `b` (k x n), both row-major (graph/matrix.cpp).
  NodeId matmul(NodeId a, NodeId b, std::uint32_t m, std::uint32_t k, std::uint32_t n);
  /// The lower Cholesky factor of the n x n symmetric positive-definite `a` (graph/matrix.cpp).
  NodeId cholesky(NodeId a, std::uint32_t n);
  /// log |det a| of the n x n `a` (graph/matrix.cpp).
  NodeId log_determinant(NodeId a, std::uint32_t n);
  /// tril(l)^-1 b for the n x n `l` and the n x m `b` (graph/matrix.cpp).
  NodeId tri_solve(NodeId l, NodeId b, std::uint32_t n);
  void check(NodeId x, NodeId bound, bool lower);
  /// The outputs of `f` at its arguments (sizes summing to f->input_size()); computed at once
  /// when every argument is constant (throws std::domain_error when f fails there).
  NodeId external(std::shared_ptr<const External> f, std::span<const NodeId> args);
  const std::vector<std::shared_ptr<const External>>& externals() const { return externals_; }

  /// Whether dist() rewrites iid log densities of constant data with scalar parameters into
  /// nodes over sufficient statistics (NormalSuff, Suff). On by default; off gives the
  /// elementwise evaluation (for comparisons).
  void set_reduce(bool on) { reduce_ = on; }
  bool reduce() const { return reduce_; }

  /// Replaces argument `j` of node `n` by `a`, which must have the same value (a rewrite that
  /// computes it another way). `a` may be newer than `n`: the graph's ids are then no longer a
  /// topological order (ordered() false) and the tape sorts.
  void replace_arg(NodeId n, std::uint32_t j, NodeId a) {
    args_[nodes_[n].arg_begin + j] = a;
    if (a > n) ordered_ = false;
  }
  /// Whether every node's arguments are older nodes.
  bool ordered() const { return ordered_; }

  void set_target(NodeId t) { target_ = t; }
  NodeId target() const { return target_; }

  /// Stan's `profile("name") { ... }` regions: a node added while a region is open carries its
  /// tag (index in profiles() + 1; 0 outside every region). Opening a name seen before reopens
  /// its region; `parent` is the tag open when the region was first opened (nesting).
  struct ProfileRegion {
    std::string name;
    std::uint32_t parent = 0;
  };
  /// Opens the region `name` and returns the tag open before, for close_profile.
  std::uint32_t open_profile(const std::string& name);
  void close_profile(std::uint32_t previous) { profile_ = previous; }
  std::uint32_t profile_of(NodeId id) const {
    return id >= 0 && static_cast<std::size_t>(id) < profile_of_.size() ? profile_of_[id] : 0;
  }
  const std::vector<ProfileRegion>& profiles() const { return profiles_; }

  bool is_const(NodeId id) const { return nodes_[id].op == Op::Const; }
  std::uint32_t size(NodeId id) const { return nodes_[id].size; }
  /// Values of a Const node.
  std::span<const double> const_values(NodeId id) const;

  const std::vector<Node>& nodes() const { return nodes_; }
  std::span<const NodeId> args(const Node& n) const {
    return {args_.data() + n.arg_begin, n.arg_count};
  }
  const std::vector<double>& pool() const { return pool_; }
  const std::vector<std::uint32_t>& gather_table() const { return gather_; }
  const std::vector<NodeId>& checks() const { return checks_; }
  std::uint32_t num_inputs() const { return num_inputs_; }
  std::size_t num_nodes() const { return nodes_.size(); }

 private:
  NodeId add(Node n, std::span<const NodeId> args);
  bool all_const(std::span<const NodeId> args) const;
  // Whether `mu` is a + b * x (either order of either operation; a is kNoNode for b * x alone)
  // with a, b scalar and x a constant vector.
  bool match_linear(NodeId mu, NodeId& a, NodeId& b, NodeId& x) const;
  // The Suff rewrite of dist(d, Lpdf, ...) when it applies, else kNoNode.
  NodeId suff_dist(Dist d, bool propto, unsigned var, std::span<const NodeId> args);

  std::vector<Node> nodes_;
  std::vector<NodeId> args_;
  std::vector<double> pool_;
  std::vector<std::uint32_t> gather_;
  std::vector<NodeId> checks_;
  std::vector<std::shared_ptr<const External>> externals_;
  std::unordered_map<std::uint64_t, NodeId> element_cache_;
  NodeId target_ = kNoNode;
  std::vector<ProfileRegion> profiles_;
  std::vector<std::uint32_t> profile_of_;  // per node (grown once a region opens)
  std::uint32_t profile_ = 0;
  std::uint32_t num_inputs_ = 0;
  bool reduce_ = true;
  bool ordered_ = true;
};

/// Broadcast size of elementwise arguments: the common size, 1 if all are scalars; throws
/// std::invalid_argument when two non-scalar sizes differ.
std::uint32_t broadcast_size(const Graph& g, std::span<const NodeId> args);

}  // namespace mcmc::graph

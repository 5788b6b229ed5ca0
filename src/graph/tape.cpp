// Forward and reverse sweeps over the tape, for one chain or a batch of chains in lockstep.
#include "graph/tape.hpp"

#include "graph/matrix_kernels.hpp"
#include "graph/suff_stats.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace mcmc::graph {

Tape::Tape(const Graph& g) {
  std::vector<char> live(g.nodes().size(), 0);
  if (g.target() != kNoNode) live[g.target()] = 1;
  for (NodeId c : g.checks()) live[c] = 1;
  build(g, std::move(live));
  if (g.target() == kNoNode) {
    target_const_ = true;
  } else if (g.nodes()[g.target()].op == Op::Const) {
    target_const_ = true;
    target_value_ = g.const_values(g.target())[0];
  } else {
    target_slot_ = static_cast<std::uint32_t>(node_slot_[g.target()]);
  }
}

Tape::Tape(const Graph& g, std::span<const NodeId> roots) {
  std::vector<char> live(g.nodes().size(), 0);
  for (NodeId r : roots)
    if (r >= 0) live[r] = 1;
  build(g, std::move(live));
  target_const_ = true;
}

void Tape::build(const Graph& g, std::vector<char> live) {
  const auto& nodes = g.nodes();
  // The evaluation order: node ids while they are a topological order, else a depth-first
  // post-order from the live roots (after Graph::replace_arg).
  std::vector<NodeId> order;
  if (g.ordered()) {
    for (std::size_t i = nodes.size(); i-- > 0;) {
      if (!live[i]) continue;
      for (NodeId a : g.args(nodes[i])) live[a] = 1;
    }
    for (std::size_t i = 0; i < nodes.size(); ++i) order.push_back(static_cast<NodeId>(i));
  } else {
    std::vector<char> state(nodes.size(), 0);  // 1: on the stack, 2: done
    std::vector<std::pair<NodeId, std::uint32_t>> stack;
    for (std::size_t i = 0; i < nodes.size(); ++i)
      if (nodes[i].op == Op::Input) {
        state[i] = 2;
        order.push_back(static_cast<NodeId>(i));
      }
    for (std::size_t r = 0; r < nodes.size(); ++r) {
      if (!live[r] || state[r]) continue;
      stack.emplace_back(static_cast<NodeId>(r), 0);
      state[r] = 1;
      while (!stack.empty()) {
        auto& [id, next] = stack.back();
        auto args = g.args(nodes[id]);
        if (next < args.size()) {
          NodeId a = args[next++];
          if (state[a] == 0) {
            state[a] = 1;
            stack.emplace_back(a, 0);
          } else if (state[a] == 1) {
            throw std::logic_error("graph has a cycle");
          }
          continue;
        }
        state[id] = 2;
        live[id] = 1;
        order.push_back(id);
        stack.pop_back();
      }
    }
  }
  dim_ = g.num_inputs();
  pool_ = g.pool();
  gather_ = g.gather_table();
  externals_ = g.externals();
  std::vector<std::uint32_t> slot(nodes.size(), 0);
  for (NodeId i : order) {
    const Node& n = nodes[i];
    if (n.op == Op::Const) {
      slot[i] = n.aux;
      continue;
    }
    if (!live[i] && n.op != Op::Input) continue;
    if (n.op == Op::Element) {
      // No node of its own: readers of the element read (and accumulate into) its source's slot.
      slot[i] = slot[g.args(n)[0]] + n.aux;
      continue;
    }
    TNode t;
    t.node = n;
    t.out = static_cast<std::uint32_t>(slots_);
    slot[i] = t.out;
    slots_ += n.size;
    t.arg_begin = static_cast<std::uint32_t>(arg_slot_.size());
    for (NodeId a : g.args(n)) {
      bool c = nodes[a].op == Op::Const;
      arg_slot_.push_back(slot[a]);
      arg_size_.push_back(nodes[a].size);
      arg_const_.push_back(c ? 1 : 0);
    }
    if (n.op == Op::Dist || n.op == Op::DistElems) {
      t.scratch = static_cast<std::uint32_t>(scratch_);
      scratch_ += static_cast<std::size_t>(n.aux) * n.arg_count;
    } else if (n.op == Op::Suff) {
      t.scratch = static_cast<std::uint32_t>(scratch_);
      scratch_ += n.arg_count;
    } else if (n.op == Op::External) {  // the Jacobian, outputs x inputs
      t.scratch = static_cast<std::uint32_t>(scratch_);
      scratch_ += static_cast<std::size_t>(n.size) * externals_[n.aux]->input_size();
    }
    nodes_.push_back(t);
    if (!g.profiles().empty()) node_profile_.push_back(g.profile_of(i));
  }
  profiles_ = g.profiles();
  node_slot_.assign(nodes.size(), -1);
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].op != Op::Const && (live[i] || nodes[i].op == Op::Input)) node_slot_[i] = slot[i];
  fuse_scalar_runs();
}

void Tape::fuse_scalar_runs() {
  constexpr std::size_t kMinRun = 3;
  auto scalar_op = [&](const TNode& t) {
    const Node& n = t.node;
    if ((n.op != Op::Unary && n.op != Op::Binary) || n.size != 1) return false;
    for (std::uint32_t j = 0; j < n.arg_count; ++j)
      if (arg_size_[t.arg_begin + j] != 1) return false;
    return true;
  };
  // A run stays within one profile region.
  auto tag = [&](std::size_t i) { return node_profile_.empty() ? 0u : node_profile_[i]; };
  std::vector<TNode> out;
  std::vector<std::uint32_t> out_profile;
  out.reserve(nodes_.size());
  auto keep = [&](std::size_t i) {
    out.push_back(nodes_[i]);
    if (!node_profile_.empty()) out_profile.push_back(node_profile_[i]);
  };
  for (std::size_t i = 0; i < nodes_.size();) {
    std::size_t j = i;
    while (j < nodes_.size() && scalar_op(nodes_[j]) && tag(j) == tag(i)) ++j;
    if (j - i < kMinRun) {
      for (; i < j; ++i) keep(i);
      if (i < nodes_.size()) keep(i++);
      continue;
    }
    if (!node_profile_.empty()) out_profile.push_back(node_profile_[i]);
    TNode b;
    b.node.op = Op::ScalarBlock;
    b.node.size = 0;
    b.node.aux = static_cast<std::uint32_t>(prog_.size());
    b.node.arg_count = static_cast<std::uint32_t>(j - i);
    b.out = nodes_[i].out;
    for (; i < j; ++i) {
      const TNode& t = nodes_[i];
      SInstr in;
      in.binary = t.node.op == Op::Binary;
      in.fn = t.node.fn;
      in.a = arg_slot_[t.arg_begin];
      in.ca = arg_const_[t.arg_begin];
      if (in.binary) {
        in.b = arg_slot_[t.arg_begin + 1];
        in.cb = arg_const_[t.arg_begin + 1];
      }
      in.out = t.out;
      prog_.push_back(in);
    }
    out.push_back(b);
    ++num_blocks_;
  }
  nodes_ = std::move(out);
  node_profile_ = std::move(out_profile);
  for (std::size_t i = 0; i < node_profile_.size(); ++i) {
    const auto b = static_cast<std::uint32_t>(i);
    if (segments_.empty() || segments_.back().tag != node_profile_[i])
      segments_.push_back({b, b + 1, node_profile_[i]});
    else
      segments_.back().end = b + 1;
  }
}

std::vector<std::size_t> Tape::profile_nodes() const {
  std::vector<std::size_t> n(profiles_.size() + 1, 0);
  for (const Segment& s : segments_) n[s.tag] += s.end - s.begin;
  return n;
}

std::shared_ptr<ProfileSink> Tape::enable_profiling() const {
  if (!sink_) sink_ = std::make_shared<ProfileSink>();
  return sink_;
}

ProfileCounters* ProfileSink::add(std::size_t regions) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::thread::id me = std::this_thread::get_id();
  std::size_t t = 0;
  while (t < threads_.size() && threads_[t] != me) ++t;
  if (t == threads_.size()) threads_.push_back(me);
  ProfileCounters& c = counters_.emplace_back();
  c.thread = static_cast<std::uint32_t>(t);
  c.forward_s.assign(regions, 0.0);
  c.reverse_s.assign(regions, 0.0);
  c.autodiff_calls.assign(regions, 0);
  c.no_autodiff_calls.assign(regions, 0);
  return &c;
}

std::vector<ProfileCounters> ProfileSink::counters() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {counters_.begin(), counters_.end()};
}

// Chains per sweep: values, adjoints and partials of one chunk within about 128 KiB (a core's L2
// holds them with room to spare), at least 8 chains so the kernels still vectorize across chains.
std::size_t Evaluator::chunk_for(const Tape& tape, std::size_t batch) {
  const std::size_t per_chain = 8 * (2 * tape.num_slots() + tape.num_scratch()) + 1;
  std::size_t c = (std::size_t{128} << 10) / per_chain;
  c = std::max<std::size_t>(8, c - c % 8);
  return std::min(batch, c);
}

Evaluator::Evaluator(const Tape& tape, std::size_t batch)
    : tape_(&tape),
      batch_(batch),
      chunk_(batch == 0 ? 0 : chunk_for(tape, batch)),
      val_(tape.slots_ * chunk_),
      adj_(tape.slots_ * chunk_),
      scratch_(tape.scratch_ * chunk_),
      reject_(chunk_),
      tmp_(4 * chunk_) {
  if (batch == 0) throw std::invalid_argument("batch size 0");
  if (tape.sink_ && !tape.segments_.empty()) prof_ = tape.sink_->add(tape.profiles_.size() + 1);
}

// What every node's kernel reads besides its own arguments: constants, values and adjoints of
// K chains, broadcast rows, ScalarBlock instructions.
struct SweepMemory {
  const double* pool;
  double* val;
  double* adj;
  std::size_t K;
  double* tmp;  // 4 rows of K scratch doubles (broadcast constants)
  const Tape::SInstr* prog;
};

// The tape's arrays and an evaluator's memory, as one sweep over K chains sees them.
struct SweepArgs {
  SweepMemory mem;
  const Tape::TNode* nodes;
  std::size_t num_nodes;
  const std::uint32_t* slot;  // arguments of all nodes (TNode::arg_begin indexes them)
  const std::uint32_t* size;
  const std::uint8_t* cst;
  std::size_t dim;
  double* scratch;
  const std::uint32_t* gather;
  std::uint8_t* reject;
  const std::shared_ptr<const External>* externals;
};

namespace {


// One node's view of a sweep: its arguments' slots, sizes and constness, and the shared memory.
template <std::size_t KC>
struct Sweep : SweepMemory {
  Sweep(const Tape::TNode& node, const SweepArgs& a)
      : SweepMemory(a.mem), t(node), slot(a.slot + node.arg_begin), size(a.size + node.arg_begin),
        cst(a.cst + node.arg_begin) {}

  const Tape::TNode& t;
  const std::uint32_t* slot;
  const std::uint32_t* size;
  const std::uint8_t* cst;

  Arg arg(std::uint32_t j) const {
    if (cst[j]) return {pool + slot[j], nullptr, size[j] == 1 ? 0u : 1u, 0};
    std::size_t k = KC ? KC : K;
    return {val + slot[j] * k, adj + slot[j] * k, size[j] == 1 ? 0 : k, 1};
  }
  double* out() const { return val + t.out * (KC ? KC : K); }
  double* out_adj() const { return adj + t.out * (KC ? KC : K); }
};

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

// Row i of an argument across the K chains with unit stride: a variable's own row, or a
// constant broadcast into `tmp`. Kernels then loop over contiguous rows (and vectorize).
inline const double* row(const Arg& a, std::size_t i, std::size_t K, double* tmp) {
  if (a.ks) return a.v + i * a.es;
  double c = a.v[i * a.es];
  for (std::size_t k = 0; k < K; ++k) tmp[k] = c;
  return tmp;
}
// A variable argument's adjoint row (a scalar broadcast over elements accumulates into one row).
inline double* adj_row(const Arg& a, std::size_t i) { return a.a + i * a.es; }

// aa[k] += g[k] * s[k]
inline void axpy_row(std::size_t K, const double* __restrict g, const double* __restrict s,
                     double* __restrict aa) {
  for (std::size_t k = 0; k < K; ++k) aa[k] += g[k] * s[k];
}

template <class F>
inline void unary_row(std::size_t K, const double* __restrict x, double* __restrict o, F f) {
  for (std::size_t k = 0; k < K; ++k) o[k] = f(x[k]);
}

template <class F>
inline void unary_loop(std::size_t n, std::size_t K, const Arg& a, double* out, double* tmp, F f) {
  for (std::size_t i = 0; i < n; ++i) unary_row(K, row(a, i, K, tmp), out + i * K, f);
}

template <class F>
inline void binary_row(std::size_t K, const double* __restrict x, const double* __restrict y,
                       double* __restrict o, F f) {
  for (std::size_t k = 0; k < K; ++k) o[k] = f(x[k], y[k]);
}

template <class F>
inline void binary_loop(std::size_t n, std::size_t K, const Arg& a, const Arg& b, double* out,
                        double* tmp, F f) {
  for (std::size_t i = 0; i < n; ++i) binary_row(K, row(a, i, K, tmp), row(b, i, K, tmp + K), out + i * K, f);
}

// Reverse of an elementwise binary node: the partials (da, db) = df(x, y, r) per element.
template <class F>
inline void binary_reverse(std::size_t n, std::size_t K, const Arg& a, const Arg& b,
                           const double* out, const double* g, double* tmp, F df) {
  for (std::size_t i = 0; i < n; ++i) {
    const double* x = row(a, i, K, tmp);
    const double* y = row(b, i, K, tmp + K);
    const double* r = out + i * K;
    const double* gi = g + i * K;
    double* aa = a.a ? adj_row(a, i) : nullptr;
    double* bb = b.a ? adj_row(b, i) : nullptr;
    if (aa && bb) {
      for (std::size_t k = 0; k < K; ++k) {
        double da, db;
        df(x[k], y[k], r[k], da, db);
        aa[k] += gi[k] * da;
        bb[k] += gi[k] * db;
      }
    } else if (aa) {
      for (std::size_t k = 0; k < K; ++k) {
        double da, db;
        df(x[k], y[k], r[k], da, db);
        aa[k] += gi[k] * da;
      }
    } else if (bb) {
      for (std::size_t k = 0; k < K; ++k) {
        double da, db;
        df(x[k], y[k], r[k], da, db);
        bb[k] += gi[k] * db;
      }
    }
  }
}

template <class F>
inline void unary_reverse_row(std::size_t K, const double* __restrict x, const double* __restrict y,
                              const double* __restrict gi, double* __restrict aa, F d) {
  for (std::size_t k = 0; k < K; ++k) aa[k] += gi[k] * d(x[k], y[k]);
}

template <class F>
inline void unary_reverse(std::size_t n, std::size_t K, const Arg& a, const double* out,
                          const double* g, double* tmp, F d) {
  for (std::size_t i = 0; i < n; ++i)
    unary_reverse_row(K, row(a, i, K, tmp), out + i * K, g + i * K, adj_row(a, i), d);
}

constexpr double kHalfLog2Pi = 0.91893853320467274178;

// normal_lpdf(y | mu, sigma) summed over elements, with partials stored for the reverse sweep.
// A scalar sigma's log is taken once per chain, not once per element.
template <bool kLogSigma>
inline void normal_row(std::size_t K, const double* __restrict yr, const double* __restrict mr,
                       const double* __restrict sr, double* __restrict out, double* __restrict s0,
                       double* __restrict s1, double* __restrict s2) {
  for (std::size_t k = 0; k < K; ++k) {
    double sv = sr[k], inv = 1 / sv;
    double z = (yr[k] - mr[k]) * inv;
    double lp = -0.5 * z * z;
    if constexpr (kLogSigma) lp -= sv > 0 ? std::log(sv) : std::numeric_limits<double>::quiet_NaN();
    out[k] += lp;
    s0[k] = -z * inv;
    s1[k] = z * inv;
    s2[k] = (z * z - 1) * inv;
  }
}

inline void normal_forward(std::size_t m, std::size_t K, const Arg& y, const Arg& mu, const Arg& sg,
                           bool scalar_sigma, bool log_term, bool const_term, double* out, double* sc,
                           double* tmp) {
  for (std::size_t k = 0; k < K; ++k) out[k] = 0;
  for (std::size_t i = 0; i < m; ++i) {
    const double* yr = row(y, i, K, tmp);
    const double* mr = row(mu, i, K, tmp + K);
    const double* sr = row(sg, i, K, tmp + 2 * K);
    double* s0 = sc + (i * 3) * K;
    double* s1 = s0 + K;
    double* s2 = s1 + K;
    if (log_term && !scalar_sigma)
      normal_row<true>(K, yr, mr, sr, out, s0, s1, s2);
    else
      normal_row<false>(K, yr, mr, sr, out, s0, s1, s2);
  }
  for (std::size_t i = 0; i < (scalar_sigma ? 1 : m); ++i) {
    const double* sr = row(sg, i, K, tmp);
    for (std::size_t k = 0; k < K; ++k) {
      if (!(sr[k] > 0)) out[k] = std::numeric_limits<double>::quiet_NaN();
      else if (scalar_sigma && log_term) out[k] -= static_cast<double>(m) * std::log(sr[k]);
    }
  }
  if (const_term)
    for (std::size_t k = 0; k < K; ++k) out[k] -= static_cast<double>(m) * kHalfLog2Pi;
}

// The arithmetic of normal_forward element by element (DistElems: one value per element and
// chain); a scalar sigma's log is taken once per chain.
inline void normal_elems_forward(std::size_t m, std::size_t K, const Arg& y, const Arg& mu, const Arg& sg,
                                 bool scalar_sigma, bool log_term, bool const_term, double* out,
                                 double* sc, double* tmp) {
  double* lg = tmp + 3 * K;
  if (scalar_sigma && log_term) {
    const double* sr = row(sg, 0, K, tmp);
    for (std::size_t k = 0; k < K; ++k) lg[k] = sr[k] > 0 ? std::log(sr[k]) : 0.0;
  }
  for (std::size_t i = 0; i < m; ++i) {
    const double* yr = row(y, i, K, tmp);
    const double* mr = row(mu, i, K, tmp + K);
    const double* sr = row(sg, i, K, tmp + 2 * K);
    double* o = out + i * K;
    double* s0 = sc + (i * 3) * K;
    double* s1 = s0 + K;
    double* s2 = s1 + K;
    for (std::size_t k = 0; k < K; ++k) {
      double sv = sr[k], inv = 1 / sv;
      double z = (yr[k] - mr[k]) * inv;
      double lp = 0;
      lp += -0.5 * z * z;
      s0[k] = -z * inv;
      s1[k] = z * inv;
      s2[k] = (z * z - 1) * inv;
      if (!(sv > 0)) lp = std::numeric_limits<double>::quiet_NaN();
      else if (log_term) lp -= scalar_sigma ? lg[k] : std::log(sv);
      if (const_term) lp -= kHalfLog2Pi;
      o[k] = lp;
    }
  }
}

// One scalar operation of a ScalarBlock for chain k: the arithmetic of the Unary / Binary kernels.
inline double scalar_apply(const Tape::SInstr& in, double x, double y) {
  if (in.binary) {
    switch (static_cast<BinaryFn>(in.fn)) {
      case BinaryFn::Add: return x + y;
      case BinaryFn::Sub: return x - y;
      case BinaryFn::Mul: return x * y;
      case BinaryFn::Div: return x / y;
      default: return apply(static_cast<BinaryFn>(in.fn), x, y);
    }
  }
  switch (static_cast<UnaryFn>(in.fn)) {
    case UnaryFn::Neg: return -x;
    case UnaryFn::Exp: return std::exp(x);
    case UnaryFn::Log: return std::log(x);
    case UnaryFn::Square: return x * x;
    case UnaryFn::Sqrt: return std::sqrt(x);
    default: return apply(static_cast<UnaryFn>(in.fn), x);
  }
}

// Its partials (da, db) at x, y with result r, as the reverse kernels compute them.
inline void scalar_partials(const Tape::SInstr& in, double x, double y, double r, double& da, double& db) {
  if (in.binary) {
    switch (static_cast<BinaryFn>(in.fn)) {
      case BinaryFn::Add: da = 1; db = 1; return;
      case BinaryFn::Sub: da = 1; db = -1; return;
      case BinaryFn::Mul: da = y; db = x; return;
      case BinaryFn::Div: da = 1 / y; db = -r / y; return;
      default: partials(static_cast<BinaryFn>(in.fn), x, y, r, da, db); return;
    }
  }
  db = 0;
  switch (static_cast<UnaryFn>(in.fn)) {
    case UnaryFn::Neg: da = -1.0; return;
    case UnaryFn::Exp: da = r; return;
    case UnaryFn::Log: da = 1 / x; return;
    case UnaryFn::Square: da = 2 * x; return;
    case UnaryFn::Sqrt: da = 0.5 / r; return;  // as derivative()
    default: da = derivative(static_cast<UnaryFn>(in.fn), x, r); return;
  }
}

// An External node for K chains: its inputs gathered per chain, its outputs and Jacobian (in the
// scratch, element (i, j) of chain k at (i * inputs + j) * K + k) written back; a failed
// evaluation rejects the chain's point.
void external_forward(const External& f, const Tape::TNode& t, const SweepMemory& s, const std::uint32_t* slot,
                      const std::uint32_t* size, const std::uint8_t* cst, double* out, double* sc,
                      std::uint8_t* reject, std::size_t K) {
  const std::uint32_t m = f.output_size(), p = f.input_size();
  std::vector<double> in(p), o(m), jac(static_cast<std::size_t>(m) * p);
  for (std::size_t k = 0; k < K; ++k) {
    std::uint32_t at = 0;
    for (std::uint32_t j = 0; j < t.node.arg_count; ++j)
      for (std::uint32_t i = 0; i < size[j]; ++i)
        in[at++] = cst[j] ? s.pool[slot[j] + i] : s.val[(slot[j] + i) * K + k];
    if (!f.eval(in, o, jac.data(), nullptr)) {
      reject[k] = 1;
      std::fill(o.begin(), o.end(), std::numeric_limits<double>::quiet_NaN());
      std::fill(jac.begin(), jac.end(), 0.0);
    }
    for (std::uint32_t i = 0; i < m; ++i) out[i * K + k] = o[i];
    for (std::size_t e = 0; e < jac.size(); ++e) sc[e * K + k] = jac[e];
  }
}

// Its reverse: each variable input's adjoint gains the outputs' adjoints times the Jacobian.
void external_reverse(const External& f, const Tape::TNode& t, const SweepMemory& s, const std::uint32_t* slot,
                      const std::uint32_t* size, const std::uint8_t* cst, const double* g, const double* sc,
                      std::size_t K) {
  const std::uint32_t m = f.output_size(), p = f.input_size();
  std::uint32_t at = 0;
  for (std::uint32_t j = 0; j < t.node.arg_count; ++j) {
    if (cst[j]) {
      at += size[j];
      continue;
    }
    for (std::uint32_t i = 0; i < size[j]; ++i, ++at) {
      double* aa = s.adj + (slot[j] + i) * K;
      for (std::uint32_t r = 0; r < m; ++r) axpy_row(K, g + r * K, sc + (static_cast<std::size_t>(r) * p + at) * K, aa);
    }
  }
}

template <std::size_t KC>
void forward_node(const Tape::TNode& t, Sweep<KC>& s, const double* q, std::size_t dim,
                  double* scratch, const std::uint32_t* gather, std::uint8_t* reject,
                  const std::shared_ptr<const External>* externals) {
  const std::size_t K = KC ? KC : s.K;
  const Node& n = t.node;
  double* out = s.out();
  switch (n.op) {
    case Op::Input:
      for (std::size_t i = 0; i < n.size; ++i)
        for (std::size_t k = 0; k < K; ++k) out[i * K + k] = q[k * dim + n.aux + i];
      break;
    case Op::Const:
      break;
    case Op::Unary: {
      Arg a = s.arg(0);
      auto f = static_cast<UnaryFn>(n.fn);
      switch (f) {
        case UnaryFn::Neg: unary_loop(n.size, K, a, out, s.tmp, [](double x) { return -x; }); break;
        case UnaryFn::Exp: unary_loop(n.size, K, a, out, s.tmp, [](double x) { return std::exp(x); }); break;
        case UnaryFn::Log: unary_loop(n.size, K, a, out, s.tmp, [](double x) { return std::log(x); }); break;
        case UnaryFn::Square: unary_loop(n.size, K, a, out, s.tmp, [](double x) { return x * x; }); break;
        default: unary_loop(n.size, K, a, out, s.tmp, [f](double x) { return apply(f, x); }); break;
      }
      break;
    }
    case Op::Binary: {
      Arg a = s.arg(0), b = s.arg(1);
      auto f = static_cast<BinaryFn>(n.fn);
      switch (f) {
        case BinaryFn::Add: binary_loop(n.size, K, a, b, out, s.tmp, [](double x, double y) { return x + y; }); break;
        case BinaryFn::Sub: binary_loop(n.size, K, a, b, out, s.tmp, [](double x, double y) { return x - y; }); break;
        case BinaryFn::Mul: binary_loop(n.size, K, a, b, out, s.tmp, [](double x, double y) { return x * y; }); break;
        case BinaryFn::Div: binary_loop(n.size, K, a, b, out, s.tmp, [](double x, double y) { return x / y; }); break;
        default: binary_loop(n.size, K, a, b, out, s.tmp, [f](double x, double y) { return apply(f, x, y); }); break;
      }
      break;
    }
    case Op::Select: {
      Arg c = s.arg(0), a = s.arg(1), b = s.arg(2);
      for (std::size_t i = 0; i < n.size; ++i)
        for (std::size_t k = 0; k < K; ++k) out[i * K + k] = c(i, k) != 0 ? a(i, k) : b(i, k);
      break;
    }
    case Op::Sum: {
      for (std::size_t k = 0; k < K; ++k) out[k] = 0;
      for (std::uint32_t j = 0; j < n.arg_count; ++j) {
        Arg a = s.arg(j);
        std::size_t m = s.size[j];
        for (std::size_t i = 0; i < m; ++i) {
          const double* x = row(a, i, K, s.tmp);
          for (std::size_t k = 0; k < K; ++k) out[k] += x[k];
        }
      }
      break;
    }
    case Op::Element: {
      Arg a = s.arg(0);
      for (std::size_t k = 0; k < K; ++k) out[k] = a(n.aux, k);
      break;
    }
    case Op::Gather: {
      const std::uint32_t* g = gather + n.aux;
      for (std::size_t i = 0; i < n.size; ++i) {
        Arg a = s.arg(g[2 * i]);
        std::size_t idx = g[2 * i + 1];
        for (std::size_t k = 0; k < K; ++k) out[i * K + k] = a(idx, k);
      }
      break;
    }
    // A density summed over its elements (Dist: one value per chain) or elementwise (DistElems:
    // one value per element and chain); partials per element and argument for the reverse sweep.
    case Op::Dist:
    case Op::DistElems: {
      const bool elems = n.op == Op::DistElems;
      auto d = static_cast<Dist>(n.fn);
      auto kind = static_cast<DistKind>(n.flags & 3);
      bool propto = (n.flags & 4) != 0;
      unsigned var = n.flags >> 8;
      std::uint32_t na = n.arg_count, m = n.aux;
      Arg args[8];
      for (std::uint32_t j = 0; j < na; ++j) args[j] = s.arg(j);
      double* sc = scratch + static_cast<std::size_t>(t.scratch) * K;
      if (d == Dist::Normal && kind == DistKind::Lpdf) {
        const bool scalar_sigma = s.size[2] == 1, log_term = !propto || (var & 4), const_term = !propto;
        if (elems)
          normal_elems_forward(m, K, args[0], args[1], args[2], scalar_sigma, log_term, const_term, out, sc, s.tmp);
        else
          normal_forward(m, K, args[0], args[1], args[2], scalar_sigma, log_term, const_term, out, sc, s.tmp);
        break;
      }
      std::fill(out, out + (elems ? m : 1) * K, 0.0);
      double x[8], dd[8];
      for (std::size_t i = 0; i < m; ++i) {
        double* o = elems ? out + i * K : out;
        for (std::size_t k = 0; k < K; ++k) {
          for (std::uint32_t j = 0; j < na; ++j) x[j] = args[j](i, k);
          o[k] += dist_term(d, kind, x, dd, var, propto);
          for (std::uint32_t j = 0; j < na; ++j) sc[(i * na + j) * K + k] = dd[j];
        }
      }
      break;
    }
    case Op::NormalSuff: {
      Arg mu = s.arg(0), sigma = s.arg(1);
      const double* st = s.pool + n.aux;  // n, mean, m2, mean correction
      bool propto = (n.flags & 4) != 0;
      unsigned var = n.flags >> 8;
      for (std::size_t k = 0; k < K; ++k) {
        double m = mu(0, k), sg = sigma(0, k);
        if (!(sg > 0) || std::isnan(m)) {
          out[k] = std::numeric_limits<double>::quiet_NaN();
          continue;
        }
        double dm = (st[1] - m) + st[3];
        double ss = st[2] + st[0] * dm * dm;
        double lp = -0.5 * ss / (sg * sg);
        if (!propto || (var & 2)) lp -= st[0] * std::log(sg);
        if (!propto) lp -= st[0] * 0.91893853320467274178;
        out[k] = lp;
      }
      break;
    }
    case Op::Suff: {
      auto d = static_cast<Dist>(n.fn);
      bool propto = (n.flags & 4) != 0;
      unsigned var = n.flags >> 8;
      std::uint32_t na = n.arg_count;
      const double* st = s.pool + n.aux;
      double* sc = scratch + static_cast<std::size_t>(t.scratch) * K;
      Arg args[4];
      for (std::uint32_t j = 0; j < na; ++j) args[j] = s.arg(j);
      double x[4] = {}, dd[4] = {};
      for (std::size_t k = 0; k < K; ++k) {
        for (std::uint32_t j = 0; j < na; ++j) x[j] = args[j](0, k);
        out[k] = suff_lpdf(d, st, x, dd, var, propto);
        for (std::uint32_t j = 0; j < na; ++j) sc[j * K + k] = dd[j];
      }
      break;
    }
    case Op::LogSumExp: {
      Arg a = s.arg(0);
      std::size_t m = s.size[0];
      for (std::size_t k = 0; k < K; ++k) {
        double mx = kNegInf;
        for (std::size_t i = 0; i < m; ++i) mx = std::max(mx, a(i, k));
        if (!std::isfinite(mx)) {
          out[k] = mx;
          continue;
        }
        double sum = 0;
        for (std::size_t i = 0; i < m; ++i) sum += std::exp(a(i, k) - mx);
        out[k] = mx + std::log(sum);
      }
      break;
    }
    case Op::CumSum: {
      Arg a = s.arg(0);
      for (std::size_t k = 0; k < K; ++k) {
        double acc = 0;
        for (std::size_t i = 0; i < n.size; ++i) out[i * K + k] = acc += a(i, k);
      }
      break;
    }
    case Op::Prod: {
      Arg a = s.arg(0);
      for (std::size_t k = 0; k < K; ++k) {
        double p = 1;
        for (std::size_t i = 0; i < s.size[0]; ++i) p *= a(i, k);
        out[k] = p;
      }
      break;
    }
    case Op::MatMul: {
      std::size_t k = n.flags, m = s.size[0] / k;
      matmul_forward(s.arg(0), s.arg(1), out, m, k, n.size / m, K);
      break;
    }
    case Op::Cholesky:
      cholesky_forward(s.arg(0), out, n.flags, K, reject);
      break;
    case Op::LogDet:
      logdet_forward(s.arg(0), out, n.flags, K, reject);
      break;
    case Op::TriSolve:
      trisolve_forward(s.arg(0), s.arg(1), out, n.flags, n.size / n.flags, K, reject);
      break;
    case Op::ScalarBlock: {
      const Tape::SInstr* p = s.prog + n.aux;
      for (std::uint32_t j = 0; j < n.arg_count; ++j) {
        const Tape::SInstr& in = p[j];
        const double* x = in.ca ? s.pool + in.a : s.val + in.a * K;
        const double* y = in.cb ? s.pool + in.b : s.val + in.b * K;
        std::size_t xs = in.ca ? 0 : 1, ys = in.cb ? 0 : 1;
        double* o = s.val + in.out * K;
        for (std::size_t k = 0; k < K; ++k) o[k] = scalar_apply(in, x[k * xs], y[k * ys]);
      }
      break;
    }
    case Op::External:
      external_forward(*externals[n.aux], t, s, s.slot, s.size, s.cst, out,
                       scratch + static_cast<std::size_t>(t.scratch) * K, reject, K);
      break;
    case Op::Check: {
      Arg x = s.arg(0), b = s.arg(1);
      bool lower = (n.flags & kCheckLower) != 0;
      std::size_t m = std::max(s.size[0], s.size[1]);
      for (std::size_t i = 0; i < m; ++i)
        for (std::size_t k = 0; k < K; ++k) {
          double xv = x(i, k), bv = b(i, k);
          if (lower ? !(xv >= bv) : !(xv <= bv)) reject[k] = 1;
        }
      break;
    }
  }
}

template <std::size_t KC>
void reverse_node(const Tape::TNode& t, Sweep<KC>& s, double* grad, std::size_t dim,
                  const double* scratch, const std::uint32_t* gather,
                  const std::shared_ptr<const External>* externals) {
  const std::size_t K = KC ? KC : s.K;
  const Node& n = t.node;
  const double* out = s.out();
  const double* g = s.out_adj();
  switch (n.op) {
    case Op::Input:
      for (std::size_t i = 0; i < n.size; ++i)
        for (std::size_t k = 0; k < K; ++k) grad[k * dim + n.aux + i] = g[i * K + k];
      break;
    case Op::ScalarBlock: {
      const Tape::SInstr* p = s.prog + n.aux;
      for (std::uint32_t j = n.arg_count; j-- > 0;) {
        const Tape::SInstr& in = p[j];
        const double* x = in.ca ? s.pool + in.a : s.val + in.a * K;
        const double* y = in.cb ? s.pool + in.b : s.val + in.b * K;
        std::size_t xs = in.ca ? 0 : 1, ys = in.cb ? 0 : 1;
        const double* r = s.val + in.out * K;
        const double* gi = s.adj + in.out * K;
        double* aa = in.ca ? nullptr : s.adj + in.a * K;
        double* bb = (in.cb || !in.binary) ? nullptr : s.adj + in.b * K;
        for (std::size_t k = 0; k < K; ++k) {
          double da, db;
          scalar_partials(in, x[k * xs], y[k * ys], r[k], da, db);
          if (aa) aa[k] += gi[k] * da;
          if (bb) bb[k] += gi[k] * db;
        }
      }
      break;
    }
    case Op::Const:
    case Op::Check:
      break;
    case Op::External:
      external_reverse(*externals[n.aux], t, s, s.slot, s.size, s.cst, g,
                       scratch + static_cast<std::size_t>(t.scratch) * K, K);
      break;
    case Op::Unary: {
      Arg a = s.arg(0);
      if (!a.a) break;
      auto f = static_cast<UnaryFn>(n.fn);
      switch (f) {
        case UnaryFn::Neg: unary_reverse(n.size, K, a, out, g, s.tmp, [](double, double) { return -1.0; }); break;
        case UnaryFn::Exp: unary_reverse(n.size, K, a, out, g, s.tmp, [](double, double y) { return y; }); break;
        case UnaryFn::Log: unary_reverse(n.size, K, a, out, g, s.tmp, [](double x, double) { return 1 / x; }); break;
        case UnaryFn::Square: unary_reverse(n.size, K, a, out, g, s.tmp, [](double x, double) { return 2 * x; }); break;
        default: unary_reverse(n.size, K, a, out, g, s.tmp, [f](double x, double y) { return derivative(f, x, y); }); break;
      }
      break;
    }
    case Op::Binary: {
      Arg a = s.arg(0), b = s.arg(1);
      auto f = static_cast<BinaryFn>(n.fn);
      switch (f) {
        case BinaryFn::Add:
          binary_reverse(n.size, K, a, b, out, g, s.tmp, [](double, double, double, double& da, double& db) { da = 1; db = 1; });
          break;
        case BinaryFn::Sub:
          binary_reverse(n.size, K, a, b, out, g, s.tmp, [](double, double, double, double& da, double& db) { da = 1; db = -1; });
          break;
        case BinaryFn::Mul:
          binary_reverse(n.size, K, a, b, out, g, s.tmp, [](double x, double y, double, double& da, double& db) { da = y; db = x; });
          break;
        case BinaryFn::Div:
          binary_reverse(n.size, K, a, b, out, g, s.tmp, [](double, double y, double r, double& da, double& db) { da = 1 / y; db = -r / y; });
          break;
        default:
          binary_reverse(n.size, K, a, b, out, g, s.tmp, [f](double x, double y, double r, double& da, double& db) { partials(f, x, y, r, da, db); });
          break;
      }
      break;
    }
    case Op::Select: {
      Arg c = s.arg(0), a = s.arg(1), b = s.arg(2);
      for (std::size_t i = 0; i < n.size; ++i)
        for (std::size_t k = 0; k < K; ++k) {
          double gi = g[i * K + k];
          if (c(i, k) != 0) {
            if (a.a) a.adj(i, k) += gi;
          } else if (b.a) {
            b.adj(i, k) += gi;
          }
        }
      break;
    }
    case Op::Sum: {
      for (std::uint32_t j = 0; j < n.arg_count; ++j) {
        Arg a = s.arg(j);
        if (!a.a) continue;
        for (std::size_t i = 0; i < s.size[j]; ++i) {
          double* aa = adj_row(a, i);
          for (std::size_t k = 0; k < K; ++k) aa[k] += g[k];
        }
      }
      break;
    }
    case Op::Element: {
      Arg a = s.arg(0);
      for (std::size_t k = 0; k < K; ++k) a.adj(n.aux, k) += g[k];
      break;
    }
    case Op::Gather: {
      const std::uint32_t* gt = gather + n.aux;
      for (std::size_t i = 0; i < n.size; ++i) {
        Arg a = s.arg(gt[2 * i]);
        if (!a.a) continue;
        std::size_t idx = gt[2 * i + 1];
        for (std::size_t k = 0; k < K; ++k) a.adj(idx, k) += g[i * K + k];
      }
      break;
    }
    case Op::Dist:
    case Op::DistElems: {  // Dist: one adjoint row for all elements; DistElems: one per element
      const std::size_t g_stride = n.op == Op::DistElems ? K : 0;
      std::uint32_t na = n.arg_count, m = n.aux;
      const double* sc = scratch + static_cast<std::size_t>(t.scratch) * K;
      for (std::uint32_t j = 0; j < na; ++j) {
        Arg a = s.arg(j);
        if (!a.a) continue;
        for (std::size_t i = 0; i < m; ++i) axpy_row(K, g + i * g_stride, sc + (i * na + j) * K, adj_row(a, i));
      }
      break;
    }
    case Op::NormalSuff: {
      Arg mu = s.arg(0), sigma = s.arg(1);
      const double* st = s.pool + n.aux;
      for (std::size_t k = 0; k < K; ++k) {
        double m = mu(0, k), sg = sigma(0, k);
        double dm = (st[1] - m) + st[3], s2 = sg * sg;
        double ss = st[2] + st[0] * dm * dm;
        if (mu.a) mu.adj(0, k) += g[k] * (st[0] * dm / s2);
        if (sigma.a) sigma.adj(0, k) += g[k] * (-st[0] / sg + ss / (s2 * sg));
      }
      break;
    }
    case Op::Suff: {
      const double* sc = scratch + static_cast<std::size_t>(t.scratch) * K;
      for (std::uint32_t j = 0; j < n.arg_count; ++j) {
        Arg a = s.arg(j);
        if (a.a) axpy_row(K, g, sc + j * K, adj_row(a, 0));
      }
      break;
    }
    case Op::LogSumExp: {
      Arg a = s.arg(0);
      if (!a.a) break;
      for (std::size_t i = 0; i < s.size[0]; ++i)
        for (std::size_t k = 0; k < K; ++k) a.adj(i, k) += g[k] * std::exp(a(i, k) - out[k]);
      break;
    }
    case Op::MatMul: {
      std::size_t k = n.flags, m = s.size[0] / k;
      matmul_reverse(s.arg(0), s.arg(1), g, m, k, n.size / m, K);
      break;
    }
    case Op::Cholesky:
      cholesky_reverse(s.arg(0), out, g, n.flags, K);
      break;
    case Op::LogDet:
      logdet_reverse(s.arg(0), g, n.flags, K);
      break;
    case Op::TriSolve:
      trisolve_reverse(s.arg(0), s.arg(1), out, g, n.flags, n.size / n.flags, K);
      break;
    case Op::CumSum: {
      Arg a = s.arg(0);
      if (!a.a) break;
      for (std::size_t k = 0; k < K; ++k) {
        double acc = 0;
        for (std::size_t i = n.size; i-- > 0;) {
          acc += g[i * K + k];
          a.adj(i, k) += acc;
        }
      }
      break;
    }
    case Op::Prod: {
      Arg a = s.arg(0);
      if (!a.a) break;
      for (std::size_t i = 0; i < s.size[0]; ++i)
        for (std::size_t k = 0; k < K; ++k) {
          double p = 1;  // product of the others (exact when an element is zero)
          for (std::size_t j = 0; j < s.size[0]; ++j)
            if (j != i) p *= a(j, k);
          a.adj(i, k) += g[k] * p;
        }
      break;
    }
  }
}

template <std::size_t KC>
void run_forward(const SweepArgs& a, const double* q) {
  for (std::size_t i = 0; i < a.num_nodes; ++i) {
    const auto& t = a.nodes[i];
    Sweep<KC> s(t, a);
    forward_node<KC>(t, s, q, a.dim, a.scratch, a.gather, a.reject, a.externals);
  }
}

template <std::size_t KC>
void run_reverse(const SweepArgs& a, double* grad) {
  for (std::size_t i = a.num_nodes; i-- > 0;) {
    const auto& t = a.nodes[i];
    Sweep<KC> s(t, a);
    reverse_node<KC>(t, s, grad, a.dim, a.scratch, a.gather, a.externals);
  }
}

// Batched sweeps (K > 1) loop across chains in their inner loops, so wider vectors pay: with GCC
// on x86-64 they are compiled three times, for AVX-512F, AVX2 and baseline x86-64 (SSE2), and the
// loader picks one for the machine. The build has -ffp-contract=off (no FMA) and nothing
// reassociates, so all three give bit-identical results.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define MCMC_BATCH_CLONES __attribute__((flatten, target_clones("avx512f", "avx2", "default")))
#else
#define MCMC_BATCH_CLONES
#endif

MCMC_BATCH_CLONES void forward_batch(const SweepArgs& a, const double* q) { run_forward<0>(a, q); }
MCMC_BATCH_CLONES void reverse_batch(const SweepArgs& a, double* grad) { run_reverse<0>(a, grad); }

}  // namespace

SweepArgs Evaluator::sweep_args(std::size_t K) {
  const Tape& tp = *tape_;
  return {{tp.pool_.data(), val_.data(), adj_.data(), K, tmp_.data(), tp.prog_.data()},
          tp.nodes_.data(), tp.nodes_.size(), tp.arg_slot_.data(), tp.arg_size_.data(),
          tp.arg_const_.data(), tp.dim_, scratch_.data(), tp.gather_.data(), reject_.data(),
          tp.externals_.data()};
}

namespace {
double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

void Evaluator::forward(const double* q, std::size_t K) {
  std::fill(reject_.begin(), reject_.begin() + static_cast<std::ptrdiff_t>(K), 0);
  const SweepArgs a = sweep_args(K);
  if (prof_) {  // region by region, each run of nodes timed
    for (const Tape::Segment& seg : tape_->segments_) {
      SweepArgs r = a;
      r.nodes += seg.begin;
      r.num_nodes = seg.end - seg.begin;
      const auto t0 = std::chrono::steady_clock::now();
      if (K == 1)
        run_forward<1>(r, q);
      else
        forward_batch(r, q);
      prof_->forward_s[seg.tag] += seconds_since(t0);
    }
    return;
  }
  if (K == 1)
    run_forward<1>(a, q);
  else
    forward_batch(a, q);
}

void Evaluator::forward_only(const double* q) {
  if (batch_ > chunk_) throw std::logic_error("Evaluator::forward_only: batch larger than one chunk");
  forward(q, batch_);
}

void Evaluator::reverse(double* grad, std::size_t K) {
  const Tape& tp = *tape_;
  std::fill(adj_.begin(), adj_.begin() + static_cast<std::ptrdiff_t>(tp.slots_ * K), 0.0);
  std::fill(grad, grad + K * tp.dim_, 0.0);
  if (tp.target_const_) return;
  for (std::size_t k = 0; k < K; ++k) adj_[tp.target_slot_ * K + k] = 1;
  const SweepArgs a = sweep_args(K);
  if (prof_) {
    for (std::size_t i = tp.segments_.size(); i-- > 0;) {
      const Tape::Segment& seg = tp.segments_[i];
      SweepArgs r = a;
      r.nodes += seg.begin;
      r.num_nodes = seg.end - seg.begin;
      const auto t0 = std::chrono::steady_clock::now();
      if (K == 1)
        run_reverse<1>(r, grad);
      else
        reverse_batch(r, grad);
      prof_->reverse_s[seg.tag] += seconds_since(t0);
    }
    return;
  }
  if (K == 1)
    run_reverse<1>(a, grad);
  else
    reverse_batch(a, grad);
}

void Evaluator::chunk_logp(const double* q, double* lp, std::size_t K) {
  forward(q, K);
  const Tape& tp = *tape_;
  for (std::size_t k = 0; k < K; ++k) {
    double v = tp.target_const_ ? tp.target_value_ : val_[tp.target_slot_ * K + k];
    lp[k] = reject_[k] ? kNegInf : v;
  }
}

void Evaluator::logp(const double* q, double* lp) {
  const std::size_t d = tape_->dim_;
  for (std::size_t k0 = 0; k0 < batch_; k0 += chunk_) {
    const std::size_t K = std::min(chunk_, batch_ - k0);
    chunk_logp(q + k0 * d, lp + k0, K);
    if (prof_)
      for (auto& c : prof_->no_autodiff_calls) c += K;
  }
}

void Evaluator::logp_grad(const double* q, double* lp, double* grad) {
  const std::size_t d = tape_->dim_;
  for (std::size_t k0 = 0; k0 < batch_; k0 += chunk_) {
    const std::size_t K = std::min(chunk_, batch_ - k0);
    chunk_logp(q + k0 * d, lp + k0, K);
    double* g = grad + k0 * d;
    reverse(g, K);
    if (prof_)
      for (auto& c : prof_->autodiff_calls) c += K;
    for (std::size_t k = 0; k < K; ++k)
      if (reject_[k]) std::fill(g + k * d, g + (k + 1) * d, 0.0);
  }
}

void Evaluator::reverse_seeded(NodeId id, std::span<const double> seed, double* grad) {
  const Tape& tp = *tape_;
  if (batch_ != 1) throw std::logic_error("Evaluator::reverse_seeded needs batch 1");
  std::fill(adj_.begin(), adj_.begin() + static_cast<std::ptrdiff_t>(tp.slots_), 0.0);
  std::fill(grad, grad + tp.dim_, 0.0);
  const std::int64_t at = tp.slot(id);
  if (at < 0) return;  // a constant node
  for (std::size_t i = 0; i < seed.size(); ++i) adj_[static_cast<std::size_t>(at) + i] = seed[i];
  run_reverse<1>(sweep_args(1), grad);
}

double Evaluator::logp_grad(std::span<const double> q, std::span<double> grad) {
  if (batch_ != 1) throw std::logic_error("logp_grad(span) needs batch 1");
  double lp;
  logp_grad(q.data(), &lp, grad.data());
  return lp;
}

}  // namespace mcmc::graph

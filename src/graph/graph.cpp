// Building the graph: node creation, constant folding, and the sufficient-statistics rewrite.
#include "graph/graph.hpp"
#include "graph/normal_regression_suff.hpp"

#include "graph/suff_stats.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace mcmc::graph {

std::uint32_t broadcast_size(const Graph& g, std::span<const NodeId> args) {
  std::uint32_t n = 1;
  bool seen = false;
  for (NodeId a : args) {
    std::uint32_t s = g.size(a);
    if (s == 1) continue;
    if (seen && s != n) throw std::invalid_argument("size mismatch: " + std::to_string(n) + " vs " + std::to_string(s));
    n = s;
    seen = true;
  }
  return n;
}

NodeId Graph::add(Node n, std::span<const NodeId> args) {
  n.arg_begin = static_cast<std::uint32_t>(args_.size());
  n.arg_count = static_cast<std::uint32_t>(args.size());
  args_.insert(args_.end(), args.begin(), args.end());
  nodes_.push_back(n);
  if (profile_ != 0 || !profile_of_.empty()) {
    profile_of_.resize(nodes_.size() - 1, 0);
    profile_of_.push_back(profile_);
  }
  return static_cast<NodeId>(nodes_.size() - 1);
}

std::uint32_t Graph::open_profile(const std::string& name) {
  const std::uint32_t previous = profile_;
  std::size_t r = 0;
  while (r < profiles_.size() && profiles_[r].name != name) ++r;
  if (r == profiles_.size()) profiles_.push_back({name, previous});
  profile_ = static_cast<std::uint32_t>(r + 1);
  return previous;
}

bool Graph::all_const(std::span<const NodeId> args) const {
  for (NodeId a : args)
    if (!is_const(a)) return false;
  return true;
}

std::span<const double> Graph::const_values(NodeId id) const {
  const Node& n = nodes_[id];
  return {pool_.data() + n.aux, n.size};
}

NodeId Graph::input(std::uint32_t offset, std::uint32_t size) {
  Node n;
  n.op = Op::Input;
  n.aux = offset;
  n.size = size;
  num_inputs_ = std::max(num_inputs_, offset + size);
  return add(n, {});
}

NodeId Graph::constant(std::span<const double> values) {
  Node n;
  n.op = Op::Const;
  n.aux = static_cast<std::uint32_t>(pool_.size());
  n.size = static_cast<std::uint32_t>(values.size());
  pool_.insert(pool_.end(), values.begin(), values.end());
  return add(n, {});
}

namespace {
inline double at(std::span<const double> v, std::uint32_t i) { return v.size() == 1 ? v[0] : v[i]; }
}  // namespace

NodeId Graph::unary(UnaryFn f, NodeId a) {
  if (is_const(a)) {
    std::vector<double> out(size(a));
    auto v = const_values(a);
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = apply(f, v[i]);
    return constant(out);
  }
  Node n;
  n.op = Op::Unary;
  n.fn = static_cast<std::uint16_t>(f);
  n.size = size(a);
  NodeId args[] = {a};
  return add(n, args);
}

NodeId Graph::binary(BinaryFn f, NodeId a, NodeId b) {
  NodeId args[] = {a, b};
  std::uint32_t sz = broadcast_size(*this, args);
  if (all_const(args)) {
    std::vector<double> out(sz);
    auto va = const_values(a), vb = const_values(b);
    for (std::uint32_t i = 0; i < sz; ++i) out[i] = apply(f, at(va, i), at(vb, i));
    return constant(out);
  }
  Node n;
  n.op = Op::Binary;
  n.fn = static_cast<std::uint16_t>(f);
  n.size = sz;
  return add(n, args);
}

NodeId Graph::select(NodeId c, NodeId a, NodeId b) {
  NodeId args[] = {c, a, b};
  std::uint32_t sz = broadcast_size(*this, args);
  if (is_const(c)) {
    auto vc = const_values(c);
    bool uniform = true;
    for (double x : vc) uniform = uniform && ((x != 0) == (vc[0] != 0));
    if (uniform && size(a) == size(b)) return vc[0] != 0 ? a : b;
  }
  if (all_const(args)) {
    std::vector<double> out(sz);
    auto vc = const_values(c), va = const_values(a), vb = const_values(b);
    for (std::uint32_t i = 0; i < sz; ++i) out[i] = at(vc, i) != 0 ? at(va, i) : at(vb, i);
    return constant(out);
  }
  Node n;
  n.op = Op::Select;
  n.size = sz;
  return add(n, args);
}

NodeId Graph::sum(std::span<const NodeId> terms) {
  double folded = 0;
  std::vector<NodeId> vars;
  for (NodeId t : terms) {
    if (is_const(t)) {
      for (double x : const_values(t)) folded += x;
    } else {
      vars.push_back(t);
    }
  }
  if (vars.empty()) return constant(folded);
  if (folded != 0) vars.push_back(constant(folded));
  if (vars.size() == 1 && size(vars[0]) == 1) return vars[0];
  Node n;
  n.op = Op::Sum;
  n.size = 1;
  return add(n, vars);
}

NodeId Graph::element(NodeId a, std::uint32_t index) {
  if (is_const(a)) return constant(const_values(a)[index]);
  if (size(a) == 1) return a;
  std::uint64_t key = (static_cast<std::uint64_t>(a) << 32) | index;
  auto it = element_cache_.find(key);
  if (it != element_cache_.end()) return it->second;
  Node n;
  n.op = Op::Element;
  n.aux = index;
  n.size = 1;
  NodeId args[] = {a};
  NodeId id = add(n, args);
  element_cache_.emplace(key, id);
  return id;
}

NodeId Graph::gather(std::span<const std::pair<NodeId, std::uint32_t>> picks) {
  // Whole node in order: no gather needed.
  if (!picks.empty()) {
    NodeId first = picks[0].first;
    bool whole = size(first) == picks.size();
    for (std::size_t i = 0; whole && i < picks.size(); ++i)
      whole = picks[i].first == first && picks[i].second == i;
    if (whole) return first;
  }
  bool consts = true;
  for (auto& p : picks) consts = consts && is_const(p.first);
  if (consts) {
    std::vector<double> out;
    out.reserve(picks.size());
    for (auto& p : picks) out.push_back(const_values(p.first)[p.second]);
    return constant(out);
  }
  std::vector<NodeId> sources;
  Node n;
  n.op = Op::Gather;
  n.size = static_cast<std::uint32_t>(picks.size());
  n.aux = static_cast<std::uint32_t>(gather_.size());
  for (auto& p : picks) {
    std::uint32_t slot = 0;
    while (slot < sources.size() && sources[slot] != p.first) ++slot;
    if (slot == sources.size()) sources.push_back(p.first);
    gather_.push_back(slot);
    gather_.push_back(p.second);
  }
  return add(n, sources);
}

NodeId Graph::dist(Dist d, DistKind kind, bool propto, std::span<const NodeId> args) {
  std::uint32_t sz = broadcast_size(*this, args);
  unsigned var = 0;
  for (std::size_t j = 0; j < args.size(); ++j)
    if (!is_const(args[j])) var |= 1u << j;
  if (var == 0 || sz == 0) {
    if (propto && kind == DistKind::Lpdf) return constant(0.0);
    double lp = 0, x[8], dd[8];
    for (std::uint32_t i = 0; i < sz; ++i) {
      for (std::size_t j = 0; j < args.size(); ++j) x[j] = at(const_values(args[j]), i);
      lp += dist_term(d, kind, x, dd, 0, propto);
    }
    return constant(lp);
  }
  // normal(y | mu, sigma) with constant vector y and scalar parameters: sufficient statistics.
  if (reduce_ && d == Dist::Normal && kind == DistKind::Lpdf && is_const(args[0]) && size(args[0]) > 1 &&
      size(args[1]) == 1 && size(args[2]) == 1) {
    auto y = const_values(args[0]);
    double n = static_cast<double>(y.size()), mean = 0, lo = 0, m2 = 0;
    bool finite = true;
    for (double v : y) {
      mean += v;
      finite = finite && std::isfinite(v);
    }
    mean /= n;
    // The mean as mean + lo: lo recovers the rounding error of mean, so that mean - mu stays
    // accurate when the data have a large mean and a small spread.
    for (double v : y) lo += v - mean;
    lo /= n;
    for (double v : y) m2 += ((v - mean) - lo) * ((v - mean) - lo);
    if (finite) {
      double stats[] = {n, mean, m2, lo};
      NodeId s = constant(stats);
      Node nd;
      nd.op = Op::NormalSuff;
      nd.flags = dist_flags(kind, propto, var >> 1);
      nd.aux = nodes_[s].aux;
      nd.size = 1;
      NodeId a2[] = {args[1], args[2]};
      return add(nd, a2);
    }
  }
  // normal(y | a + b * x, sigma) with constant vectors y, x and scalar a, b, sigma: the
  // statistics of a simple linear regression.
  if (reduce_ && d == Dist::Normal && kind == DistKind::Lpdf && is_const(args[0]) && size(args[0]) > 1 &&
      !is_const(args[1]) && size(args[1]) == size(args[0]) && size(args[2]) == 1) {
    NodeId a = kNoNode, b = kNoNode, x = kNoNode;
    std::vector<double> stats;
    if (match_linear(args[1], a, b, x) && normal_linear_stats(const_values(args[0]), const_values(x), stats)) {
      if (a == kNoNode) a = constant(0.0);
      NodeId s = constant(stats);
      Node nd;
      nd.op = Op::Suff;
      nd.fn = static_cast<std::uint16_t>(Dist::Normal);
      nd.flags = dist_flags(kind, propto, 2u | (is_const(args[2]) ? 0u : 4u));
      nd.aux = nodes_[s].aux;
      nd.size = 1;
      NodeId a3[] = {a, b, args[2]};
      return add(nd, a3);
    }
  }
  // normal(y | X * beta + alpha, sigma) with constant y and X (and normal_id_glm): statistics
  // of a multiple regression (graph/normal_regression_suff.hpp).
  if (reduce_ && d == Dist::Normal && kind == DistKind::Lpdf && args.size() == 3)
    if (NodeId r = normal_regression_suff(*this, args[0], args[1], args[2], propto); r != kNoNode) return r;
  // Other iid families of constant data with scalar parameters: sufficient statistics.
  if (reduce_ && kind == DistKind::Lpdf && static_cast<int>(args.size()) == dist_info(d).num_args) {
    if (NodeId r = suff_dist(d, propto, var, args); r != kNoNode) return r;
  }
  Node n;
  n.op = Op::Dist;
  n.fn = static_cast<std::uint16_t>(d);
  n.flags = dist_flags(kind, propto, var);
  n.size = 1;
  n.aux = sz;  // number of elements
  return add(n, args);
}

bool Graph::match_linear(NodeId mu, NodeId& a, NodeId& b, NodeId& x) const {
  // b * x or x * b with b scalar and x constant of the product's size.
  auto scaled_data = [&](NodeId id) {
    const Node& m = nodes_[id];
    if (m.op != Op::Binary || m.fn != static_cast<std::uint16_t>(BinaryFn::Mul)) return false;
    auto ar = args(m);
    for (int k = 0; k < 2; ++k) {
      NodeId s = ar[k], v = ar[1 - k];
      if (size(s) == 1 && is_const(v) && size(v) == m.size) {
        b = s;
        x = v;
        return true;
      }
    }
    return false;
  };
  if (scaled_data(mu)) {
    a = kNoNode;  // no intercept
    return true;
  }
  const Node& n = nodes_[mu];
  if (n.op != Op::Binary || n.fn != static_cast<std::uint16_t>(BinaryFn::Add)) return false;
  auto ar = args(n);
  for (int k = 0; k < 2; ++k) {
    if (size(ar[k]) == 1 && scaled_data(ar[1 - k])) {
      a = ar[k];
      return true;
    }
  }
  return false;
}

NodeId Graph::suff_dist(Dist d, bool propto, unsigned var, std::span<const NodeId> args) {
  const int first = suff_first_param(d);
  if (first == 0 || size(args[0]) <= 1) return kNoNode;
  for (int j = 0; j < first; ++j)
    if (!is_const(args[j])) return kNoNode;
  for (std::size_t j = static_cast<std::size_t>(first); j < args.size(); ++j)
    if (size(args[j]) != 1) return kNoNode;
  std::vector<double> stats;
  std::span<const double> trials = first > 1 ? const_values(args[1]) : std::span<const double>();
  if (!suff_stats(d, const_values(args[0]), trials, stats)) return kNoNode;
  NodeId s = constant(stats);
  Node nd;
  nd.op = Op::Suff;
  nd.fn = static_cast<std::uint16_t>(d);
  nd.flags = dist_flags(DistKind::Lpdf, propto, var);
  nd.aux = nodes_[s].aux;
  nd.size = 1;
  return add(nd, args.subspan(static_cast<std::size_t>(first)));
}

NodeId Graph::dist_elems(Dist d, std::uint32_t flags, std::span<const NodeId> args) {
  Node n;
  n.op = Op::DistElems;
  n.fn = static_cast<std::uint16_t>(d);
  n.flags = flags;
  n.size = broadcast_size(*this, args);
  n.aux = n.size;
  return add(n, args);
}

NodeId Graph::log_sum_exp(NodeId a) {
  if (is_const(a)) {
    auto v = const_values(a);
    double m = -std::numeric_limits<double>::infinity();
    for (double x : v) m = std::max(m, x);
    if (!std::isfinite(m)) return constant(m);
    double s = 0;
    for (double x : v) s += std::exp(x - m);
    return constant(m + std::log(s));
  }
  Node n;
  n.op = Op::LogSumExp;
  n.size = 1;
  NodeId args[] = {a};
  return add(n, args);
}

NodeId Graph::cumulative_sum(NodeId a) {
  if (is_const(a)) {
    std::vector<double> out(size(a));
    double s = 0;
    auto v = const_values(a);
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = s += v[i];
    return constant(out);
  }
  Node n;
  n.op = Op::CumSum;
  n.size = size(a);
  NodeId args[] = {a};
  return add(n, args);
}

NodeId Graph::prod(NodeId a) {
  if (is_const(a)) {
    double p = 1;
    for (double x : const_values(a)) p *= x;
    return constant(p);
  }
  Node n;
  n.op = Op::Prod;
  n.size = 1;
  NodeId args[] = {a};
  return add(n, args);
}

void Graph::check(NodeId x, NodeId bound, bool lower) {
  NodeId args[] = {x, bound};
  if (all_const(args)) return;  // constant checks are the caller's business
  Node n;
  n.op = Op::Check;
  n.flags = lower ? kCheckLower : kCheckUpper;
  n.size = 0;
  checks_.push_back(add(n, args));
}

NodeId Graph::external(std::shared_ptr<const External> f, std::span<const NodeId> args) {
  std::uint32_t in = 0;
  for (NodeId a : args) in += size(a);
  if (in != f->input_size())
    throw std::invalid_argument(std::string(f->name()) + ": " + std::to_string(in) + " inputs, expected " +
                                std::to_string(f->input_size()));
  if (all_const(args)) {
    std::vector<double> x, out(f->output_size());
    for (NodeId a : args) x.insert(x.end(), const_values(a).begin(), const_values(a).end());
    std::string error;
    if (!f->eval(x, out, nullptr, &error)) throw std::domain_error(std::string(f->name()) + ": " + error);
    return constant(out);
  }
  Node n;
  n.op = Op::External;
  n.size = f->output_size();
  n.aux = static_cast<std::uint32_t>(externals_.size());
  externals_.push_back(std::move(f));
  return add(n, args);
}

}  // namespace mcmc::graph

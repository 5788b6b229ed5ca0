// Grouping scalar log-density terms of loops into vector expressions (vectorize.hpp).
#include "graph/vectorize.hpp"

#include <cstdint>
#include <unordered_map>
#include <algorithm>

namespace mcmc::graph {
namespace {

// Whether a node is one scalar operation that a group of its copies can compute as one vector
// node: elementwise Unary / Binary, or a one-element Dist of scalar arguments.
bool expandable(const Graph& g, NodeId id) {
  const Node& n = g.nodes()[id];
  if (n.size != 1) return false;
  switch (n.op) {
    case Op::Unary:
    case Op::Binary:
      return true;
    case Op::Dist:
      if (n.aux != 1) return false;
      for (NodeId a : g.args(n))
        if (g.size(a) != 1) return false;
      return true;
    default:
      return false;
  }
}

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  return h ^ (v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2));
}

// A hash of the expression tree's shape down to `depth` levels: operations, functions and flags;
// constants and other leaves by kind only (their values and identities may differ in a group).
std::uint64_t shape(const Graph& g, NodeId id, int depth) {
  const Node& n = g.nodes()[id];
  if (n.op == Op::Const) return 0x51ull;
  if (depth == 0 || !expandable(g, id)) return 0x73ull;
  std::uint64_t h = mix(mix(mix(0x1f, static_cast<std::uint64_t>(n.op)), n.fn), n.flags);
  for (NodeId a : g.args(n)) h = mix(h, shape(g, a, depth - 1));
  return h;
}

class Builder {
 public:
  explicit Builder(Graph& g) : g_(g) {}

  // A node whose element i has the value of scalar node m[i] (or one scalar node equal to every
  // m[i]). kNoNode when a member is also a member of an enclosing group (a recursion): abort_
  // then names the level of that group, which becomes a Gather of its members.
  NodeId build(const std::vector<NodeId>& m, std::size_t level) {
    const std::size_t G = m.size();
    bool same = true;
    for (NodeId x : m) same = same && x == m[0];
    if (same) return m[0];
    long hit = -1;  // the innermost enclosing group with one of these members
    for (NodeId x : m)
      if (auto it = active_.find(x); it != active_.end()) hit = std::max(hit, it->second);
    if (hit >= 0) {
      abort_ = hit;
      return kNoNode;
    }
    bool consts = true;
    for (NodeId x : m) consts = consts && g_.is_const(x);
    if (consts) {
      std::vector<double> v(G);
      for (std::size_t i = 0; i < G; ++i) v[i] = g_.const_values(m[i])[0];
      return g_.constant(v);
    }
    const Node n0 = g_.nodes()[m[0]];
    bool uniform = true;
    for (NodeId x : m) {
      if (!uniform) break;
      const Node& n = g_.nodes()[x];
      uniform = expandable(g_, x) && n.op == n0.op && n.fn == n0.fn && n.flags == n0.flags &&
                n.arg_count == n0.arg_count;
    }
    if (!uniform) return leaf(m);
    // (A node is active in one group at most: one in two nested groups is a conflict above.)
    for (NodeId x : m) active_.emplace(x, static_cast<long>(level));
    std::vector<NodeId> kids;
    std::vector<char> safe;
    bool any_vector = false;
    for (std::uint32_t j = 0; j < n0.arg_count; ++j) {
      std::vector<NodeId> cm(G);
      for (std::size_t i = 0; i < G; ++i) cm[i] = g_.args(g_.nodes()[m[i]])[j];
      std::size_t before = unsafe_leaves_;
      NodeId c = build(cm, level + 1);
      if (c == kNoNode) {
        deactivate(m);
        splice(m, kids, safe);
        if (abort_ != static_cast<long>(level)) return kNoNode;
        abort_ = -1;
        return leaf(m);
      }
      kids.push_back(c);
      safe.push_back(unsafe_leaves_ == before);
      any_vector = any_vector || g_.size(c) != 1;
    }
    deactivate(m);
    // Every member is the same operation on the same nodes: one value (which as a term would
    // have to count G times: left alone).
    if (!any_vector) return level == 0 ? kNoNode : m[0];
    switch (n0.op) {
      case Op::Unary:
        return g_.unary(static_cast<UnaryFn>(n0.fn), kids[0]);
      case Op::Binary:
        return g_.binary(static_cast<BinaryFn>(n0.fn), kids[0], kids[1]);
      default:  // Dist
        if (level == 0)
          return g_.dist(static_cast<Dist>(n0.fn), static_cast<DistKind>(n0.flags & 3), (n0.flags & 4) != 0, kids);
        return g_.dist_elems(static_cast<Dist>(n0.fn), n0.flags, kids);
    }
  }

 private:
  void deactivate(const std::vector<NodeId>& m) {
    for (NodeId x : m) active_.erase(x);
  }

  // The members of a group that stays scalar (a recursion) still take the arguments that could
  // be vectorized from the vector nodes, one element each: e.g. the part of x[t] = f(x[t-1], d[t])
  // that depends only on data and shared parameters. Only for vectors built from constants,
  // shared scalars and parameters (no Gather of other computed nodes, which might depend on the
  // members and make a cycle).
  void splice(const std::vector<NodeId>& m, const std::vector<NodeId>& kids, const std::vector<char>& safe) {
    for (std::size_t j = 0; j < kids.size(); ++j) {
      NodeId k = kids[j];
      if (!safe[j] || g_.size(k) != m.size() || g_.is_const(k) || g_.nodes()[k].op == Op::Gather) continue;
      for (std::size_t i = 0; i < m.size(); ++i)
        g_.replace_arg(m[i], static_cast<std::uint32_t>(j), g_.element(k, static_cast<std::uint32_t>(i)));
    }
  }

  NodeId leaf(const std::vector<NodeId>& m) {
    std::vector<std::pair<NodeId, std::uint32_t>> picks;
    picks.reserve(m.size());
    for (NodeId x : m) {
      const Node& n = g_.nodes()[x];
      NodeId src = x;
      if (n.op == Op::Element) {
        src = g_.args(n)[0];
        picks.emplace_back(src, n.aux);
      } else {
        picks.emplace_back(x, 0);
      }
      if (!g_.is_const(src) && g_.nodes()[src].op != Op::Input) ++unsafe_leaves_;
    }
    return g_.gather(picks);
  }

  Graph& g_;
  std::unordered_map<NodeId, long> active_;  // members of the enclosing groups: their level
  long abort_ = -1;
  std::size_t unsafe_leaves_ = 0;  // Gather leaves with sources that are computed nodes
};

}  // namespace

std::vector<NodeId> vectorize_terms(Graph& g, std::span<const NodeId> terms, std::size_t min_group) {
  std::vector<NodeId> out;
  std::vector<std::vector<NodeId>> groups;
  std::unordered_map<std::uint64_t, std::size_t> index;
  for (NodeId t : terms) {
    if (g.is_const(t) || !expandable(g, t)) {
      out.push_back(t);
      continue;
    }
    auto [it, fresh] = index.emplace(shape(g, t, 4), groups.size());
    if (fresh) groups.emplace_back();
    groups[it->second].push_back(t);
  }
  for (const auto& m : groups) {
    NodeId r = kNoNode;
    if (m.size() >= min_group) {
      Builder b(g);
      r = b.build(m, 0);
      // A Gather of the terms themselves gains nothing.
      if (r != kNoNode && g.nodes()[r].op == Op::Gather) r = kNoNode;
    }
    if (r == kNoNode)
      out.insert(out.end(), m.begin(), m.end());
    else
      out.push_back(r);
  }
  return out;
}

}  // namespace mcmc::graph

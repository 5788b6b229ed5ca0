// Compiling a checked program with its data into a tape, and running it again for output and initial values.
#include "model/model.hpp"

#include "graph/vectorize.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include <fmt/format.h>

#include "lang/diagnostic.hpp"
#include "model/interp.hpp"
#include "model/structured_transforms.hpp"
#include "model/transforms.hpp"
#include "util/error.hpp"

namespace mcmc::model {

using graph::NodeId;
using lang::BaseType;
using lang::BlockKind;
using lang::StmtKind;

namespace {

std::string shape_text(const std::vector<std::size_t>& d) {
  constexpr std::size_t kShown = 10;  // a pathological shape (deeply nested JSON) stays one short line
  std::string s = "[";
  for (std::size_t i = 0; i < d.size() && i < kShown; ++i) s += (i ? "," : "") + std::to_string(d[i]);
  if (d.size() > kShown) s += ",... (" + std::to_string(d.size()) + " dimensions)";
  return s + "]";
}

Error data_error(const std::string& msg) { return Error(ExitCode::ModelOrData, msg); }

std::size_t count(const std::vector<std::size_t>& d) {
  std::size_t n = 1;
  for (std::size_t x : d) n *= x;
  return n;
}

// Row-major flat index -> column-major order and Stan-style names.
std::vector<std::size_t> column_major_order(const std::vector<std::size_t>& dims) {
  std::size_t n = count(dims);
  std::vector<std::size_t> order;
  order.reserve(n);
  std::vector<std::size_t> it(dims.size(), 0), stride(dims.size(), 1);
  for (std::size_t d = dims.size(); d-- > 1;) stride[d - 1] = stride[d] * dims[d];
  for (std::size_t k = 0; k < n; ++k) {
    std::size_t off = 0;
    for (std::size_t d = 0; d < dims.size(); ++d) off += it[d] * stride[d];
    order.push_back(off);
    for (std::size_t d = 0; d < dims.size(); ++d) {  // first index fastest
      if (++it[d] < dims[d]) break;
      it[d] = 0;
    }
  }
  return order;
}

std::vector<std::string> names_of(const std::string& name, const std::vector<std::size_t>& dims,
                                  const char* open, const char* sep, const char* close, bool col_major) {
  std::vector<std::string> out;
  std::size_t n = count(dims);
  if (dims.empty()) return {name};
  std::vector<std::size_t> it(dims.size(), 0);
  for (std::size_t k = 0; k < n; ++k) {
    std::string s = name + open;
    for (std::size_t d = 0; d < dims.size(); ++d) s += (d ? sep : "") + std::to_string(it[d] + 1);
    out.push_back(s + close);
    if (col_major) {
      for (std::size_t d = 0; d < dims.size(); ++d) {
        if (++it[d] < dims[d]) break;
        it[d] = 0;
      }
    } else {
      for (std::size_t d = dims.size(); d-- > 0;) {
        if (++it[d] < dims[d]) break;
        it[d] = 0;
      }
    }
  }
  return out;
}

Value read_data(Interp& in, const lang::VarDecl& d, const io::DataSet& data) {
  Value v = in.blank(d);
  const io::DataValue* dv = data.find(d.name);
  std::string where = data.file.empty() ? "the data" : fmt::format("data file '{}'", data.file);
  if (!dv) {
    if (v.size() == 0) return v;
    throw data_error(fmt::format("variable '{}' (declared at line {}) is missing from {}", d.name,
                                 d.pos.line, where));
  }
  bool same = dv->dims == v.dims || (count(dv->dims) == 0 && v.size() == 0);
  if (!same)
    throw data_error(fmt::format("variable '{}': declared with shape {} but {} has shape {}", d.name,
                                 shape_text(v.dims), where, shape_text(dv->dims)));
  for (std::size_t i = 0; i < v.size(); ++i) {
    double x = dv->values[i];
    if (d.base == BaseType::Int) {
      if (std::isnan(x) || std::isinf(x) || x != std::floor(x))
        throw data_error(fmt::format("variable '{}' is declared int, but element {} in {} is {}", d.name, i + 1, where, x));
      if (x < -2147483648.0 || x > 2147483647.0)
        throw data_error(fmt::format("variable '{}': integer {} in {} is out of range for int", d.name, x, where));
    }
    v.elems[i] = Ref::constant(x);
  }
  return v;
}

}  // namespace

// One evaluation of the parameter, transformed-parameter (and model or generated-quantity)
// blocks on an interpreter, with `input(offset, size)` giving each parameter's unconstrained node.
struct Model::Pass {
  /// Constant bounds with lower >= upper leave no valid value: say so at the declaration
  /// (Stan: "lub_constrain: lb is 1, but must be less than 0") instead of an unexplained NaN.
  static void check_bound_order(Interp& in, const lang::VarDecl& d, const Bounds& b) {
    if (!b.lower || !b.upper || !b.lower->all_const() || !b.upper->all_const()) return;
    const std::size_t nl = b.lower->size(), nu = b.upper->size();
    if (nl == 0 || nu == 0 || (nl > 1 && nu > 1 && nl != nu)) return;
    const std::size_t n = std::max(b.lower->size(), b.upper->size());
    for (std::size_t i = 0; i < n; ++i) {
      double lo = b.lower->elems[b.lower->size() == 1 ? 0 : i].c;
      double hi = b.upper->elems[b.upper->size() == 1 ? 0 : i].c;
      if (!(lo < hi))
        in.fail(d.pos, fmt::format("parameter '{}': lower bound {} is not less than upper bound {}", d.name, lo, hi));
    }
  }

  static void parameters(const Model& m, Interp& in,
                         const std::function<NodeId(std::size_t, std::size_t)>& input, bool jacobian,
                         std::vector<Value>* outputs) {
    const lang::Program& p = *m.program_;
    in.block = BlockKind::Parameters;
    std::size_t offset = 0;
    for (const lang::Stmt& s : p.block(BlockKind::Parameters).stmts) {
      if (s.kind != StmtKind::Decl) continue;
      const lang::VarDecl& d = *s.decl;
      Value shape = in.blank(d);
      Bounds b = eval_bounds(in, d);
      check_bound_order(in, d, b);
      const std::size_t n = unconstrained_size(d.structure, shape);
      NodeId u = input(offset, n);
      offset += n;
      Value x = shape.size() == 0                      ? shape
                : d.structure != lang::Structure::None ? constrain_structured(in, d.structure, shape, u, jacobian)
                                                       : constrain(in, b, shape, u, jacobian);
      if (outputs) outputs->push_back(x);
      in.declare(d.name, std::move(x));
    }
  }

  static void transformed_parameters(const Model& m, Interp& in, bool checks, std::vector<Value>* outputs) {
    const lang::Program& p = *m.program_;
    in.block = BlockKind::TransformedParameters;
    const auto& stmts = p.block(BlockKind::TransformedParameters).stmts;
    in.exec_block(stmts);
    for (const lang::Stmt& s : stmts) {
      if (s.kind != StmtKind::Decl) continue;
      const lang::VarDecl& d = *s.decl;
      const Value& v = in.lookup(d.name, d.pos);
      if (outputs) outputs->push_back(v);
      if (checks && d.structure != lang::Structure::None) {
        if (v.all_const()) {
          std::string msg = check_structure(d.structure, v, d.name);
          if (!msg.empty()) in.fail(d.pos, "transformed parameter " + msg);
        } else {
          check_structure_nodes(in, d.structure, v);
        }
      }
      if (!checks || !(d.lower || d.upper)) continue;
      Bounds b = eval_bounds(in, d);
      graph::Graph& g = in.graph();
      if (v.all_const() && (!b.lower || b.lower->all_const()) && (!b.upper || b.upper->all_const())) {
        std::string msg = check_bounds(b, v, d.name);
        if (!msg.empty()) in.fail(d.pos, "transformed parameter " + msg);
        continue;
      }
      if (b.lower) g.check(in.node_of(v), in.node_of(*b.lower), true);
      if (b.upper) g.check(in.node_of(v), in.node_of(*b.upper), false);
    }
  }
};

namespace {
/// "[3]" or "[2,1]": the 1-based index of the i-th element (row-major) of an array of shape `dims`.
std::string element_suffix(const std::vector<std::size_t>& dims, std::size_t i) {
  if (dims.empty()) return "";
  std::vector<std::size_t> idx(dims.size());
  for (std::size_t k = dims.size(); k-- > 0;) {
    idx[k] = i % dims[k] + 1;
    i /= dims[k];
  }
  return fmt::format("[{}]", fmt::join(idx, ","));
}
}  // namespace

std::shared_ptr<const Model> Model::compile(std::shared_ptr<const lang::Program> program,
                                            const io::DataSet& data, std::uint64_t seed,
                                            const CompileOptions& options) {
  std::shared_ptr<Model> m(new Model());
  m->program_ = program;
  m->seed_ = seed;
  const lang::Program& p = *program;
  m->name_ = std::filesystem::path(p.file).stem().string() + "_model";

  graph::Graph g;
  g.set_reduce(options.sufficient_statistics);
  sampler::Rng td_rng(seed, 0xFFFFFFFFull);
  Interp in(p, g, &td_rng);

  // data
  in.block = BlockKind::Data;
  for (const lang::Stmt& s : p.block(BlockKind::Data).stmts) {
    if (s.kind != StmtKind::Decl) continue;
    const lang::VarDecl& d = *s.decl;
    Value v = read_data(in, d, data);
    if (m->nan_data_.empty())  // Stan reads NaN data; a distribution given it rejects it (explain() says so)
      if (const io::DataValue* dv = data.find(d.name))
        for (std::size_t i = 0; i < dv->values.size() && m->nan_data_.empty(); ++i)
          if (std::isnan(dv->values[i])) m->nan_data_ = d.name + element_suffix(dv->dims, i);
    Bounds b = eval_bounds(in, d);
    std::string msg = check_bounds(b, v, d.name);
    if (msg.empty() && d.structure != lang::Structure::None) msg = check_structure(d.structure, v, d.name);
    if (!msg.empty())
      throw data_error(fmt::format("data variable {} ({})", msg,
                                   data.file.empty() ? "the data" : fmt::format("data file '{}'", data.file)));
    in.declare(d.name, std::move(v), true);
  }
  // transformed data
  in.block = BlockKind::TransformedData;
  const auto& td = p.block(BlockKind::TransformedData).stmts;
  in.exec_block(td);
  for (const lang::Stmt& s : td) {
    if (s.kind != StmtKind::Decl) continue;
    if (s.decl->structure != lang::Structure::None) {
      std::string msg = check_structure(s.decl->structure, in.lookup(s.decl->name, s.pos), s.decl->name);
      if (!msg.empty()) in.fail(s.pos, "transformed data " + msg);
    }
    if (!(s.decl->lower || s.decl->upper)) continue;
    Bounds b = eval_bounds(in, *s.decl);
    std::string msg = check_bounds(b, in.lookup(s.decl->name, s.pos), s.decl->name);
    if (!msg.empty()) in.fail(s.pos, "transformed data " + msg);
  }
  // Everything declared so far is constant and shared by every later pass.
  for (const lang::BlockKind bk : {BlockKind::Data, BlockKind::TransformedData})
    for (const lang::Stmt& s : p.block(bk).stmts)
      if (s.kind == StmtKind::Decl) m->globals_[s.decl->name] = in.lookup(s.decl->name, s.pos);

  // Shapes of the outputs (sizes depend on data only).
  auto add_outputs = [&](BlockKind bk) {
    for (const lang::Stmt& s : p.block(bk).stmts) {
      if (s.kind != StmtKind::Decl) continue;
      Value shape = in.blank(*s.decl);
      OutputVar o{s.decl->name, bk, shape.dims, m->dim_, shape.size()};
      if (bk == BlockKind::Parameters) {
        const std::size_t n = unconstrained_size(s.decl->structure, shape);
        m->dim_ += n;
        if (n == shape.size()) {
          std::vector<std::string> names = names_of(o.name, o.dims, "[", ",", "]", false);
          for (std::size_t i : stan_order(shape)) m->uncon_names_.push_back(names[i]);
        } else {  // a simplex: its K - 1 free coordinates per vector
          for (std::size_t i = 0; i < n; ++i) m->uncon_names_.push_back(fmt::format("{}[free {}]", o.name, i + 1));
        }
      }
      for (auto& n : names_of(o.name, o.dims, ".", ".", "", true)) m->columns_.push_back(n);
      m->outputs_.push_back(o);
    }
  };
  add_outputs(BlockKind::Parameters);

  // The log density: parameters with Jacobians (unless options.jacobian is off), transformed parameters with checks, model.
  Interp gi(p, g, nullptr);
  gi.globals = &m->globals_;
  gi.printer = in.printer;
  std::vector<Value> pt;
  Pass::parameters(*m, gi, [&](std::size_t off, std::size_t n) {
    return g.input(static_cast<std::uint32_t>(off), static_cast<std::uint32_t>(n));
  }, options.jacobian, &pt);
  Pass::transformed_parameters(*m, gi, true, &pt);
  gi.block = BlockKind::Model;
  gi.exec_block(p.block(BlockKind::Model).stmts);
  if (options.vectorize_loops)
    g.set_target(g.sum(graph::vectorize_terms(g, gi.target_terms())));
  else
    g.set_target(g.sum(gi.target_terms()));

  // Output shapes of transformed parameters and generated quantities (their sizes are data).
  add_outputs(BlockKind::TransformedParameters);
  add_outputs(BlockKind::GeneratedQuantities);

  m->graph_nodes_ = g.num_nodes();
  m->tape_ = std::make_unique<graph::Tape>(g);
  // The output tape: every node that a parameter or transformed parameter element refers to.
  std::vector<NodeId> roots;
  std::size_t k = 0;
  for (const OutputVar& o : m->outputs_) {
    if (o.block == BlockKind::GeneratedQuantities) continue;
    for (const Ref& r : pt[k].elems)
      if (!r.is_const()) roots.push_back(r.node);
    m->pt_values_.emplace_back(o.name, std::move(pt[k]));
    ++k;
  }
  m->out_tape_ = std::make_unique<graph::Tape>(g, roots);
  m->has_gq_ = !p.block(BlockKind::GeneratedQuantities).stmts.empty();
  return m;
}

std::unique_ptr<graph::Evaluator> Model::make_output_evaluator() const {
  return std::make_unique<graph::Evaluator>(*out_tape_, 1);
}

void Model::write_row(std::span<const double> q, sampler::Rng& rng, std::vector<double>& out,
                      graph::Evaluator& ev) const {
  ev.forward_only(q.data());
  out.clear();
  std::vector<Value> resolved;
  for (const auto& [name, v] : pt_values_) {
    Value c = v;
    for (Ref& r : c.elems)
      if (!r.is_const()) r = Ref::constant(ev.value(r.node, r.idx));
    for (std::size_t i : column_major_order(c.dims)) out.push_back(c.elems[i].c);
    if (has_gq_) resolved.push_back(std::move(c));
  }
  if (!has_gq_) return;
  graph::Graph g;
  Interp in(*program_, g, &rng);
  in.globals = &globals_;
  for (std::size_t i = 0; i < resolved.size(); ++i) in.declare(pt_values_[i].first, std::move(resolved[i]));
  in.block = BlockKind::GeneratedQuantities;
  const auto& gq = program_->block(BlockKind::GeneratedQuantities).stmts;
  in.exec_block(gq);
  for (const lang::Stmt& s : gq) {
    if (s.kind != StmtKind::Decl) continue;
    const Value& v = in.lookup(s.decl->name, s.pos);
    for (std::size_t i : column_major_order(v.dims)) {
      const Ref& r = v.elems[i];
      out.push_back(r.is_const() ? r.c : std::numeric_limits<double>::quiet_NaN());
    }
  }
}

void Model::write_row(std::span<const double> q, sampler::Rng& rng, std::vector<double>& out) const {
  graph::Graph g;
  Interp in(*program_, g, &rng);
  in.globals = &globals_;
  std::vector<Value> values;
  Pass::parameters(*this, in, [&](std::size_t off, std::size_t n) {
    return g.constant(q.subspan(off, n));
  }, false, &values);
  Pass::transformed_parameters(*this, in, false, &values);
  in.block = BlockKind::GeneratedQuantities;
  const auto& gq = program_->block(BlockKind::GeneratedQuantities).stmts;
  in.exec_block(gq);
  for (const lang::Stmt& s : gq)
    if (s.kind == StmtKind::Decl) values.push_back(in.lookup(s.decl->name, s.pos));
  out.clear();
  for (const Value& v : values) {
    for (std::size_t i : column_major_order(v.dims)) {
      const Ref& r = v.elems[i];
      out.push_back(r.is_const() ? r.c : std::numeric_limits<double>::quiet_NaN());
    }
  }
}

std::vector<double> Model::init_point(const io::DataSet* inits, std::span<const double> random_u) const {
  graph::Graph g;
  Interp in(*program_, g, nullptr);
  in.globals = &globals_;
  std::vector<double> u(random_u.begin(), random_u.end());
  in.block = BlockKind::Parameters;
  std::size_t offset = 0;
  for (const lang::Stmt& s : program_->block(BlockKind::Parameters).stmts) {
    if (s.kind != StmtKind::Decl) continue;
    const lang::VarDecl& d = *s.decl;
    Value shape = in.blank(d);
    Bounds b = eval_bounds(in, d);
    const io::DataValue* given = inits ? inits->find(d.name) : nullptr;
    if (given) {
      if (given->dims != shape.dims && !(given->values.size() == 0 && shape.size() == 0))
        throw Error(ExitCode::ModelOrData,
                    fmt::format("initial values file '{}': parameter '{}' is declared with shape {} but has shape {}",
                                inits->file, d.name, shape_text(shape.dims), shape_text(given->dims)));
      std::vector<double> uu;
      if (d.structure != lang::Structure::None) {
        uu = unconstrain_structured(d.structure, shape, given->values, d.name);
      } else {
        std::vector<double> ordered;  // Stan's order (a matrix's elements column-major)
        for (std::size_t i : stan_order(shape)) ordered.push_back(given->values[i]);
        uu = unconstrain(in_stan_order(b, shape), ordered, d.name);
      }
      std::copy(uu.begin(), uu.end(), u.begin() + static_cast<std::ptrdiff_t>(offset));
    }
    const std::size_t n = unconstrained_size(d.structure, shape);
    NodeId un = g.constant(std::span<const double>(u.data() + offset, n));
    Value x = shape.size() == 0                      ? shape
              : d.structure != lang::Structure::None ? constrain_structured(in, d.structure, shape, un, false)
                                                     : constrain(in, b, shape, un, false);
    in.declare(d.name, std::move(x));
    offset += n;
  }
  return u;
}

std::string Model::explain(std::span<const double> q) const {
  graph::Graph g;
  Interp in(*program_, g, nullptr);
  in.globals = &globals_;
  in.keep_constant_terms = true;
  std::vector<Value> values;
  try {
    Pass::parameters(*this, in, [&](std::size_t off, std::size_t n) {
      return g.constant(q.subspan(off, n));
    }, true, &values);
    std::size_t k = 0;
    for (const OutputVar& o : outputs_) {
      if (o.block != BlockKind::Parameters) continue;
      for (const Ref& r : values[k].elems)
        if (!std::isfinite(r.c)) return fmt::format("parameter '{}' is {}", o.name, r.c);
      ++k;
    }
    Pass::transformed_parameters(*this, in, true, &values);
    in.block = BlockKind::Model;
    in.exec_block(program_->block(BlockKind::Model).stmts);
  } catch (const Error& e) {
    return e.what();
  }
  const auto& terms = in.target_terms();
  const auto& pos = in.target_sources();
  for (std::size_t i = 0; i < terms.size(); ++i) {
    double v = g.const_values(terms[i])[0];
    if (std::isfinite(v)) continue;
    if (pos[i].line == 0) return fmt::format("a Jacobian term is {}", v);
    return lang::format_diagnostic(
        program_->file, program_->source, pos[i],
        fmt::format("this term of the log density is {}{}", v,
                    !std::isnan(v)          ? ""
                    : nan_data_.empty()     ? " (an argument outside its domain, e.g. a scale that is not positive)"
                                            : fmt::format(" (the data hold NaN: data variable {} is NaN)", nan_data_)));
  }
  return "";
}

}  // namespace mcmc::model

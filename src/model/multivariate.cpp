// dirichlet, multi_normal(_cholesky) through one triangular solve over all observations, and the GLMs as one matrix product feeding the elementwise density.
#include "model/multivariate.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

#include <fmt/format.h>

#include "graph/distributions.hpp"

namespace mcmc::model {

using graph::BinaryFn;
using graph::NodeId;
using graph::UnaryFn;
using lang::BaseType;

namespace {

struct Ctx {
  Interp& in;
  const lang::Expr& e;
  std::string name;
  bool propto;

  [[noreturn]] void fail(const std::string& what) const { in.fail(e.pos, name + ": " + what); }
  graph::Graph& g() const { return in.graph(); }
  Value b(BinaryFn f, const Value& x, const Value& y) const { return Interp::binary_value(in, f, x, y, e.pos); }
  Value u(UnaryFn f, const Value& x) const { return Interp::unary_value(in, f, x); }
  NodeId sum(const Value& v) const { return g().sum(std::vector<NodeId>{in.node_of(v)}); }
  Value scalar(NodeId n) const { return Value::scalar(in.ref_of(n)); }
};

Value vector_of(std::vector<Ref> elems) {
  Value v;
  v.base = BaseType::Vector;
  v.dims = {elems.size()};
  v.elems = std::move(elems);
  return v;
}

// The K x N matrix whose column i is the i-th vector of `v` (a vector, a row_vector or an array
// of them); n is the number of vectors wanted (a single vector is repeated).
Value columns_of(const Ctx& c, const Value& v, std::size_t K, std::size_t n, const char* what) {
  const std::size_t count = v.dims.size() == 1 ? 1 : v.dims[0];
  const std::size_t len = count == 0 ? K : v.size() / count;
  if (len != K) c.fail(fmt::format("{} has size {}, expecting {}", what, len, K));
  if (count != 1 && count != n) c.fail(fmt::format("{} has {} vectors, expecting {}", what, count, n));
  Value m;
  m.base = BaseType::Matrix;
  m.dims = {K, n};
  m.elems.resize(K * n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t k = 0; k < K; ++k) m.elems[k * n + i] = v.elems[(count == 1 ? 0 : i) * K + k];
  return m;
}

std::size_t vector_count(const Value& v) { return v.dims.size() == 1 ? 1 : v.dims[0]; }

Value multi_normal(const Ctx& c, std::vector<Value>& a, bool cholesky) {
  const Value& y = a[0];
  const Value& mu = a[1];
  const Value& S = a[2];
  const std::size_t K = S.rows();
  if (S.cols() != K) c.fail(fmt::format("expecting a square matrix, found {} x {}", S.rows(), S.cols()));
  const std::size_t n = std::max(vector_count(y), vector_count(mu));
  Value r = c.b(BinaryFn::Sub, columns_of(c, y, K, n, "the variate"), columns_of(c, mu, K, n, "the location"));
  // L: the Cholesky factor, given or of Sigma (rejecting a Sigma that is not positive definite).
  Value L = S;
  if (!cholesky) {
    NodeId l = c.g().cholesky(c.in.node_of(S), static_cast<std::uint32_t>(K));
    L = c.in.wrap(l, BaseType::Matrix, {K, K});
    if (L.all_const())
      for (const Ref& x : L.elems)
        if (std::isnan(x.c)) c.fail("the covariance matrix is not symmetric positive definite");
  }
  for (std::size_t i = 0; i < K; ++i)
    for (std::size_t j = i + 1; j < K; ++j) L.elems[i * K + j] = Ref::constant(0);
  NodeId z = c.g().tri_solve(c.in.node_of(L), c.in.node_of(r), static_cast<std::uint32_t>(K));
  std::vector<NodeId> terms;
  // -0.5 |L^-1 (y - mu)|^2 over every observation
  terms.push_back(c.g().binary(BinaryFn::Mul, c.g().constant(-0.5), c.g().sum(std::vector<NodeId>{c.g().unary(UnaryFn::Square, z)})));
  std::vector<Ref> diag;
  for (std::size_t i = 0; i < K; ++i) diag.push_back(L.elems[i * K + i]);
  Value logdiag = c.u(UnaryFn::Log, vector_of(diag));
  if (!(c.propto && logdiag.all_const()))
    terms.push_back(c.g().binary(BinaryFn::Mul, c.g().constant(-static_cast<double>(n)), c.sum(logdiag)));
  if (!c.propto) terms.push_back(c.g().constant(-0.5 * static_cast<double>(n * K) * std::log(2 * std::numbers::pi)));
  return c.scalar(c.g().sum(terms));
}

Value dirichlet(const Ctx& c, std::vector<Value>& a) {
  const Value& theta = a[0];
  const Value& alpha = a[1];
  if (theta.size() != alpha.size())
    c.fail(fmt::format("theta has size {} and alpha size {}", theta.size(), alpha.size()));
  std::vector<NodeId> terms;
  Value t = c.b(BinaryFn::Mul, c.b(BinaryFn::Sub, alpha, Value::scalar(1.0)), c.u(UnaryFn::Log, theta));
  if (!(c.propto && t.all_const())) terms.push_back(c.sum(t));
  if (!(c.propto && alpha.all_const())) {
    terms.push_back(c.g().unary(UnaryFn::Lgamma, c.sum(alpha)));
    terms.push_back(c.g().unary(UnaryFn::Neg, c.sum(c.u(UnaryFn::Lgamma, alpha))));
  }
  return c.scalar(c.g().sum(terms));
}

// Stan's lkj_corr_cholesky: sum_{i >= 1} (K - i - 1 + 2 eta - 2) log L[i, i] (0-based i), plus
// do_lkj_constant(eta, K) (Lewandowski, Kurowicka and Joe 2009, theorem 5; the general form).
Value lkj_corr_cholesky(const Ctx& c, std::vector<Value>& a) {
  const Value& L = a[0];
  const Value& eta = a[1];
  if (!eta.is_scalar()) c.fail("eta must be a scalar");
  const std::size_t K = L.rows();
  if (L.cols() != K) c.fail(fmt::format("expecting a square matrix, found {} x {}", L.rows(), L.cols()));
  std::vector<NodeId> terms;
  if (K > 1) {
    std::vector<Ref> diag;
    std::vector<Ref> coef;
    for (std::size_t i = 1; i < K; ++i) {
      diag.push_back(L.elems[i * K + i]);
      coef.push_back(Ref::constant(static_cast<double>(K - i - 1) - 2.0));
    }
    Value w = c.b(BinaryFn::Add, vector_of(coef), c.b(BinaryFn::Mul, Value::scalar(2.0), eta));
    Value t = c.b(BinaryFn::Mul, w, c.u(UnaryFn::Log, vector_of(diag)));
    if (!(c.propto && t.all_const())) terms.push_back(c.sum(t));
  }
  if (!(c.propto && eta.all_const()) && K > 1) {
    const double km1 = static_cast<double>(K - 1);
    NodeId e = c.in.node_of(eta);
    auto lg = [&](double shift) { return c.g().unary(UnaryFn::Lgamma, c.g().binary(BinaryFn::Add, e, c.g().constant(shift))); };
    terms.push_back(c.g().binary(BinaryFn::Mul, c.g().constant(km1), lg(0.5 * km1)));
    double pis = 0;
    for (std::size_t k = 1; k < K; ++k) {
      pis += 0.5 * static_cast<double>(k) * std::log(std::numbers::pi);
      terms.push_back(c.g().unary(UnaryFn::Neg, lg(0.5 * (km1 - static_cast<double>(k)))));
    }
    terms.push_back(c.g().constant(-pis));
  }
  return c.scalar(c.g().sum(terms));
}

Value glm(const Ctx& c, std::vector<Value>& a, graph::Dist kernel) {
  const Value& x = a[1];
  Value eta = c.in.matrix_product(x, a[3], c.e.pos);
  if (!a[2].is_scalar() && a[2].size() != eta.size())
    c.fail(fmt::format("alpha has size {}, expecting {}", a[2].size(), eta.size()));
  eta = c.b(BinaryFn::Add, eta, a[2]);
  if (a[0].size() != eta.size() && !a[0].is_scalar())
    c.fail(fmt::format("y has size {} and x {} rows", a[0].size(), eta.size()));
  std::vector<NodeId> nodes = {c.in.node_of(a[0]), c.in.node_of(eta)};
  if (a.size() > 4) nodes.push_back(c.in.node_of(a[4]));
  try {
    return c.scalar(c.g().dist(kernel, graph::DistKind::Lpdf, c.propto, nodes));
  } catch (const std::invalid_argument& ex) {
    c.fail(fmt::format("arguments have different sizes ({})", ex.what()));
  }
}

}  // namespace

bool is_multivariate(const catalog::Distribution& d) {
  return d.name == "dirichlet" || d.name == "lkj_corr_cholesky" || d.name == "multi_normal" || d.name == "multi_normal_cholesky" ||
         d.name == "bernoulli_logit_glm" || d.name == "poisson_log_glm" || d.name == "normal_id_glm";
}

Value multivariate_density(Interp& in, const lang::Expr& e, const catalog::Distribution& d, bool propto,
                           std::vector<Value>& args) {
  Ctx c{in, e, d.function_name(catalog::kDensity), propto};
  if (d.name == "dirichlet") return dirichlet(c, args);
  if (d.name == "lkj_corr_cholesky") return lkj_corr_cholesky(c, args);
  if (d.name == "multi_normal") return multi_normal(c, args, false);
  if (d.name == "multi_normal_cholesky") return multi_normal(c, args, true);
  if (d.name == "bernoulli_logit_glm") return glm(c, args, graph::Dist::BernoulliLogit);
  if (d.name == "poisson_log_glm") return glm(c, args, graph::Dist::PoissonLog);
  if (d.name == "normal_id_glm") return glm(c, args, graph::Dist::Normal);
  c.fail("not a multivariate distribution");
}

}  // namespace mcmc::model

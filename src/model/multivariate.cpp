// dirichlet, multi_normal(_cholesky) through one triangular solve over all observations, and the GLMs as one matrix product feeding the elementwise density.
#include "model/multivariate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <set>
#include <string>
#include <stdexcept>

#include <fmt/format.h>

#include <Eigen/Dense>

#include "graph/distributions.hpp"
#include "model/random_variates.hpp"

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

/// do_lkj_constant(eta, K) added to terms.
void lkj_constant(const Ctx& c, const Value& eta, std::size_t K, std::vector<NodeId>& terms);

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
  if (!(c.propto && eta.all_const()) && K > 1) lkj_constant(c, eta, K, terms);
  return c.scalar(c.g().sum(terms));
}

void lkj_constant(const Ctx& c, const Value& eta, std::size_t K, std::vector<NodeId>& terms) {
  {
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

// ---- more multivariate densities (compositions of the same nodes) ----

Value square_matrix(const Ctx& c, const Value& m, const char* what) {
  if (m.rows() != m.cols()) c.fail(fmt::format("{} must be square, found {} x {}", what, m.rows(), m.cols()));
  return m;
}

/// The lower Cholesky factor of a symmetric positive-definite matrix (a Cholesky node: a
/// parameter-dependent one that is not rejects the point; a constant one fails).
Value cholesky_of(const Ctx& c, const Value& S, const char* what) {
  const std::size_t K = square_matrix(c, S, what).rows();
  Value L = c.in.wrap(c.g().cholesky(c.in.node_of(S), static_cast<std::uint32_t>(K)), BaseType::Matrix, {K, K});
  if (L.all_const())
    for (const Ref& x : L.elems)
      if (std::isnan(x.c)) c.fail(fmt::format("{} is not symmetric positive definite", what));
  for (std::size_t i = 0; i < K; ++i)
    for (std::size_t j = i + 1; j < K; ++j) L.elems[i * K + j] = Ref::constant(0);
  return L;
}

Value diagonal_of(const Value& L) {
  std::vector<Ref> d;
  for (std::size_t i = 0; i < L.rows(); ++i) d.push_back(L.elems[i * L.cols() + i]);
  return vector_of(std::move(d));
}

/// log det of S from its Cholesky factor: 2 sum log L_ii.
NodeId log_det_from_cholesky(const Ctx& c, const Value& L) {
  return c.g().binary(BinaryFn::Mul, c.g().constant(2.0), c.sum(c.u(UnaryFn::Log, diagonal_of(L))));
}

/// tril(L)^-1 B.
Value tri_solve(const Ctx& c, const Value& L, const Value& B) {
  const std::size_t K = L.rows();
  NodeId z = c.g().tri_solve(c.in.node_of(L), c.in.node_of(B), static_cast<std::uint32_t>(K));
  return c.in.wrap(z, BaseType::Matrix, {K, B.size() / (K == 0 ? 1 : K)});
}

/// The sums of squares of the columns of a K x n matrix (a row of n).
Value column_sums_of_squares(const Ctx& c, const Value& Z) {
  Value ones;
  ones.base = BaseType::RowVector;
  ones.dims = {Z.rows()};
  ones.elems.assign(Z.rows(), Ref::constant(1.0));
  return c.in.matrix_product(ones, c.u(UnaryFn::Square, Z), c.e.pos);
}

// Stan's multi_student_t(_cholesky): n [lgamma((nu + K) / 2) - lgamma(nu / 2) - K / 2 log(nu pi)]
// - n sum log L_ii - (nu + K) / 2 sum_i log1p(|L^-1 (y_i - mu_i)|^2 / nu).
Value multi_student_t(const Ctx& c, std::vector<Value>& a, bool cholesky) {
  const Value& y = a[0];
  const Value& nu = a[1];
  const Value& mu = a[2];
  if (!nu.is_scalar()) c.fail("nu must be a scalar");
  if (nu.all_const() && !(nu.elems[0].c > 0)) c.fail(fmt::format("degrees of freedom parameter is {}, but must be positive", nu.elems[0].c));
  const Value L = cholesky ? square_matrix(c, a[3], "the Cholesky factor") : cholesky_of(c, a[3], "the scale matrix");
  const std::size_t K = L.rows();
  const std::size_t n = std::max(vector_count(y), vector_count(mu));
  Value r = c.b(BinaryFn::Sub, columns_of(c, y, K, n, "the variate"), columns_of(c, mu, K, n, "the location"));
  Value Lt = L;
  for (std::size_t i = 0; i < K; ++i)
    for (std::size_t j = i + 1; j < K; ++j) Lt.elems[i * K + j] = Ref::constant(0);
  Value q = column_sums_of_squares(c, tri_solve(c, Lt, r));
  const double dn = static_cast<double>(n), dK = static_cast<double>(K);
  std::vector<NodeId> terms;
  NodeId nu_n = c.in.node_of(nu);
  Value half_nu_k = c.b(BinaryFn::Mul, Value::scalar(0.5), c.b(BinaryFn::Add, nu, Value::scalar(dK)));
  if (!(c.propto && nu.all_const())) {
    NodeId t = c.g().binary(BinaryFn::Sub, c.g().unary(UnaryFn::Lgamma, c.in.node_of(half_nu_k)),
                            c.g().unary(UnaryFn::Lgamma, c.g().binary(BinaryFn::Mul, c.g().constant(0.5), nu_n)));
    t = c.g().binary(BinaryFn::Sub, t, c.g().binary(BinaryFn::Mul, c.g().constant(0.5 * dK), c.g().unary(UnaryFn::Log, nu_n)));
    terms.push_back(c.g().binary(BinaryFn::Mul, c.g().constant(dn), t));
  }
  if (!c.propto) terms.push_back(c.g().constant(-0.5 * dK * dn * std::log(std::numbers::pi)));
  Value logdiag = c.u(UnaryFn::Log, diagonal_of(Lt));
  if (!(c.propto && logdiag.all_const())) terms.push_back(c.g().binary(BinaryFn::Mul, c.g().constant(-dn), c.sum(logdiag)));
  Value lq = c.u(UnaryFn::Log1p, c.b(BinaryFn::Div, q, nu));
  Value t = c.b(BinaryFn::Mul, half_nu_k, lq);
  if (!(c.propto && t.all_const())) terms.push_back(c.g().unary(UnaryFn::Neg, c.sum(t)));
  return c.scalar(c.g().sum(terms));
}

// Stan's multi_normal_prec: -0.5 sum_i r_i' Omega r_i + n / 2 log det Omega - n K / 2 log(2 pi).
Value multi_normal_prec(const Ctx& c, std::vector<Value>& a) {
  const Value& Omega = a[2];
  const Value L = cholesky_of(c, Omega, "the precision matrix");
  const std::size_t K = L.rows();
  const std::size_t n = std::max(vector_count(a[0]), vector_count(a[1]));
  Value r = c.b(BinaryFn::Sub, columns_of(c, a[0], K, n, "the variate"), columns_of(c, a[1], K, n, "the location"));
  Value p = c.in.matrix_product(Omega, r, c.e.pos);
  std::vector<NodeId> terms;
  terms.push_back(c.g().binary(BinaryFn::Mul, c.g().constant(-0.5), c.sum(c.b(BinaryFn::Mul, r, p))));
  if (!(c.propto && Omega.all_const()))
    terms.push_back(c.g().binary(BinaryFn::Mul, c.g().constant(0.5 * static_cast<double>(n)), log_det_from_cholesky(c, L)));
  if (!c.propto) terms.push_back(c.g().constant(-0.5 * static_cast<double>(n * K) * std::log(2 * std::numbers::pi)));
  return c.scalar(c.g().sum(terms));
}

// Stan's lkj_corr: do_lkj_constant(eta, K) + (eta - 1) log det(y).
Value lkj_corr(const Ctx& c, std::vector<Value>& a) {
  const Value& y = a[0];
  const Value& eta = a[1];
  if (!eta.is_scalar()) c.fail("eta must be a scalar");
  const std::size_t K = square_matrix(c, y, "the correlation matrix").rows();
  std::vector<NodeId> terms;
  if (!(c.propto && eta.all_const()) && K > 1) lkj_constant(c, eta, K, terms);
  if (!(c.propto && eta.all_const() && y.all_const()) && !(eta.all_const() && eta.elems[0].c == 1.0)) {
    NodeId ld = log_det_from_cholesky(c, cholesky_of(c, y, "the correlation matrix"));
    terms.push_back(c.g().binary(BinaryFn::Mul, c.g().binary(BinaryFn::Sub, c.in.node_of(eta), c.g().constant(1.0)), ld));
  }
  return c.scalar(c.g().sum(terms));
}

/// lmgamma(K, x) = K (K - 1) / 4 log(pi) + sum_{j=1}^{K} lgamma(x + (1 - j) / 2).
NodeId lmgamma(const Ctx& c, std::size_t K, NodeId x) {
  std::vector<NodeId> t = {c.g().constant(static_cast<double>(K * (K - 1)) / 4 * std::log(std::numbers::pi))};
  for (std::size_t j = 1; j <= K; ++j)
    t.push_back(c.g().unary(UnaryFn::Lgamma, c.g().binary(BinaryFn::Add, x, c.g().constant((1.0 - static_cast<double>(j)) / 2))));
  return c.g().sum(t);
}

/// trace(S^-1 W) with L the Cholesky factor of S: X = L^-1, trace(X' X W) = sum((X W) .* X).
NodeId trace_inverse_times(const Ctx& c, const Value& L, const Value& W) {
  const std::size_t K = L.rows();
  Value I;
  I.base = BaseType::Matrix;
  I.dims = {K, K};
  I.elems.assign(K * K, Ref::constant(0.0));
  for (std::size_t i = 0; i < K; ++i) I.elems[i * K + i] = Ref::constant(1.0);
  Value X = tri_solve(c, L, I);
  return c.sum(c.b(BinaryFn::Mul, c.in.matrix_product(X, W, c.e.pos), X));
}

// Stan's wishart (inverse: inv_wishart): -nu K / 2 log 2 - lmgamma(K, nu / 2) -/+ nu / 2 log det S
// + (nu - K - 1) / 2 log det W - trace(S^-1 W) / 2  (inv_wishart: - (nu + K + 1) / 2 log det W
// - trace(W^-1 S) / 2).
Value wishart(const Ctx& c, std::vector<Value>& a, bool inverse) {
  const Value& W = a[0];
  const Value& nu = a[1];
  const Value& S = a[2];
  if (!nu.is_scalar()) c.fail("nu must be a scalar");
  const std::size_t K = square_matrix(c, W, "the variate").rows();
  if (S.rows() != K || S.cols() != K) c.fail(fmt::format("the scale matrix is {} x {}, expecting {} x {}", S.rows(), S.cols(), K, K));
  if (nu.all_const() && !(nu.elems[0].c > static_cast<double>(K) - 1))
    c.fail(fmt::format("degrees of freedom parameter is {}, but must be greater than {}", nu.elems[0].c, K - 1));
  const Value LW = cholesky_of(c, W, "the variate");
  const Value LS = cholesky_of(c, S, "the scale matrix");
  NodeId nu_n = c.in.node_of(nu);
  const double dK = static_cast<double>(K);
  std::vector<NodeId> terms;
  if (!(c.propto && nu.all_const())) {
    terms.push_back(c.g().binary(BinaryFn::Mul, nu_n, c.g().constant(-0.5 * dK * std::log(2.0))));
    terms.push_back(c.g().unary(UnaryFn::Neg, lmgamma(c, K, c.g().binary(BinaryFn::Mul, c.g().constant(0.5), nu_n))));
  }
  if (!(c.propto && nu.all_const() && S.all_const()))
    terms.push_back(c.g().binary(BinaryFn::Mul, c.g().binary(BinaryFn::Mul, c.g().constant(inverse ? 0.5 : -0.5), nu_n),
                                 log_det_from_cholesky(c, LS)));
  if (!(c.propto && nu.all_const() && W.all_const())) {
    NodeId coef = inverse ? c.g().binary(BinaryFn::Mul, c.g().constant(-0.5), c.g().binary(BinaryFn::Add, nu_n, c.g().constant(dK + 1)))
                          : c.g().binary(BinaryFn::Mul, c.g().constant(0.5), c.g().binary(BinaryFn::Sub, nu_n, c.g().constant(dK + 1)));
    terms.push_back(c.g().binary(BinaryFn::Mul, coef, log_det_from_cholesky(c, LW)));
  }
  if (!(c.propto && S.all_const() && W.all_const())) {
    NodeId tr = inverse ? trace_inverse_times(c, LW, S) : trace_inverse_times(c, LS, W);
    terms.push_back(c.g().binary(BinaryFn::Mul, c.g().constant(-0.5), tr));
  }
  return c.scalar(c.g().sum(terms));
}

/// The integer values of a constant ints argument.
std::vector<long long> int_values(const Ctx& c, const Value& y) {
  std::vector<long long> out;
  for (const Ref& r : y.elems) {
    if (!r.is_const()) c.fail("the variate must be data");
    out.push_back(static_cast<long long>(r.c));
  }
  return out;
}

// Stan's multinomial: lgamma(N + 1) - sum lgamma(y_k + 1) + sum_{y_k > 0} y_k log theta_k;
// multinomial_logit: the same with log theta = gamma - log_sum_exp(gamma).
Value multinomial(const Ctx& c, std::vector<Value>& a, bool logit) {
  std::vector<long long> y = int_values(c, a[0]);
  const Value& theta = a[1];
  if (y.size() != theta.size()) c.fail(fmt::format("the counts have size {} and the probabilities {}", y.size(), theta.size()));
  long long N = 0;
  double lc = 0;
  std::vector<Ref> w, th;
  for (std::size_t k = 0; k < y.size(); ++k) {
    if (y[k] < 0) c.fail(fmt::format("number of trials variables[{}] is {}, but must be nonnegative", k + 1, y[k]));
    N += y[k];
    lc -= std::lgamma(static_cast<double>(y[k]) + 1);
    if (y[k] > 0) {
      w.push_back(Ref::constant(static_cast<double>(y[k])));
      th.push_back(theta.elems[k]);
    }
  }
  lc += std::lgamma(static_cast<double>(N) + 1);
  std::vector<NodeId> terms;
  if (!c.propto) terms.push_back(c.g().constant(lc));
  if (!(c.propto && theta.all_const()) && !w.empty()) {
    Value lt = logit ? vector_of(th) : c.u(UnaryFn::Log, vector_of(th));
    terms.push_back(c.sum(c.b(BinaryFn::Mul, vector_of(w), lt)));
    if (logit)
      terms.push_back(c.g().binary(BinaryFn::Mul, c.g().constant(-static_cast<double>(N)), c.g().log_sum_exp(c.in.node_of(theta))));
  }
  return c.scalar(c.g().sum(terms));
}

// Stan's ordered_logistic / ordered_probit of y in 1..K with cutpoints c (K - 1, ascending):
// y = 1: log(1 - F(eta - c_1)), y = K: log F(eta - c_{K-1}), else log(F(eta - c_{y-1}) - F(eta - c_y)),
// F the logistic (or standard normal) cdf.
Value ordered(const Ctx& c, std::vector<Value>& a, bool probit) {
  std::vector<long long> y = int_values(c, a[0]);
  const Value& eta = a[1];
  const Value& cuts = a[2];
  const std::size_t n = y.size();
  if (!eta.is_scalar() && eta.size() != n) c.fail(fmt::format("the variate has size {} and the location {}", n, eta.size()));
  const std::size_t ncut_vectors = cuts.dims.size() == 1 ? 1 : cuts.dims[0];
  const std::size_t Km1 = ncut_vectors == 0 ? 0 : cuts.size() / ncut_vectors;
  if (ncut_vectors != 1 && ncut_vectors != n) c.fail(fmt::format("there are {} cut-point vectors for {} observations", ncut_vectors, n));
  if (Km1 == 0) c.fail("the cut-points must have at least one element");
  for (std::size_t v = 0; v < ncut_vectors; ++v)
    for (std::size_t k = 1; k < Km1; ++k) {
      const Ref &lo = cuts.elems[v * Km1 + k - 1], &hi = cuts.elems[v * Km1 + k];
      if (lo.is_const() && hi.is_const() && !(hi.c > lo.c)) c.fail("the cut-points are not in ascending order");
    }
  std::vector<Ref> e1, c1, eK, cK, em, ca, cb;
  for (std::size_t i = 0; i < n; ++i) {
    const long long k = y[i];
    if (k < 1 || k > static_cast<long long>(Km1 + 1))
      c.fail(fmt::format("random variable[{}] is {}, but must be in the interval [1, {}]", i + 1, k, Km1 + 1));
    const Ref& e = eta.elems[eta.is_scalar() ? 0 : i];
    const Ref* cv = cuts.elems.data() + (ncut_vectors == 1 ? 0 : i) * Km1;
    const std::size_t ku = static_cast<std::size_t>(k);
    if (ku == 1) {
      e1.push_back(e);
      c1.push_back(cv[0]);
    } else if (ku == Km1 + 1) {
      eK.push_back(e);
      cK.push_back(cv[Km1 - 1]);
    } else {
      em.push_back(e);
      ca.push_back(cv[ku - 2]);
      cb.push_back(cv[ku - 1]);
    }
  }
  std::vector<NodeId> terms;
  auto add = [&](const Value& t) {
    if (!(c.propto && t.all_const())) terms.push_back(c.sum(t));
  };
  if (!e1.empty()) {
    Value x = c.b(BinaryFn::Sub, vector_of(e1), vector_of(c1));
    add(probit ? c.u(UnaryFn::Log, c.u(UnaryFn::Phi, c.u(UnaryFn::Neg, x))) : c.u(UnaryFn::Log1mInvLogit, x));
  }
  if (!eK.empty()) {
    Value x = c.b(BinaryFn::Sub, vector_of(eK), vector_of(cK));
    add(probit ? c.u(UnaryFn::Log, c.u(UnaryFn::Phi, x)) : c.u(UnaryFn::LogInvLogit, x));
  }
  if (!em.empty()) {
    Value xa = c.b(BinaryFn::Sub, vector_of(em), vector_of(ca));
    Value xb = c.b(BinaryFn::Sub, vector_of(em), vector_of(cb));
    if (probit) {
      add(c.b(BinaryFn::LogDiffExp, c.u(UnaryFn::Log, c.u(UnaryFn::Phi, xa)), c.u(UnaryFn::Log, c.u(UnaryFn::Phi, xb))));
    } else {
      // Stan's log_inv_logit_diff(xa, xb) = xa - log1p_exp(xa) + log1m_exp(xb - xa) - log1p_exp(xb).
      Value t = c.b(BinaryFn::Sub, xa, c.u(UnaryFn::Log1pExp, xa));
      t = c.b(BinaryFn::Add, t, c.u(UnaryFn::Log1mExp, c.b(BinaryFn::Sub, xb, xa)));
      add(c.b(BinaryFn::Sub, t, c.u(UnaryFn::Log1pExp, xb)));
    }
  }
  return c.scalar(terms.empty() ? c.g().constant(0.0) : c.g().sum(terms));
}

}  // namespace

Value multivariate_rng(Interp& in, const lang::Expr& e, const catalog::Distribution& d, std::vector<Value>& args,
                       sampler::Rng& rng) {
  Ctx c{in, e, d.function_name(catalog::kRng), false};
  if (d.name == "dirichlet") {
    // Stan's dirichlet_rng: gamma(alpha_k, 1) draws normalized; for small alpha in log space
    // (log gamma(alpha + 1) + log(u) / alpha), then normalized by log_sum_exp.
    const Value& alpha = args[0];
    const std::size_t K = alpha.size();
    std::vector<double> logx(K);
    double mx = -std::numeric_limits<double>::infinity();
    try {
      for (std::size_t k = 0; k < K; ++k) {
        double a = alpha.elems[k].c;
        if (!(a > 0) || !std::isfinite(a)) c.fail(fmt::format("prior sample sizes[{}] is {}, but must be positive finite", k + 1, a));
        double p[2] = {a + 1, 1.0};
        logx[k] = std::log(random_variate(graph::Dist::Gamma, p, rng)) + std::log(rng.uniform_pos()) / a;
        mx = std::max(mx, logx[k]);
      }
    } catch (const std::domain_error& ex) {
      c.fail(ex.what());
    }
    double s = 0;
    for (double& x : logx) s += std::exp(x - mx);
    std::vector<Ref> out;
    for (double x : logx) out.push_back(Ref::constant(std::exp(x - mx) / s));
    return vector_of(std::move(out));
  }
  // multi_normal(_cholesky): mu + L z with z standard normal, L given or Sigma's Cholesky factor.
  const Value& mu = args[0];
  const Value& S = args[1];
  const std::size_t K = S.rows();
  if (S.cols() != K) c.fail(fmt::format("expecting a square matrix, found {} x {}", S.rows(), S.cols()));
  const std::size_t n = vector_count(mu);
  if ((n == 0 ? K : mu.size() / n) != K) c.fail(fmt::format("the location has size {}, expecting {}", n ? mu.size() / n : 0, K));
  Eigen::MatrixXd L(static_cast<Eigen::Index>(K), static_cast<Eigen::Index>(K));
  for (std::size_t i = 0; i < K; ++i)
    for (std::size_t j = 0; j < K; ++j) {
      double x = S.elems[i * K + j].c;
      if (!std::isfinite(x)) c.fail(fmt::format("the matrix has a non-finite element [{},{}] ({})", i + 1, j + 1, x));
      L(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = d.name == "multi_normal_cholesky" && j > i ? 0.0 : x;
    }
  if (d.name == "multi_normal") {
    for (std::size_t i = 0; i < K; ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (!(std::fabs(S.elems[i * K + j].c - S.elems[j * K + i].c) <= 1e-8)) c.fail("the covariance matrix is not symmetric");
    Eigen::LLT<Eigen::MatrixXd> llt(L);
    if (llt.info() != Eigen::Success) c.fail("the covariance matrix is not positive definite");
    L = llt.matrixL();
  }
  std::vector<Ref> out;
  for (std::size_t v = 0; v < n; ++v) {
    Eigen::VectorXd z(static_cast<Eigen::Index>(K));
    for (std::size_t k = 0; k < K; ++k) z(static_cast<Eigen::Index>(k)) = rng.normal();
    Eigen::VectorXd x = L.triangularView<Eigen::Lower>() * z;
    for (std::size_t k = 0; k < K; ++k) {
      double m = mu.elems[v * K + k].c;
      if (!std::isfinite(m)) c.fail(fmt::format("location parameter[{}] is {}, but must be finite", k + 1, m));
      out.push_back(Ref::constant(m + x(static_cast<Eigen::Index>(k))));
    }
  }
  Value r;
  r.base = BaseType::Vector;
  r.dims = mu.dims.size() == 1 ? std::vector<std::size_t>{K} : std::vector<std::size_t>{n, K};
  r.elems = std::move(out);
  return r;
}

bool is_multivariate(const catalog::Distribution& d) {
  static const std::set<std::string, std::less<>> names = {
      "dirichlet", "lkj_corr_cholesky", "multi_normal", "multi_normal_cholesky", "bernoulli_logit_glm",
      "poisson_log_glm", "normal_id_glm", "multi_normal_prec", "multi_student_t", "multi_student_t_cholesky",
      "lkj_corr", "wishart", "inv_wishart", "multinomial", "multinomial_logit", "ordered_logistic", "ordered_probit"};
  return names.count(d.name) > 0;
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
  if (d.name == "multi_normal_prec") return multi_normal_prec(c, args);
  if (d.name == "multi_student_t") return multi_student_t(c, args, false);
  if (d.name == "multi_student_t_cholesky") return multi_student_t(c, args, true);
  if (d.name == "lkj_corr") return lkj_corr(c, args);
  if (d.name == "wishart") return wishart(c, args, false);
  if (d.name == "inv_wishart") return wishart(c, args, true);
  if (d.name == "multinomial") return multinomial(c, args, false);
  if (d.name == "multinomial_logit") return multinomial(c, args, true);
  if (d.name == "ordered_logistic") return ordered(c, args, false);
  if (d.name == "ordered_probit") return ordered(c, args, true);
  c.fail("not a multivariate distribution");
}

}  // namespace mcmc::model

// Matrix values of the partial evaluator: products, the transpose, and the handlers of the catalogue's matrix functions (catalog/matrix_functions.cpp).
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "model/interp.hpp"

namespace mcmc::model {

using graph::BinaryFn;
using graph::NodeId;
using graph::UnaryFn;
using lang::BaseType;

namespace {

Value matrix(std::size_t r, std::size_t c, std::vector<Ref> elems) {
  Value v;
  v.base = BaseType::Matrix;
  v.dims = {r, c};
  v.elems = std::move(elems);
  return v;
}

Value vector_of(BaseType base, std::vector<Ref> elems) {
  Value v;
  v.base = base;
  v.dims = {elems.size()};
  v.elems = std::move(elems);
  return v;
}

/// The arguments of one call with the checks the handlers share.
struct Args {
  Interp& in;
  const lang::Expr& e;
  std::vector<Value>& a;

  long long int_arg(std::size_t i) const {
    if (!a[i].is_scalar() || !a[i].elems[0].is_const())
      in.fail(e.args[i].pos, "expected an integer that does not depend on parameters");
    return static_cast<long long>(a[i].elems[0].c);
  }
  [[noreturn]] void fail(const std::string& what) const { in.fail(e.pos, e.name + ": " + what); }
  Value mul(const Value& x, const Value& y) const { return Interp::binary_value(in, BinaryFn::Mul, x, y, e.pos); }
  Value add(const Value& x, const Value& y) const { return Interp::binary_value(in, BinaryFn::Add, x, y, e.pos); }
};

/// A matrix of r x c copies of a vector's elements: element (i, j) is v[pick(i, j)].
template <class F>
Value spread(const Value& v, std::size_t r, std::size_t c, F pick) {
  std::vector<Ref> out;
  out.reserve(r * c);
  for (std::size_t i = 0; i < r; ++i)
    for (std::size_t j = 0; j < c; ++j) out.push_back(v.elems[pick(i, j)]);
  return matrix(r, c, std::move(out));
}

Value square_check(const Args& c, const Value& m) {
  if (m.rows() != m.cols()) c.fail(fmt::format("expecting a square matrix, found {} x {}", m.rows(), m.cols()));
  return m;
}

Value lower_triangle(const Value& m) {
  Value out = m;
  for (std::size_t i = 0; i < m.rows(); ++i)
    for (std::size_t j = i + 1; j < m.cols(); ++j) out.elems[i * m.cols() + j] = Ref::constant(0);
  return out;
}

Value gp_exp_quad(const Args& c) {
  const Value& x = c.a[0];
  if (!x.all_const()) c.fail("the points x must be data");
  std::size_t n = x.dims[0];
  std::size_t d = n ? x.size() / n : 1;
  std::vector<Ref> d2(n * n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      double s = 0;
      for (std::size_t k = 0; k < d; ++k) {
        double diff = x.elems[i * d + k].c - x.elems[j * d + k].c;
        s += diff * diff;
      }
      d2[i * n + j] = Ref::constant(s);
    }
  // alpha^2 * exp(d2 * (-0.5 / rho^2))
  Value scale = Interp::binary_value(c.in, BinaryFn::Div, Value::scalar(-0.5),
                                     Interp::unary_value(c.in, UnaryFn::Square, c.a[2]), c.e.pos);
  Value k = Interp::unary_value(c.in, UnaryFn::Exp, c.mul(matrix(n, n, std::move(d2)), scale));
  return c.mul(k, Interp::unary_value(c.in, UnaryFn::Square, c.a[1]));
}

Value identity(std::size_t n) {
  std::vector<Ref> out(n * n, Ref::constant(0));
  for (std::size_t i = 0; i < n; ++i) out[i * n + i] = Ref::constant(1);
  return matrix(n, n, std::move(out));
}

/// A LinAlg node of the graph on the matrix `m`, wrapped as base / dims.
Value linalg(const Args& c, graph::LinAlgFn f, const Value& m, BaseType base, std::vector<std::size_t> dims) {
  NodeId n = c.in.graph().linalg(f, c.in.node_of(m), static_cast<std::uint32_t>(m.rows()));
  Value out = c.in.wrap(n, base, std::move(dims));
  if (out.all_const())
    for (const Ref& r : out.elems)
      if (std::isnan(r.c)) c.fail(f == graph::LinAlgFn::Inverse ? "the matrix is singular" : "the decomposition failed");
  return out;
}

/// tril(L)^-1 for the lower Cholesky factor of the symmetric positive-definite `a` (rejecting the
/// point, or failing with constant `a`, when it is not).
Value inverse_cholesky(const Args& c, const Value& a) {
  const Value& m = square_check(c, a);
  const std::size_t n = m.rows();
  NodeId l = c.in.graph().cholesky(c.in.node_of(m), static_cast<std::uint32_t>(n));
  Value L = c.in.wrap(l, BaseType::Matrix, {n, n});
  if (L.all_const())
    for (const Ref& r : L.elems)
      if (std::isnan(r.c)) c.fail("the matrix is not symmetric positive definite");
  NodeId x = c.in.graph().tri_solve(c.in.node_of(lower_triangle(L)), c.in.node_of(identity(n)), static_cast<std::uint32_t>(n));
  return c.in.wrap(x, BaseType::Matrix, {n, n});
}

/// a^-1 of the symmetric positive-definite a: X' X with X = L^-1 (exactly symmetric).
Value inverse_spd(const Args& c, const Value& a) {
  Value x = inverse_cholesky(c, a);
  return c.in.matrix_product(Interp::transpose(x), x, c.e.pos);
}

Value inverse_of(const Args& c, const Value& a) {
  const Value& m = square_check(c, a);
  return linalg(c, graph::LinAlgFn::Inverse, m, BaseType::Matrix, {m.rows(), m.rows()});
}

/// tril(L)^-1 of a square L (its upper triangle ignored).
Value inverse_tri_low(const Args& c, const Value& l) {
  const Value& m = square_check(c, l);
  const std::size_t n = m.rows();
  NodeId x = c.in.graph().tri_solve(c.in.node_of(lower_triangle(m)), c.in.node_of(identity(n)), static_cast<std::uint32_t>(n));
  return c.in.wrap(x, BaseType::Matrix, {n, n});
}

}  // namespace

Value Interp::matrix_divide(const Value& a, const Value& b, bool left, const lang::Expr& e) {
  std::vector<Value> args = {a, b};
  Args c{*this, e, args};
  if (left) return matrix_product(inverse_of(c, a), b, e.pos);  // a \ b
  return matrix_product(a, inverse_of(c, b), e.pos);            // a / b
}

Value Interp::transpose(const Value& a) {
  Value out = a;
  if (a.base == BaseType::Vector) {
    out.base = BaseType::RowVector;
    return out;
  }
  if (a.base == BaseType::RowVector) {
    out.base = BaseType::Vector;
    return out;
  }
  std::size_t r = a.rows(), c = a.cols();
  out.dims = {c, r};
  for (std::size_t i = 0; i < r; ++i)
    for (std::size_t j = 0; j < c; ++j) out.elems[j * r + i] = a.elems[i * c + j];
  return out;
}

Value Interp::matrix_product(const Value& a, const Value& b, lang::Pos pos) {
  const std::size_t m = a.rows(), k = a.cols(), n = b.cols();
  if (b.rows() != k)
    fail(pos, fmt::format("matrix product of a {} x {} and a {} x {} value: the inner sizes differ", m, k,
                          b.rows(), n));
  NodeId p = graph_->matmul(node_of(a), node_of(b), static_cast<std::uint32_t>(m),
                            static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(n));
  if (a.base == BaseType::RowVector && b.base == BaseType::Vector) return Value::scalar(ref_of(p));
  if (a.base == BaseType::Matrix && b.base == BaseType::Vector) return wrap(p, BaseType::Vector, {m});
  if (a.base == BaseType::RowVector) return wrap(p, BaseType::RowVector, {n});
  return wrap(p, BaseType::Matrix, {m, n});
}

Value Interp::stack_rows(Interp& in, const lang::Expr& e, const Value& a, const Value& b) {
  if (a.cols() != b.cols())
    in.fail(e.pos, fmt::format("append_row: the numbers of columns differ ({} and {})", a.cols(), b.cols()));
  std::vector<Ref> all = a.elems;
  all.insert(all.end(), b.elems.begin(), b.elems.end());
  return matrix(a.rows() + b.rows(), a.cols(), std::move(all));
}

const std::unordered_map<std::string_view, Interp::Special>& Interp::matrix_specials() {
  using E = const lang::Expr&;
  using A = std::vector<Value>&;
  static const std::unordered_map<std::string_view, Special> table = {
      {"rep_matrix", [](Interp& in, E e, A a) -> Value {
         Args c{in, e, a};
         if (a.size() == 3) {
           long long m = c.int_arg(1), n = c.int_arg(2);
           if (m < 0 || n < 0) c.fail("sizes must be non-negative");
           return spread(a[0], static_cast<std::size_t>(m), static_cast<std::size_t>(n), [](std::size_t, std::size_t) { return std::size_t{0}; });
         }
         long long n = c.int_arg(1);
         if (n < 0) c.fail("size must be non-negative");
         std::size_t len = a[0].size(), cnt = static_cast<std::size_t>(n);
         if (a[0].base == BaseType::Vector)
           return spread(a[0], len, cnt, [](std::size_t i, std::size_t) { return i; });
         return spread(a[0], cnt, len, [](std::size_t, std::size_t j) { return j; });
       }},
      {"to_matrix", [](Interp& in, E e, A a) -> Value {
         Args c{in, e, a};
         const Value& v = a[0];
         if (a.size() == 1) {
           if (v.is_matrix()) return v;
           if (v.base == BaseType::Vector) return matrix(v.size(), 1, v.elems);
           if (v.base == BaseType::RowVector) return matrix(1, v.size(), v.elems);
           Value out = matrix(v.dims[0], v.dims[1], v.elems);  // array[,] real, row by row
           return out;
         }
         long long m = c.int_arg(1), n = c.int_arg(2);
         if (m < 0 || n < 0 || static_cast<std::size_t>(m * n) != v.size())
           c.fail(fmt::format("{} x {} does not hold the {} elements", m, n, v.size()));
         // Column-major fill from the elements in column-major order.
         std::vector<Ref> src = v.elems;
         if (v.is_matrix()) {
           src.clear();
           for (std::size_t j = 0; j < v.cols(); ++j)
             for (std::size_t i = 0; i < v.rows(); ++i) src.push_back(v.elems[i * v.cols() + j]);
         }
         std::size_t M = static_cast<std::size_t>(m), N = static_cast<std::size_t>(n);
         return spread(vector_of(BaseType::Vector, src), M, N, [M](std::size_t i, std::size_t j) { return j * M + i; });
       }},
      {"diag_matrix", [](Interp& in, E e, A a) -> Value {
         std::size_t n = a[0].size();
         std::vector<Ref> out(n * n, Ref::constant(0));
         for (std::size_t i = 0; i < n; ++i) out[i * n + i] = a[0].elems[i];
         return matrix(n, n, std::move(out));
       }},
      {"identity_matrix", [](Interp& in, E e, A a) -> Value {
         Args c{in, e, a};
         long long n = c.int_arg(0);
         if (n < 0) c.fail("size must be non-negative");
         std::size_t N = static_cast<std::size_t>(n);
         std::vector<Ref> out(N * N, Ref::constant(0));
         for (std::size_t i = 0; i < N; ++i) out[i * N + i] = Ref::constant(1);
         return matrix(N, N, std::move(out));
       }},
      {"diagonal", [](Interp& in, E e, A a) -> Value {
         std::size_t n = std::min(a[0].rows(), a[0].cols());
         std::vector<Ref> out;
         for (std::size_t i = 0; i < n; ++i) out.push_back(a[0].elems[i * a[0].cols() + i]);
         return vector_of(BaseType::Vector, std::move(out));
       }},
      {"trace", [](Interp& in, E e, A a) -> Value {
         std::size_t n = std::min(a[0].rows(), a[0].cols());
         std::vector<Ref> d;
         for (std::size_t i = 0; i < n; ++i) d.push_back(a[0].elems[i * a[0].cols() + i]);
         return Value::scalar(in.ref_of(in.graph().sum(std::vector<NodeId>{in.node_of(vector_of(BaseType::Vector, d))})));
       }},
      {"diag_pre_multiply", [](Interp& in, E e, A a) -> Value {
         Args c{in, e, a};
         const Value& m = a[1];
         if (a[0].size() != m.rows()) c.fail("the vector's size differs from the matrix's rows");
         return c.mul(spread(a[0], m.rows(), m.cols(), [](std::size_t i, std::size_t) { return i; }), m);
       }},
      {"diag_post_multiply", [](Interp& in, E e, A a) -> Value {
         Args c{in, e, a};
         const Value& m = a[0];
         if (a[1].size() != m.cols()) c.fail("the vector's size differs from the matrix's columns");
         return c.mul(m, spread(a[1], m.rows(), m.cols(), [](std::size_t, std::size_t j) { return j; }));
       }},
      {"add_diag", [](Interp& in, E e, A a) -> Value {
         Args c{in, e, a};
         Value m = a[0];
         std::size_t n = std::min(m.rows(), m.cols());
         if (!a[1].is_scalar() && a[1].size() != n) c.fail("the diagonal's size differs");
         std::vector<Ref> d;
         for (std::size_t i = 0; i < n; ++i) d.push_back(m.elems[i * m.cols() + i]);
         Value sum = c.add(vector_of(BaseType::Vector, d), a[1]);
         for (std::size_t i = 0; i < n; ++i) m.elems[i * m.cols() + i] = sum.elems[i];
         return m;
       }},
      {"append_col", [](Interp& in, E e, A a) -> Value {
         Args c{in, e, a};
         const Value &x = a[0], &y = a[1];
         if (x.base == BaseType::RowVector || y.base == BaseType::RowVector || x.is_scalar() || y.is_scalar()) {
           std::vector<Ref> all = x.elems;
           all.insert(all.end(), y.elems.begin(), y.elems.end());
           return vector_of(BaseType::RowVector, std::move(all));
         }
         if (x.rows() != y.rows()) c.fail(fmt::format("the numbers of rows differ ({} and {})", x.rows(), y.rows()));
         std::size_t r = x.rows(), cx = x.cols(), cy = y.cols();
         std::vector<Ref> out;
         for (std::size_t i = 0; i < r; ++i) {
           for (std::size_t j = 0; j < cx; ++j) out.push_back(x.elems[i * cx + j]);
           for (std::size_t j = 0; j < cy; ++j) out.push_back(y.elems[i * cy + j]);
         }
         return matrix(r, cx + cy, std::move(out));
       }},
      {"col", [](Interp& in, E e, A a) -> Value {
         Args c{in, e, a};
         long long j = c.int_arg(1);
         const Value& m = a[0];
         if (j < 1 || j > static_cast<long long>(m.cols())) c.fail(fmt::format("column {} is outside 1..{}", j, m.cols()));
         std::vector<Ref> out;
         for (std::size_t i = 0; i < m.rows(); ++i) out.push_back(m.elems[i * m.cols() + static_cast<std::size_t>(j - 1)]);
         return vector_of(BaseType::Vector, std::move(out));
       }},
      {"row", [](Interp& in, E e, A a) -> Value {
         Args c{in, e, a};
         long long i = c.int_arg(1);
         const Value& m = a[0];
         if (i < 1 || i > static_cast<long long>(m.rows())) c.fail(fmt::format("row {} is outside 1..{}", i, m.rows()));
         auto first = m.elems.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(i - 1) * m.cols());
         return vector_of(BaseType::RowVector, std::vector<Ref>(first, first + static_cast<std::ptrdiff_t>(m.cols())));
       }},
      {"block", [](Interp& in, E e, A a) -> Value {
         Args c{in, e, a};
         const Value& m = a[0];
         long long i = c.int_arg(1), j = c.int_arg(2), nr = c.int_arg(3), nc = c.int_arg(4);
         if (i < 1 || j < 1 || nr < 0 || nc < 0 || i + nr - 1 > static_cast<long long>(m.rows()) ||
             j + nc - 1 > static_cast<long long>(m.cols()))
           c.fail("the block lies outside the matrix");
         std::vector<Ref> out;
         for (long long r = 0; r < nr; ++r)
           for (long long q = 0; q < nc; ++q)
             out.push_back(m.elems[static_cast<std::size_t>(i - 1 + r) * m.cols() + static_cast<std::size_t>(j - 1 + q)]);
         return matrix(static_cast<std::size_t>(nr), static_cast<std::size_t>(nc), std::move(out));
       }},
      {"sub_col", [](Interp& in, E e, A a) -> Value {
         Args c{in, e, a};
         const Value& m = a[0];
         long long i = c.int_arg(1), j = c.int_arg(2), n = c.int_arg(3);
         if (i < 1 || j < 1 || n < 0 || i + n - 1 > static_cast<long long>(m.rows()) || j > static_cast<long long>(m.cols()))
           c.fail("the column segment lies outside the matrix");
         std::vector<Ref> out;
         for (long long r = 0; r < n; ++r) out.push_back(m.elems[static_cast<std::size_t>(i - 1 + r) * m.cols() + static_cast<std::size_t>(j - 1)]);
         return vector_of(BaseType::Vector, std::move(out));
       }},
      {"sub_row", [](Interp& in, E e, A a) -> Value {
         Args c{in, e, a};
         const Value& m = a[0];
         long long i = c.int_arg(1), j = c.int_arg(2), n = c.int_arg(3);
         if (i < 1 || j < 1 || n < 0 || j + n - 1 > static_cast<long long>(m.cols()) || i > static_cast<long long>(m.rows()))
           c.fail("the row segment lies outside the matrix");
         std::vector<Ref> out;
         for (long long q = 0; q < n; ++q) out.push_back(m.elems[static_cast<std::size_t>(i - 1) * m.cols() + static_cast<std::size_t>(j - 1 + q)]);
         return vector_of(BaseType::RowVector, std::move(out));
       }},
      {"columns_dot_product", [](Interp& in, E e, A a) -> Value {
         Args c{in, e, a};
         if (a[0].dims != a[1].dims) c.fail("the arguments' sizes differ");
         Value p = c.mul(a[0], a[1]);
         if (p.base != BaseType::Matrix) p = p.base == BaseType::Vector ? matrix(p.size(), 1, p.elems) : matrix(1, p.size(), p.elems);
         Value ones = vector_of(BaseType::RowVector, std::vector<Ref>(p.rows(), Ref::constant(1)));
         return in.matrix_product(ones, p, e.pos);
       }},
      {"transpose", [](Interp&, E, A a) -> Value { return transpose(a[0]); }},
      {"crossprod", [](Interp& in, E e, A a) -> Value { return in.matrix_product(transpose(a[0]), a[0], e.pos); }},
      {"tcrossprod", [](Interp& in, E e, A a) -> Value { return in.matrix_product(a[0], transpose(a[0]), e.pos); }},
      {"quad_form_diag", [](Interp& in, E e, A a) -> Value {
         Args c{in, e, a};
         const Value& m = square_check(c, a[0]);
         const Value& v = a[1];
         if (v.size() != m.rows()) c.fail("the vector's size differs from the matrix's");
         std::size_t n = m.rows();
         Value vi = spread(v, n, n, [](std::size_t i, std::size_t) { return i; });
         Value vj = spread(v, n, n, [](std::size_t, std::size_t j) { return j; });
         return c.mul(c.mul(vi, m), vj);
       }},
      {"multiply_lower_tri_self_transpose", [](Interp& in, E e, A a) -> Value {
         Value l = lower_triangle(a[0]);
         return in.matrix_product(l, transpose(l), e.pos);
       }},
      {"cholesky_decompose", [](Interp& in, E e, A a) -> Value {
         Args c{in, e, a};
         const Value& m = square_check(c, a[0]);
         std::size_t n = m.rows();
         NodeId l = in.graph().cholesky(in.node_of(m), static_cast<std::uint32_t>(n));
         Value out = in.wrap(l, BaseType::Matrix, {n, n});
         if (out.all_const())
           for (const Ref& r : out.elems)
             if (std::isnan(r.c)) c.fail("the matrix is not symmetric positive definite");
         return lower_triangle(out);
       }},
      {"log_determinant", [](Interp& in, E e, A a) -> Value {
         const Value& m = square_check(Args{in, e, a}, a[0]);
         return Value::scalar(in.ref_of(in.graph().log_determinant(in.node_of(m), static_cast<std::uint32_t>(m.rows()))));
       }},
      {"mdivide_left_tri_low", [](Interp& in, E e, A a) -> Value {
         Args c{in, e, a};
         const Value& l = square_check(c, a[0]);
         const Value& b = a[1];
         if (b.rows() != l.rows()) c.fail(fmt::format("the sizes differ ({} x {} and {} rows)", l.rows(), l.cols(), b.rows()));
         NodeId x = in.graph().tri_solve(in.node_of(lower_triangle(l)), in.node_of(b), static_cast<std::uint32_t>(l.rows()));
         if (b.base == BaseType::Vector) return in.wrap(x, BaseType::Vector, {b.rows()});
         return in.wrap(x, BaseType::Matrix, {b.rows(), b.cols()});
       }},
      {"inverse", [](Interp& in, E e, A a) -> Value { return inverse_of(Args{in, e, a}, a[0]); }},
      {"inverse_spd", [](Interp& in, E e, A a) -> Value { return inverse_spd(Args{in, e, a}, a[0]); }},
      {"determinant", [](Interp& in, E e, A a) -> Value {
         Args c{in, e, a};
         const Value& m = square_check(c, a[0]);
         NodeId d = in.graph().linalg(graph::LinAlgFn::Determinant, in.node_of(m), static_cast<std::uint32_t>(m.rows()));
         return Value::scalar(in.ref_of(d));
       }},
      {"eigenvalues_sym", [](Interp& in, E e, A a) -> Value {
         Args c{in, e, a};
         const Value& m = square_check(c, a[0]);
         return linalg(c, graph::LinAlgFn::EigenvaluesSym, m, BaseType::Vector, {m.rows()});
       }},
      {"eigenvectors_sym", [](Interp& in, E e, A a) -> Value {
         Args c{in, e, a};
         const Value& m = square_check(c, a[0]);
         return linalg(c, graph::LinAlgFn::EigenvectorsSym, m, BaseType::Matrix, {m.rows(), m.rows()});
       }},
      {"singular_values", [](Interp& in, E e, A a) -> Value {
         Args c{in, e, a};
         return linalg(c, graph::LinAlgFn::SingularValues, a[0], BaseType::Vector, {std::min(a[0].rows(), a[0].cols())});
       }},
      {"mdivide_left", [](Interp& in, E e, A a) -> Value { return in.matrix_divide(a[0], a[1], true, e); }},
      {"mdivide_right", [](Interp& in, E e, A a) -> Value { return in.matrix_divide(a[0], a[1], false, e); }},
      {"mdivide_left_spd", [](Interp& in, E e, A a) -> Value {
         Args c{in, e, a};
         if (a[1].rows() != a[0].rows()) c.fail(fmt::format("the sizes differ ({} x {} and {} rows)", a[0].rows(), a[0].cols(), a[1].rows()));
         Value x = inverse_cholesky(c, a[0]);  // a^-1 b = X' (X b)
         return in.matrix_product(transpose(x), in.matrix_product(x, a[1], e.pos), e.pos);
       }},
      {"mdivide_right_spd", [](Interp& in, E e, A a) -> Value {
         Args c{in, e, a};
         if (a[0].cols() != a[1].rows()) c.fail(fmt::format("the sizes differ ({} columns and {} x {})", a[0].cols(), a[1].rows(), a[1].cols()));
         Value x = inverse_cholesky(c, a[1]);  // b a^-1 = (b X') X
         return in.matrix_product(in.matrix_product(a[0], transpose(x), e.pos), x, e.pos);
       }},
      {"mdivide_right_tri_low", [](Interp& in, E e, A a) -> Value {
         Args c{in, e, a};
         return in.matrix_product(a[0], inverse_tri_low(c, a[1]), e.pos);
       }},
      {"gp_exp_quad_cov", [](Interp& in, E e, A a) -> Value { return gp_exp_quad(Args{in, e, a}); }},
      {"cov_exp_quad", [](Interp& in, E e, A a) -> Value { return gp_exp_quad(Args{in, e, a}); }},
  };
  return table;
}

}  // namespace mcmc::model

// The built-in matrix functions (linear algebra, matrix construction and slicing): one record each.
#include "catalog/matrix_functions.hpp"

#include "catalog/signatures.hpp"

namespace mcmc::catalog {
namespace {

using namespace sig;

const Type kMatrix{BaseType::Matrix, 0};

Function special(std::string name, Resolver r, std::vector<std::string> sigs, std::string doc) {
  return Function{std::move(name), Group::Matrix, std::move(r), std::move(sigs), std::move(doc),
                  Impl::Special};
}

/// A fixed list of argument types (int promotes to real where real is asked) -> result.
Resolver exactly(std::vector<Type> params, Type result) {
  return [params, result](const Args& a) -> Result {
    if (a.size() != params.size()) return std::nullopt;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!(a[i] == params[i] || (params[i] == kReal && a[i].is_int()))) return std::nullopt;
    return result;
  };
}

/// The first resolver that matches.
Resolver any_of(std::vector<Resolver> rs) {
  return [rs](const Args& a) -> Result {
    for (const Resolver& r : rs)
      if (Result t = r(a)) return t;
    return std::nullopt;
  };
}

Result gp_cov_fn(const Args& a) {
  if (a.size() != 3 || !a[1].is_scalar() || !a[2].is_scalar()) return std::nullopt;
  bool reals = (a[0].base == BaseType::Real || a[0].base == BaseType::Int) && a[0].array_dims == 1;
  bool vectors = a[0].base == BaseType::Vector && a[0].array_dims == 1;
  if (!reals && !vectors) return std::nullopt;
  return kMatrix;
}

Result to_matrix_fn(const Args& a) {
  if (a.size() == 1 && (a[0].is_matrix() || a[0].is_vector_like())) return kMatrix;
  if (a.size() == 1 && a[0].array_dims == 2 && (a[0].base == BaseType::Real || a[0].base == BaseType::Int))
    return kMatrix;
  if (a.size() == 3 && a[1].is_int() && a[2].is_int() &&
      (a[0].is_linear_algebra() ||
       (a[0].array_dims == 1 && (a[0].base == BaseType::Real || a[0].base == BaseType::Int))))
    return kMatrix;
  return std::nullopt;
}

Result append_col_fn(const Args& a) {
  if (a.size() != 2) return std::nullopt;
  auto col_like = [](const Type& t) { return t.is_matrix() || t == kVector; };
  if (col_like(a[0]) && col_like(a[1])) return kMatrix;
  auto row_like = [](const Type& t) { return t == kRowVector || t.is_scalar(); };
  if (row_like(a[0]) && row_like(a[1]) && !(a[0].is_scalar() && a[1].is_scalar())) return kRowVector;
  return std::nullopt;
}

}  // namespace

std::vector<Function> matrix_functions() {
  const Type kInt{BaseType::Int, 0};
  return {
      special("rep_matrix",
              any_of({exactly({kReal, kInt, kInt}, kMatrix), exactly({kVector, kInt}, kMatrix),
                      exactly({kRowVector, kInt}, kMatrix)}),
              {"(real x, int m, int n) => matrix", "(vector v, int n) => matrix",
               "(row_vector rv, int m) => matrix"},
              "an m x n matrix of copies of x; n copies of the column v; m copies of the row rv"),
      special("to_matrix", to_matrix_fn,
              {"(matrix | vector | row_vector) => matrix", "(array[,] real) => matrix",
               "(vector | row_vector | matrix | array[] real, int m, int n) => matrix"},
              "a matrix of the elements (from arrays row by row; with m, n filled column-major)"),
      special("diag_matrix", exactly({kVector}, kMatrix), {"(vector) => matrix"},
              "the diagonal matrix with diagonal v"),
      special("identity_matrix", exactly({kInt}, kMatrix), {"(int n) => matrix"}, "the n x n identity"),
      special("diagonal", exactly({kMatrix}, kVector), {"(matrix) => vector"}, "the diagonal"),
      special("diag_pre_multiply",
              any_of({exactly({kVector, kMatrix}, kMatrix), exactly({kRowVector, kMatrix}, kMatrix)}),
              {"(vector | row_vector v, matrix m) => matrix"}, "diag_matrix(v) * m"),
      special("diag_post_multiply",
              any_of({exactly({kMatrix, kVector}, kMatrix), exactly({kMatrix, kRowVector}, kMatrix)}),
              {"(matrix m, vector | row_vector v) => matrix"}, "m * diag_matrix(v)"),
      special("add_diag",
              any_of({exactly({kMatrix, kReal}, kMatrix), exactly({kMatrix, kVector}, kMatrix),
                      exactly({kMatrix, kRowVector}, kMatrix)}),
              {"(matrix m, real | vector | row_vector d) => matrix"}, "m with d added to its diagonal"),
      special("append_col", append_col_fn,
              {"(matrix | vector, matrix | vector) => matrix",
               "(row_vector | real, row_vector | real) => row_vector"},
              "the columns of both side by side"),
      special("col", exactly({kMatrix, kInt}, kVector), {"(matrix, int j) => vector"}, "column j"),
      special("row", exactly({kMatrix, kInt}, kRowVector), {"(matrix, int i) => row_vector"}, "row i"),
      special("block", exactly({kMatrix, kInt, kInt, kInt, kInt}, kMatrix),
              {"(matrix, int i, int j, int rows, int cols) => matrix"},
              "the rows x cols block from row i, column j"),
      special("sub_col", exactly({kMatrix, kInt, kInt, kInt}, kVector),
              {"(matrix, int i, int j, int n) => vector"}, "n elements of column j from row i"),
      special("sub_row", exactly({kMatrix, kInt, kInt, kInt}, kRowVector),
              {"(matrix, int i, int j, int n) => row_vector"}, "n elements of row i from column j"),
      special("columns_dot_product",
              any_of({exactly({kMatrix, kMatrix}, kRowVector), exactly({kVector, kVector}, kRowVector),
                      exactly({kRowVector, kRowVector}, kRowVector)}),
              {"(matrix, matrix) => row_vector", "(vector, vector) => row_vector",
               "(row_vector, row_vector) => row_vector"},
              "the dot products of the columns"),
      special("transpose",
              any_of({exactly({kMatrix}, kMatrix), exactly({kVector}, kRowVector), exactly({kRowVector}, kVector)}),
              {"(matrix) => matrix", "(vector) => row_vector", "(row_vector) => vector"}, "the transpose, x'"),
      special("trace", exactly({kMatrix}, kReal), {"(matrix) => real"}, "the sum of the diagonal"),
      special("crossprod", exactly({kMatrix}, kMatrix), {"(matrix x) => matrix"}, "x' * x"),
      special("tcrossprod", exactly({kMatrix}, kMatrix), {"(matrix x) => matrix"}, "x * x'"),
      special("quad_form_diag",
              any_of({exactly({kMatrix, kVector}, kMatrix), exactly({kMatrix, kRowVector}, kMatrix)}),
              {"(matrix m, vector | row_vector v) => matrix"}, "diag_matrix(v) * m * diag_matrix(v)"),
      special("multiply_lower_tri_self_transpose", exactly({kMatrix}, kMatrix), {"(matrix x) => matrix"},
              "L * L' with L the lower triangle of x"),
      special("cholesky_decompose", exactly({kMatrix}, kMatrix), {"(matrix a) => matrix"},
              "the lower Cholesky factor L of the symmetric positive-definite a (a = L * L')"),
      special("log_determinant", exactly({kMatrix}, kReal), {"(matrix a) => real"}, "log |det a|"),
      special("mdivide_left_tri_low",
              any_of({exactly({kMatrix, kVector}, kVector), exactly({kMatrix, kMatrix}, kMatrix)}),
              {"(matrix L, vector b) => vector", "(matrix L, matrix B) => matrix"},
              "L \\ b with L lower triangular (its upper triangle is ignored)"),
      special("inverse", exactly({kMatrix}, kMatrix), {"(matrix a) => matrix"}, "a^-1 (partial-pivoting LU)"),
      special("inverse_spd", exactly({kMatrix}, kMatrix), {"(matrix a) => matrix"},
              "a^-1 of the symmetric positive-definite a (through its Cholesky factor)"),
      special("determinant", exactly({kMatrix}, kReal), {"(matrix a) => real"}, "det a"),
      special("eigenvalues_sym", exactly({kMatrix}, kVector), {"(matrix a) => vector"},
              "the eigenvalues of the symmetric a, ascending"),
      special("eigenvectors_sym", exactly({kMatrix}, kMatrix), {"(matrix a) => matrix"},
              "the eigenvectors of the symmetric a as columns, in the order of eigenvalues_sym"),
      special("singular_values", exactly({kMatrix}, kVector), {"(matrix a) => vector"},
              "the singular values of a, descending"),
      special("mdivide_left", any_of({exactly({kMatrix, kVector}, kVector), exactly({kMatrix, kMatrix}, kMatrix)}),
              {"(matrix a, vector b) => vector", "(matrix a, matrix b) => matrix"}, "a \\ b = a^-1 b"),
      special("mdivide_right", any_of({exactly({kRowVector, kMatrix}, kRowVector), exactly({kMatrix, kMatrix}, kMatrix)}),
              {"(row_vector b, matrix a) => row_vector", "(matrix b, matrix a) => matrix"}, "b / a = b a^-1"),
      special("mdivide_left_spd", any_of({exactly({kMatrix, kVector}, kVector), exactly({kMatrix, kMatrix}, kMatrix)}),
              {"(matrix a, vector b) => vector", "(matrix a, matrix b) => matrix"},
              "a^-1 b for the symmetric positive-definite a"),
      special("mdivide_right_spd", any_of({exactly({kRowVector, kMatrix}, kRowVector), exactly({kMatrix, kMatrix}, kMatrix)}),
              {"(row_vector b, matrix a) => row_vector", "(matrix b, matrix a) => matrix"},
              "b a^-1 for the symmetric positive-definite a"),
      special("mdivide_right_tri_low",
              any_of({exactly({kRowVector, kMatrix}, kRowVector), exactly({kMatrix, kMatrix}, kMatrix)}),
              {"(row_vector b, matrix L) => row_vector", "(matrix b, matrix L) => matrix"},
              "b tril(L)^-1 (L's upper triangle is ignored)"),
      special("gp_exp_quad_cov", gp_cov_fn,
              {"(array[] real x, real alpha, real rho) => matrix",
               "(array[] vector x, real alpha, real rho) => matrix"},
              "alpha^2 exp(-|x_i - x_j|^2 / (2 rho^2)) (x data)"),
      special("cov_exp_quad", gp_cov_fn,
              {"(array[] real x, real alpha, real rho) => matrix",
               "(array[] vector x, real alpha, real rho) => matrix"},
              "the old name of gp_exp_quad_cov"),
  };
}

}  // namespace mcmc::catalog

// Forward and reverse kernels of the graph's matrix operations (MatMul, Cholesky), for K chains laid out chain-minor.
#pragma once

#include <cstddef>
#include <cstdint>

#include "graph/graph.hpp"
#include "graph/sweep_arg.hpp"

namespace mcmc::graph {

/// out = A B with A m x k, B k x n (row-major); out[(i * n + j) * K + c].
void matmul_forward(const Arg& A, const Arg& B, double* out, std::size_t m, std::size_t k,
                    std::size_t n, std::size_t K);
/// A's adjoint += g B^T, B's adjoint += A^T g (constants skipped).
void matmul_reverse(const Arg& A, const Arg& B, const double* g, std::size_t m, std::size_t k,
                    std::size_t n, std::size_t K);

/// out = the lower Cholesky factor of the n x n symmetric A (Eigen's LLT, which reads A's lower
/// triangle); a chain whose A is not symmetric or not positive definite is rejected.
void cholesky_forward(const Arg& A, double* out, std::size_t n, std::size_t K, std::uint8_t* reject);
/// A's adjoint (lower triangle, as the forward reads it) from L and L's adjoint g (Murray 2016:
/// Abar = L^-T Phi(L^T Lbar) L^-1, Phi: the lower triangle with the diagonal halved).
void cholesky_reverse(const Arg& A, const double* L, const double* g, std::size_t n, std::size_t K);

/// out = log |det A| (Eigen's partial-pivoting LU); a singular A rejects the chain.
void logdet_forward(const Arg& A, double* out, std::size_t n, std::size_t K, std::uint8_t* reject);
/// A's adjoint += g A^-T.
void logdet_reverse(const Arg& A, const double* g, std::size_t n, std::size_t K);

/// out = tril(L)^-1 B with L n x n, B n x m; a zero on L's diagonal rejects the chain.
void trisolve_forward(const Arg& L, const Arg& B, double* out, std::size_t n, std::size_t m, std::size_t K,
                      std::uint8_t* reject);
/// B's adjoint += L^-T g; L's adjoint -= tril(L^-T g X^T) (X the output).
void trisolve_reverse(const Arg& L, const Arg& B, const double* X, const double* g, std::size_t n, std::size_t m,
                      std::size_t K);

/// out = f(A) for A m x n (LinAlgFn); a singular A (Inverse) or a failed decomposition rejects the chain.
void linalg_forward(LinAlgFn f, const Arg& A, double* out, std::size_t m, std::size_t n, std::size_t K,
                    std::uint8_t* reject);
/// A's adjoint from the output Y and its adjoint g (Giles 2008): Inverse: -Y^T g Y^T; Determinant:
/// g det A^-T; EigenvaluesSym: V diag(g) V^T; EigenvectorsSym: V (F o V^T g) V^T with
/// F_ij = 1 / (lambda_j - lambda_i) off the diagonal; SingularValues: U diag(g) V^T.
void linalg_reverse(LinAlgFn f, const Arg& A, const double* Y, const double* g, std::size_t m, std::size_t n,
                    std::size_t K);

}  // namespace mcmc::graph

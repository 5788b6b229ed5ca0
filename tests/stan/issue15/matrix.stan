// Matrix operations of issue 15 with parameter arguments: products of every shape, the transpose,
// indexing and slicing, and the matrix functions, checked against rstan by tests/stan/crosscheck.sh.
data {
  int<lower=1> N;
  int<lower=1> D;
  matrix[N, D] X;
  vector[N] y;
  array[N] real x;
}
parameters {
  vector[D] beta;
  real<lower=0> sigma;
  matrix[2, 3] B;
  row_vector[3] rv;
  vector[2] v;
  real<lower=0> rho;
  real<lower=0> alpha;
  vector[N] z;
}
transformed parameters {
  matrix[N, N] K = cov_exp_quad(x, alpha, rho) + diag_matrix(rep_vector(0.1, N));
  matrix[N, N] L = cholesky_decompose(K);
}
model {
  matrix[3, 2] Bt = B';
  matrix[2, 2] S = B * B' + diag_matrix(rep_vector(1, 2));
  y ~ normal(X * beta, sigma);
  target += normal_lpdf(to_vector(B) | 0, 1) + normal_lpdf(rv | 0, 1) + normal_lpdf(v | 0, 1);
  target += sum(Bt * v) + rv * Bt * v + sum(rv * B') + sum(v * rv) + 0.5 * sum(B[2]) + sum(B[:, 2]);
  target += sum(B[1:2, 2:3]) * 0.1 + sum(Bt[2:3, 1]) + sum(S) * 0.01;
  target += sum(diag_pre_multiply(v, B)) + sum(diag_post_multiply(B, rv)) + trace(S) * 0.1;
  target += sum(quad_form_diag(S, v)) * 0.01 + sum(multiply_lower_tri_self_transpose(S)) * 0.01;
  target += sum(columns_dot_product(B, B)) * 0.1 + sum(rows_dot_product(B, B)) * 0.1;
  target += sum(append_row(B, rv)) * 0.1 + sum(append_col(B, v)) * 0.1 + sum(crossprod(B)) * 0.01;
  target += sum(tcrossprod(B)) * 0.01 + sum(diagonal(S)) * 0.1 + sum(rep_matrix(v, 2)) * 0.1;
  target += sum(rep_matrix(rv, 2) .* B) * 0.1 + sum(to_matrix(rv, 3, 1)) + sum(cumulative_sum(v));
  target += log_softmax(v)[1] + softmax(to_vector(rv))[2] + sum(B ./ S[1, 1]) * 0.1;
  target += log_determinant(S) + sum(mdivide_left_tri_low(cholesky_decompose(S), v));
  target += sum(L * z) * 0.1 + normal_lpdf(z | 0, 1) + sum(col(B, 2)) + sum(row(B, 1)) * 0.1;
  target += sum(block(B, 1, 2, 2, 2)) * 0.1 + sum(sub_col(B, 1, 3, 2)) + sum(sub_row(B, 2, 1, 2));
  rho ~ gamma(5, 5);
  alpha ~ normal(0, 1);
}

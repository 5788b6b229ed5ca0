// The linear algebra and multivariate distributions added by issue 15's second part, each with
// parameter arguments, checked against rstan's log_prob and gradient by tests/stan/crosscheck.sh.
data {
  int<lower=1> N;
  array[N] int<lower=1, upper=4> yo;
  vector[N] x;
  array[3] int<lower=0> counts;
  array[2] vector[3] yv;
}
parameters {
  cov_matrix[3] S;
  corr_matrix[3] Om;
  ordered[3] cuts;
  real beta;
  simplex[3] theta;
  vector[3] mu;
  real<lower=1> nu;
  matrix[3, 3] A;
  cholesky_factor_cov[3] L;
}
model {
  matrix[3, 3] B = A + diag_matrix(rep_vector(3, 3));
  target += multi_normal_prec_lpdf(yv | mu, S);
  target += multi_student_t_lpdf(yv | nu, mu, S);
  target += lkj_corr_lpdf(Om | 2.5);
  target += wishart_lpdf(S | 5, diag_matrix(rep_vector(1.5, 3)) + Om);
  target += inv_wishart_lpdf(S | 4.5, Om);
  target += multinomial_lpmf(counts | theta);
  target += ordered_logistic_lpmf(yo | beta * x, cuts);
  for (n in 1:N) target += ordered_probit_lpmf(yo[n] | beta * x[n], cuts);  // rstan 2.21 has no vector form
  target += normal_lpdf(to_vector(A) | 0, 1) + normal_lpdf(to_vector(L) | 0, 1);
  target += -0.05 * square(determinant(B));
  target += 0.1 * sum(inverse(B));
  target += 0.1 * sum(inverse_spd(S));
  target += -0.1 * sum(eigenvalues_sym(S));
  target += 0.1 * sum(square(eigenvectors_sym(S)) * [1, 2, 3]');
  target += -0.1 * sum(singular_values(A));
  target += 0.1 * sum(mdivide_left_spd(S, mu));
  target += 0.1 * sum(mdivide_right_tri_low(mu', L));
  target += 0.1 * sum(mu' / B) + 0.1 * sum(B \ mu);
  mu ~ normal(0, 1);
  nu ~ gamma(2, 0.5);
  beta ~ normal(0, 1);
}

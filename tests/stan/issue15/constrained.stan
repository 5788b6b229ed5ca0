// Constrained matrix and vector types of issue 15 (cov_matrix, corr_matrix, cholesky_factor_cov,
// unit_vector): Stan's transforms, Jacobians and inverse transforms, checked against rstan's
// log_prob, constrain_pars and unconstrain_pars (tests/stan/issue15/make_constrained_reference.R).
parameters {
  cov_matrix[3] Sigma;
  corr_matrix[3] Omega;
  array[2] corr_matrix[2] Om2;
  corr_matrix[4] Omega4;
  cholesky_factor_cov[3] Lsq;
  cholesky_factor_cov[4, 2] Lrect;
  unit_vector[3] u;
  array[2] unit_vector[2] uu;
}
model {
  to_vector(Sigma) ~ normal(0.5, 2);
  to_vector(Omega) ~ normal(0.1, 1);
  target += normal_lpdf(to_vector(Om2[1]) | 0, 1) + normal_lpdf(to_vector(Om2[2]) | 0.2, 1);
  to_vector(Omega4) ~ normal(-0.1, 1);
  to_vector(Lsq) ~ normal(0.3, 1.5);
  to_vector(Lrect) ~ normal(-0.2, 1.2);
  u ~ normal(0.2, 1);
  target += normal_lpdf(uu[1] | 0.5, 1) + normal_lpdf(uu[2] | -0.5, 1);
}

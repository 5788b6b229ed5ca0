// Varying intercepts and slopes with correlated group effects: the everyday hierarchical model
// with cholesky_factor_corr, lkj_corr_cholesky and diag_pre_multiply (non-centred).
data {
  int<lower=1> N;
  int<lower=1> J;
  array[N] int<lower=1, upper=J> g;
  vector[N] x;
  vector[N] y;
}
parameters {
  vector[2] mu;
  vector<lower=0>[2] tau;
  cholesky_factor_corr[2] L;
  matrix[2, J] z;
  real<lower=0> sigma;
}
transformed parameters {
  matrix[2, J] b = rep_matrix(mu, J) + diag_pre_multiply(tau, L) * z;
}
model {
  mu ~ normal(0, 5);
  tau ~ normal(0, 2);
  L ~ lkj_corr_cholesky(2);
  to_vector(z) ~ normal(0, 1);
  sigma ~ normal(0, 2);
  vector[N] m;
  for (n in 1:N) m[n] = b[1, g[n]] + b[2, g[n]] * x[n];
  y ~ normal(m, sigma);
}

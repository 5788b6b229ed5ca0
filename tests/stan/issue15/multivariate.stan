// Multivariate distributions, GLMs and cholesky_factor_corr of issue 15 with parameter arguments,
// checked against rstan's log_prob by tests/stan/crosscheck.sh.
data {
  int<lower=1> N;
  matrix[N, 2] X;
  array[N] int<lower=0, upper=1> b;
  array[N] int<lower=0> k;
  vector[N] y;
  array[3] vector[3] Y;
}
parameters {
  real a;
  vector[2] beta;
  real<lower=0> sigma;
  simplex[3] theta;
  vector<lower=0>[3] alpha;
  vector[3] mu;
  cholesky_factor_corr[3] L;
  vector<lower=0>[3] tau;
  real<lower=0> eta;
}
model {
  matrix[3, 3] LS = diag_pre_multiply(tau, L);
  b ~ bernoulli_logit_glm(X, a, beta);
  target += poisson_log_glm_lpmf(k | X, a, beta);
  y ~ normal_id_glm(X, a, beta, sigma);
  theta ~ dirichlet(alpha);
  target += dirichlet_lpdf(theta | alpha + 1);
  Y ~ multi_normal_cholesky(mu, LS);
  target += multi_normal_lpdf(Y | mu, multiply_lower_tri_self_transpose(LS));
  target += multi_normal_lpdf(Y[1] | Y[2], multiply_lower_tri_self_transpose(LS));
  L ~ lkj_corr_cholesky(2);
  target += lkj_corr_cholesky_lpdf(L | eta) + lkj_corr_cholesky_lpdf(L | 1);
  alpha ~ gamma(2, 1);
  tau ~ normal(0, 1);
  eta ~ gamma(2, 1);
}

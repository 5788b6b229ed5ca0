// Linear regression on two predictors with flat priors, plus posterior predictive checks.
// With p(alpha, beta, sigma) flat, the marginal posterior of (alpha, beta) is a multivariate t
// centred at the least-squares estimate, so its posterior mean is known exactly.
data {
  int<lower=0> N;
  vector[N] x1;
  vector[N] x2;
  vector[N] y;
}
parameters {
  real alpha;
  real beta1;
  real beta2;
  real<lower=0> sigma;
}
model {
  y ~ normal(alpha + beta1 * x1 + beta2 * x2, sigma);
}
generated quantities {
  array[N] real y_rep;          // a replicated data set from the posterior predictive
  vector[N] log_lik;            // pointwise log-likelihood (for LOO / WAIC)
  real mean_y_rep;
  for (n in 1:N) {
    real mu_n = alpha + beta1 * x1[n] + beta2 * x2[n];
    y_rep[n] = normal_rng(mu_n, sigma);
    log_lik[n] = normal_lpdf(y[n] | mu_n, sigma);
  }
  mean_y_rep = mean(y_rep);
}

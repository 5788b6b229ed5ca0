// Logistic regression: y[n] ~ bernoulli(inv_logit(alpha + beta * x[n])), weakly informative priors.
data {
  int<lower=0> N;
  vector[N] x;
  array[N] int<lower=0, upper=1> y;
}
parameters {
  real alpha;
  real beta;
}
model {
  alpha ~ normal(0, 2.5);
  beta ~ normal(0, 2.5);
  y ~ bernoulli_logit(alpha + beta * x);
}
generated quantities {
  real p_at_zero = inv_logit(alpha);          // Pr(y = 1) at x = 0
  int n_success_rep = sum(bernoulli_logit_rng(alpha + beta * x));
}

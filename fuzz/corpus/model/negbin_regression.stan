// Overdispersed counts: y[n] ~ neg_binomial_2(mu[n], phi) with log(mu[n]) = alpha + beta * x[n]
// (mean mu, variance mu + mu^2 / phi). phi gets a prior on 1 / sqrt(phi) (Stan's advice).
data {
  int<lower=0> N;
  vector[N] x;
  array[N] int<lower=0> y;
}
parameters {
  real alpha;
  real beta;
  real<lower=0> inv_sqrt_phi;
}
transformed parameters {
  real<lower=0> phi = inv_square(inv_sqrt_phi);
}
model {
  alpha ~ normal(0, 5);
  beta ~ normal(0, 2);
  inv_sqrt_phi ~ normal(0, 1);
  y ~ neg_binomial_2(exp(alpha + beta * x), phi);
}
generated quantities {
  array[N] int y_rep = neg_binomial_2_rng(exp(alpha + beta * x), phi);
}

// Poisson regression with an exposure: y[n] ~ Poisson(exposure[n] * exp(alpha + beta * x[n])).
// log(exposure) enters the linear predictor as an offset (computed once in transformed data).
data {
  int<lower=0> N;
  vector<lower=0>[N] exposure;
  vector[N] x;
  array[N] int<lower=0> y;
}
transformed data {
  vector[N] log_exposure = log(exposure);
}
parameters {
  real alpha;
  real beta;
}
model {
  alpha ~ normal(0, 5);
  beta ~ normal(0, 5);
  y ~ poisson_log(log_exposure + alpha + beta * x);
}
generated quantities {
  real rate_at_zero = exp(alpha);             // events per unit exposure at x = 0
}

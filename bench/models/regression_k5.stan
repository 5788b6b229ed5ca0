// A regression with five predictors written as Stan users write it: normal(y | X * beta + alpha,
// sigma) with data X (bench/stan_compare.sh measures it at two N).
data {
  int<lower=1> N;
  int<lower=1> K;
  matrix[N, K] X;
  vector[N] y;
}
parameters {
  real alpha;
  vector[K] beta;
  real<lower=0> sigma;
}
model {
  alpha ~ normal(0, 10);
  beta ~ normal(0, 10);
  sigma ~ normal(0, 10);
  y ~ normal(X * beta + alpha, sigma);
}

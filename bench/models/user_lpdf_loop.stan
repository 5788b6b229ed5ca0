// A regression whose likelihood is a user-defined _lpdf called once per observation (bench/stan_compare.sh).
functions {
  real my_normal_lpdf(real y, real mu, real sigma) {
    return -0.5 * square((y - mu) / sigma) - log(sigma);
  }
}
data {
  int<lower=0> N;
  vector[N] x;
  vector[N] y;
}
parameters {
  real alpha;
  real beta;
  real<lower=0> sigma;
}
model {
  alpha ~ normal(0, 10);
  beta ~ normal(0, 10);
  sigma ~ exponential(1);
  for (n in 1:N) y[n] ~ my_normal(alpha + beta * x[n], sigma);
}

data {
  int<lower=1> N;
  vector[N] y;
  int<lower=1> M;
  array[M] int<lower=1> k;
}
parameters {
  real mu;
  real<lower=0> sigma;
  real<upper=0.4> lo;
  real<lower=0> lambda;
  real<lower=0> b;
}
model {
  mu ~ normal(0, 2);
  sigma ~ normal(0, 1);
  lo ~ normal(0, 1);
  lambda ~ gamma(2, 1);
  b ~ gamma(2, 2);
  for (i in 1:N)
    y[i] ~ normal(mu, sigma) T[lo, 3];
  for (j in 1:M)
    k[j] ~ poisson(lambda) T[1, ];
  0.7 ~ gamma(2.4, b) T[, 2];
  1.5 ~ student_t(3, mu, sigma) T[0, ];
}

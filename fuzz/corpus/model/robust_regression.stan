// Robust regression with Student-t errors (outliers in the data do not drag the line):
//   y[n] ~ student_t(nu, alpha + beta * x[n], sigma),  nu > 1 estimated, gamma(2, 0.1) prior.
data {
  int<lower=0> N;
  vector[N] x;
  vector[N] y;
}
parameters {
  real alpha;
  real beta;
  real<lower=0> sigma;
  real<lower=1> nu;
}
model {
  alpha ~ normal(0, 10);
  beta ~ normal(0, 10);
  sigma ~ normal(0, 5);
  nu ~ gamma(2, 0.1);
  y ~ student_t(nu, alpha + beta * x, sigma);
}

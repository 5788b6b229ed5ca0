// AR(1) time series: y[t] ~ normal(alpha + rho * y[t-1], sigma) for t > 1, written as a loop,
// with the stationarity constraint -1 < rho < 1 as bounds on the parameter.
data {
  int<lower=2> T;
  vector[T] y;
}
parameters {
  real alpha;
  real<lower=-1, upper=1> rho;
  real<lower=0> sigma;
}
model {
  alpha ~ normal(0, 5);
  sigma ~ normal(0, 2);            // half-normal through the lower bound
  for (t in 2:T)
    y[t] ~ normal(alpha + rho * y[t - 1], sigma);
}
generated quantities {
  real long_run_mean = alpha / (1 - rho);
  real y_next = normal_rng(alpha + rho * y[T], sigma);   // one-step-ahead forecast
}

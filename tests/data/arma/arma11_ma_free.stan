// ARMA(1,1) with a moving-average coefficient that is not constrained to (-1, 1): the start-up trap of
// issue 16. Where |theta| > 1 the error recursion err[t] = y[t] - nu[t] grows like theta^t, the log
// density is about -theta^(2T) and its gradient astronomically large: a chain that starts there
// (uniform(-2, 2) on the unconstrained scale puts half of the starts there) adapts a tiny step size
// and never leaves. The posterior itself lies in |theta| < 1.
data {
  int<lower=1> T;
  array[T] real y;
}
parameters {
  real mu;
  real<lower=-1, upper=1> phi;
  real theta;
  real<lower=0> sigma;
}
model {
  vector[T] err;
  real nu = mu + phi * mu;
  err[1] = y[1] - nu;
  for (t in 2:T) {
    nu = mu + phi * y[t - 1] + theta * err[t - 1];
    err[t] = y[t] - nu;
  }
  mu ~ normal(0, 10);
  phi ~ normal(0, 2);
  theta ~ normal(0, 2);
  sigma ~ cauchy(0, 5);
  err ~ normal(0, sigma);
}

// The ODE solvers against rstan: a damped oscillator with an unknown initial state and damping,
// solved by all three methods (the integrate_ode_* forms rstan 2.21 has; ode_* are the same
// solvers), with a user-defined _lpmf and recursion beside (rstan 2.21 predates overloading).
functions {
  array[] real sho(real t, array[] real y, array[] real theta, array[] real x_r, array[] int x_i) {
    array[2] real dydt;
    dydt[1] = y[2];
    dydt[2] = -theta[2] * y[1] - theta[1] * y[2];
    return dydt;
  }
  real twice(real x) { return 2 * x; }
  real twice_sum(vector x) { return 2 * sum(x); }
  real my_poisson_lpmf(int n, real lambda) { return n * log(lambda) - lambda - lgamma(n + 1); }
  real power_sum(real x, int k);
  real power_sum(real x, int k) {
    if (k == 0) return 1;
    return 1 + x * power_sum(x, k - 1);
  }
}
data {
  int<lower=1> T;
  array[T] real ts;
  array[T, 2] real yobs;
  array[3] int counts;
}
transformed data {
  array[0] real x_r;
  array[0] int x_i;
}
parameters {
  real<lower=0> damp;
  real<lower=0> stiff;
  array[2] real y0;
  real<lower=0> sigma;
  real<lower=0> rate;
}
transformed parameters {
  array[T, 2] real z_rk45 = integrate_ode_rk45(sho, y0, 0.0, ts, {damp, stiff}, x_r, x_i, 1e-10, 1e-10, 100000);
  array[T, 2] real z_bdf = integrate_ode_bdf(sho, y0, 0.0, ts, {damp, stiff}, x_r, x_i, 1e-10, 1e-10, 100000);
  array[T, 2] real z_adams = integrate_ode_adams(sho, y0, 0.0, ts, {damp, stiff}, x_r, x_i, 1e-10, 1e-10, 100000);
}
model {
  damp ~ lognormal(-1, 0.5);
  stiff ~ lognormal(0, 0.5);
  y0 ~ normal(0, 2);
  sigma ~ lognormal(-1, 1);
  rate ~ gamma(2, 1);
  for (t in 1:T) {
    yobs[t] ~ normal(z_rk45[t], sigma);
    yobs[t] ~ normal(z_bdf[t], sigma);
    yobs[t] ~ normal(z_adams[t], sigma);
  }
  for (i in 1:3) counts[i] ~ my_poisson(rate * power_sum(0.5, i));
  target += twice(rate) + twice_sum(to_vector(y0));
}

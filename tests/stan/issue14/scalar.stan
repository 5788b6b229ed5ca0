data {
  int<lower=1> N;
  array[N] real y;
}
parameters {
  real<lower=0, upper=1> theta;
  real mu1;
  real mu2;
  real<lower=0> x;
  real h;
}
model {
  mu1 ~ normal(0, 3);
  mu2 ~ normal(0, 3);
  x ~ lognormal(0, 0.5);
  h ~ normal(0, 1);
  for (n in 1:N)
    target += log_mix(theta, normal_lpdf(y[n] | mu1, 1), normal_lpdf(y[n] | mu2, 1));
  target += fma(mu1, x, h) + lmultiply(x, theta) + binary_log_loss(1, theta);
  target += owens_t(h, x) + gamma_p(x + 1, 2.0) + gamma_q(1.5, x) + lmgamma(3, x + 2);
  target += bessel_first_kind(1, x) + bessel_second_kind(0, x + 1);
  target += modified_bessel_first_kind(2, x) + modified_bessel_second_kind(1, x + 0.5);
  target += log_falling_factorial(x + 3, x) + log_rising_factorial(x, 2.5) + inv_cloglog(h);
  target += trigamma(x + 0.5) + lchoose(x + 5, 2);
}

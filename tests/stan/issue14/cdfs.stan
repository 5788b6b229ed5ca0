data {
  array[3] int c;
}
parameters {
  real<lower=0> nu;
  real mu;
  real<lower=0> s;
  real<lower=0, upper=1> th;
  real<lower=0> phi;
}
model {
  nu ~ lognormal(0, 0.5);
  mu ~ normal(0, 1);
  s ~ lognormal(0, 0.5);
  phi ~ lognormal(0, 0.5);
  target += student_t_lcdf(0.9 | nu + 1, mu, s) + student_t_lccdf(-0.4 | nu + 1, mu, s);
  target += double_exponential_lcdf(1.4 | mu, s) + double_exponential_lccdf(1.4 | mu, s);
  target += gamma_lcdf(1.9 | nu, s) + gamma_lccdf(0.6 | nu, s);
  target += inv_gamma_lcdf(0.9 | nu, s) + inv_gamma_lccdf(0.9 | nu, s);
  target += chi_square_lcdf(2.7 | nu) + chi_square_lccdf(2.7 | nu);
  target += beta_lcdf(0.35 | nu, s) + beta_lccdf(0.35 | nu, s);
  for (i in 1:3) {
    target += poisson_lcdf(c[i] | phi) + poisson_lccdf(c[i] | phi);
    target += binomial_lcdf(c[i] | 10, th) + binomial_lccdf(c[i] | 10, th);
    target += neg_binomial_2_lcdf(c[i] | phi, nu) + neg_binomial_2_lccdf(c[i] | s, phi);
  }
  target += bernoulli_lcdf(0 | th) + bernoulli_lccdf(0 | th);
  target += gumbel_lpdf(1.4 | mu, s) + gumbel_lcdf(1.4 | mu, s) + gumbel_lccdf(1.4 | mu, s);
}

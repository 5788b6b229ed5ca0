// Two-component normal mixture, marginalised over the component labels with log_sum_exp.
// mu2 > mu1 (a parameter-dependent lower bound) identifies the components.
data {
  int<lower=0> N;
  array[N] real y;
}
parameters {
  real mu1;
  real<lower=mu1> mu2;
  real<lower=0> sigma1;
  real<lower=0> sigma2;
  real<lower=0, upper=1> lambda;    // weight of component 1
}
model {
  mu1 ~ normal(0, 10);
  mu2 ~ normal(0, 10);
  sigma1 ~ lognormal(0, 1);
  sigma2 ~ lognormal(0, 1);
  lambda ~ beta(2, 2);
  for (n in 1:N)
    target += log_sum_exp(log(lambda) + normal_lpdf(y[n] | mu1, sigma1),
                          log1m(lambda) + normal_lpdf(y[n] | mu2, sigma2));
}

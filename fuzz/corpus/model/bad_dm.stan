data {
  int<lower=0> N;
  vector[N] y;
  real<lower=0> s;
  array[2] int k;
  array[2, 3] real M;
  vector<lower=0, upper=1>[2] p;
}
parameters { real mu; }
model { y ~ normal(mu, s); }

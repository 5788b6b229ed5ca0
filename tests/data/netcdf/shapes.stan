// A model whose outputs have every shape the netCDF writer lays out: scalars, a vector, a
// two-dimensional array (column-major in Stan CSV, row-major in netCDF) and an integer quantity.
data {
  int<lower=1> N;
  vector[N] y;
}
parameters {
  real mu;
  real<lower=0> sigma;
  vector[3] z;
}
transformed parameters {
  array[2, 3] real m;
  for (i in 1:2)
    for (j in 1:3)
      m[i, j] = mu + i * z[j];
}
model {
  mu ~ normal(0, 5);
  sigma ~ lognormal(0, 1);
  z ~ normal(0, 1);
  y ~ normal(mu, sigma);
}
generated quantities {
  int k = 3;
  real y_rep = normal_rng(mu, sigma);
}

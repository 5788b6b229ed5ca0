// Eight schools, centred parameterisation (posteriordb: eight_schools-eight_schools_centered),
// kept as a cautionary example: the funnel between tau and theta gives divergent transitions.
// Compare with eight_schools_noncentered.stan, the same model reparameterised.
data {
  int<lower=0> J;
  array[J] real y;
  array[J] real<lower=0> sigma;
}
parameters {
  real mu;
  real<lower=0> tau;
  array[J] real theta;
}
model {
  mu ~ normal(0, 5);
  tau ~ cauchy(0, 5);
  theta ~ normal(mu, tau);
  y ~ normal(theta, sigma);
}

// Eight schools, non-centred parameterisation: posteriordb's eight_schools-eight_schools_noncentered
// (same parameters in the same order, same priors), in the new array syntax.
// theta[j] = mu + tau * theta_trans[j] with theta_trans[j] ~ normal(0, 1): the sampler sees a
// standard-normal-like geometry instead of the funnel of the centred model
// (compare eight_schools_centered.stan).
data {
  int<lower=0> J;               // number of schools
  array[J] real y;              // estimated treatment effects
  array[J] real<lower=0> sigma; // standard errors of the estimates
}
parameters {
  vector[J] theta_trans;        // standardised school effects
  real mu;                      // population mean effect
  real<lower=0> tau;            // population scale
}
transformed parameters {
  vector[J] theta = theta_trans * tau + mu;   // school effects
}
model {
  theta_trans ~ normal(0, 1);
  y ~ normal(theta, sigma);
  mu ~ normal(0, 5);
  tau ~ cauchy(0, 5);
}

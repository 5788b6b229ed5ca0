// Radon-like varying-intercept model: log radon in house n of county group[n],
//   y[n] ~ normal(a[group[n]] + b * floor[n], sigma_y),  a[j] ~ normal(mu_a, sigma_a),
// non-centred (a = mu_a + sigma_a * a_raw) so that small counties do not give a funnel.
data {
  int<lower=1> N;
  int<lower=1> J;                           // number of counties
  array[N] int<lower=1, upper=J> group;     // county of each house
  vector[N] floor_measure;                  // 0 = basement, 1 = first floor
  vector[N] y;                              // log radon
}
transformed data {
  real y_mean = mean(y);                    // centre the outcome: priors on a scale of 1
  vector[N] y_c = y - y_mean;
}
parameters {
  real mu_a;
  real<lower=0> sigma_a;
  vector[J] a_raw;
  real b;
  real<lower=0> sigma_y;
}
transformed parameters {
  vector[J] a = y_mean + mu_a + sigma_a * a_raw;   // county intercepts on the original scale
}
model {
  mu_a ~ normal(0, 1);
  sigma_a ~ normal(0, 1);
  a_raw ~ std_normal();
  b ~ normal(0, 1);
  sigma_y ~ normal(0, 1);
  y ~ normal(a[group] + b * floor_measure, sigma_y);   // multi-indexing: a[group] has length N
}

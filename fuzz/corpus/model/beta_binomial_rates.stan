// Success rates of K trials with conjugate beta priors and bounded parameters:
//   theta[k] ~ beta(2, 2),  successes[k] ~ binomial(trials[k], theta[k]),
// so theta[k] | data ~ beta(2 + successes[k], 2 + trials[k] - successes[k]) exactly.
// Also shows a derived bounded quantity (the odds ratio of the first two rates).
data {
  int<lower=1> K;
  array[K] int<lower=0> trials;
  array[K] int<lower=0> successes;
}
parameters {
  array[K] real<lower=0, upper=1> theta;
}
model {
  theta ~ beta(2, 2);
  successes ~ binomial(trials, theta);
}
generated quantities {
  real log_odds_ratio = logit(theta[2]) - logit(theta[1]);
  int first_beats_second = theta[1] > theta[2];
}

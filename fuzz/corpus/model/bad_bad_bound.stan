parameters { real<lower=1, upper=0> mu; }
model { mu ~ normal(0,1); }

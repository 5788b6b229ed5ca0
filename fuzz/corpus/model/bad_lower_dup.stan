parameters { real<lower=0, lower=1> mu; }
model { mu ~ normal(0,1); }

parameters { real<lower=> mu; }
model { mu ~ normal(0, 1); }

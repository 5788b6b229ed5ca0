parameters { real mu; }
model { mu = 2; mu ~ normal(0, 1); }

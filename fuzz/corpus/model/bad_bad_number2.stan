parameters { real mu; }
model { mu ~ normal(1e, 1); }

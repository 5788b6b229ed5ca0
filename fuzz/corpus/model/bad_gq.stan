parameters { real mu; }
model { mu ~ normal(0, 1); }
generated quantities { real z = normal_rng(0, -1); }

parameters { real mu; }
transformed parameters { real z = normal_rng(0,1); }
model { mu ~ normal(0,1); }

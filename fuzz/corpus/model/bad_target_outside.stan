parameters { real mu; }
transformed parameters { real z = mu; target += 1; }
model { mu ~ normal(0, 1); }

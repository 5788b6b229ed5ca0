parameters { real mu; }
transformed parameters { real z = mu; z ~ normal(0, 1); }
model { mu ~ normal(0, 1); }

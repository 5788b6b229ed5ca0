parameters { real mu; real mu; }
model { mu ~ normal(0, 1); }

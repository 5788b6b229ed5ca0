parameters { real mu; }
model { mu ~ normal(1.2.3, 1); }

parameters { real mu; }
model { int k; k = mu; mu ~ normal(0, 1); }

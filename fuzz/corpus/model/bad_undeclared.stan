parameters { real mu; }
model { mu ~ normal(nu, 1); }

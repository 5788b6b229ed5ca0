parameters { real mu; }
model { if (mu) mu ~ normal(0, 1); }

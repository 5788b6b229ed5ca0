parameters { real mu; }
/* never closed
model { mu ~ normal(0, 1); }

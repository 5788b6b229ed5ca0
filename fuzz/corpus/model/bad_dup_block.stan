parameters { real mu; }
parameters { real sigma; }
model { mu ~ normal(0, 1); }

data { real x; }
parameters { real mu; }
model { mu ~ normal(x[1], 1); }

data { real x; }
parameters { real mu; }
model { x = 2; mu ~ normal(0, 1); }

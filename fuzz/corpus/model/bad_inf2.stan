data { real<lower=0> s; }
parameters { real mu; }
model { mu ~ normal(0, -s); }

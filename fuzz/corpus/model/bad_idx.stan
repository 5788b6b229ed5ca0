data { int N; vector[N] y; }
parameters { real mu; }
model { mu ~ normal(y[N + 1], 1); }

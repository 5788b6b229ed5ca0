data { int N; vector[N] y; }
parameters { real mu; }
model { real z; z = y; mu ~ normal(0, 1); }

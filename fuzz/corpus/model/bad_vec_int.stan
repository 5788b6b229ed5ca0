data { int N; vector[N] y; }
parameters { real mu; }
model { y[1.5] ~ normal(mu, 1); }

data { int N; }
parameters { real N; }
model { N ~ normal(0, 1); }

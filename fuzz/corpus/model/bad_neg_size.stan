data { int N; }
parameters { vector[N] v; }
model { v ~ normal(0, 1); }

data { int<lower=0> N; vector[N] y; }
parameters { real loc; real log_scale; }
model {
  target += log_scale;                      // Jacobian of scale = exp(log_scale)
  y ~ normal(loc, exp(log_scale));
}

// The seed model: a univariate normal with a log-scale parameter (BlackJAX's multi-chain how-to).
data { int<lower=0> N; vector[N] y; }
parameters { real loc; real log_scale; }
model {
  target += log_scale;                      // Jacobian of scale = exp(log_scale)
  y ~ normal(loc, exp(log_scale));
}

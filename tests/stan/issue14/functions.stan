functions {
  real hill(real x, real k, real n) {
    return x ^ n / (k ^ n + x ^ n);
  }
  int fib(int n);
  int fib(int n) {
    if (n < 2) return n;
    return fib(n - 1) + fib(n - 2);
  }
  real my_normal_lpdf(real y, real mu, real sigma) {
    return -0.5 * square((y - mu) / sigma) - log(sigma);
  }
  void shrink_lp(vector z, real tau) {
    z ~ normal(0, tau);
    target += -0.5 * dot_self(z);
  }
  vector scaled(data vector w, vector z, real s) {
    return w .* z * s;
  }
}
data {
  int<lower=1> N;
  vector[N] x;
  vector[N] y;
  int K;
}
parameters {
  real<lower=0> k;
  real<lower=0> n;
  real<lower=0> sigma;
  vector[N] z;
  real<lower=0> tau;
}
model {
  k ~ lognormal(0, 1);
  n ~ lognormal(0, 1);
  sigma ~ normal(0, 1);
  tau ~ normal(0, 1);
  shrink_lp(z, tau);
  for (i in 1:N)
    y[i] ~ my_normal(hill(x[i], k, n) + fib(K) * 0.01 + scaled(x, z, 0.1)[i], sigma);
}

data {
  int N;
  vector[N] y;
}
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  vector[N] r = y;
  real acc = 0;
  int n = 0;
  r[1] = 0;
  r[2:3] = r[1:2];
  acc += 1;
  acc -= 1;
  acc *= 2;
  acc /= 2;
  r .*= r;
  r ./= r;
  y ~ normal(mu, sigma);
  y[1] ~ normal(mu, sigma);
  target += normal_lpdf(y | mu, sigma);
  for (i in 1:N) acc += y[i];
  for (i in (n + 1):N) {
    if (i > 3) break;
    continue;
  }
  for (v in y) print("v = ", v);
  while (n < N) {
    n += 1;
  }
  if (acc > 0) acc = 1;
  if (acc > 0) {
    acc = 1;
  } else if (acc < 0) {
    acc = -1;
  } else {
    acc = 0;
  }
  if (n == 0) reject("n is ", n);
  {
    real local = 2;
    ;
  }
  ;
}

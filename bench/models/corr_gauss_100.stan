// A 100-dimensional correlated Gaussian for the many-chains benchmark: z = x .* scale where x is a
// stationary AR(1) sequence (corr(x_i, x_j) = rho^|i - j|), so sd(z_i) = scale_i and the
// correlation matrix has condition number about (1 + rho) / (1 - rho); scales span two decades.
data {
  int<lower=2> D;
  real<lower=-1, upper=1> rho;
  vector<lower=0>[D] scale;
}
parameters {
  vector[D] z;
}
model {
  vector[D] x = z ./ scale;
  x[1] ~ std_normal();
  x[2:D] ~ normal(rho * x[1:(D - 1)], sqrt(1 - rho^2));
}

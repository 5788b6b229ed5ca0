// Constrained types of issue 15: Stan's transforms and Jacobians (and a matrix's column-major
// unconstrained order), checked against rstan's log_prob by tests/stan/crosscheck.sh.
data {
  int<lower=1> K;
}
parameters {
  simplex[K] s;
  array[2] simplex[3] ss;
  ordered[3] o;
  positive_ordered[3] po;
  matrix<lower=0>[2, 3] M;
  matrix<lower=-1, upper=2>[2, 2] A;
  row_vector<offset=1, multiplier=2>[2] r;
}
model {
  s ~ normal(0.3, 1);
  target += normal_lpdf(to_vector(ss[1]) | 0.2, 0.5) + normal_lpdf(ss[2] | 0.4, 0.7);
  o ~ normal(0, 2);
  po ~ normal(1, 2);
  to_vector(M) ~ normal(1, 1);
  target += normal_lpdf(to_vector(A) | 0, 1) + 0.1 * M[1, 2] + 0.2 * M[2, 1] + 0.3 * A[1, 2];
  r ~ normal(0, 1);
}

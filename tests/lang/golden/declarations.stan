data {
  int N;
  int<lower=0> K;
  int<lower=0, upper=N> M;
  real x;
  real<lower=0> s;
  real<upper=1> u;
  real<lower=-1, upper=1> r;
  vector[N] v;
  vector<lower=0>[N] vp;
  vector<lower=0, upper=1>[N] p;
  row_vector[K] rv;
  row_vector<upper=0>[K] rvn;
  array[N] real xs;
  array[N, K] int k;
  array[N] vector[K] z;
  array[2, 3, 4] row_vector<lower=0>[K] deep;
}
parameters {
  real<offset=1> a;
  real<multiplier=2> b;
  real<offset=a, multiplier=exp(b)> c;
  vector<offset=0, multiplier=10>[K] beta;
  real<lower=0, upper=1 - x> bounded;
  real<lower=a> above;
  real<lower=(x > 0 ? x : 0)> paren_bound;
  real<lower=-2 ^ 2 * s, upper=N / 2> arith_bound;
}
model {
  real t = 1;
  int i = N %/% 2;
  vector[N] w = v;
  array[2] int pair = {1, 2};
  row_vector[2] row = [1, 2];
  real m1, m2 = 3, m3;
  vector<lower=0>[N] s1 = v, s2;
}

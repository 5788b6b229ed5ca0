// All six blocks, in order, with both kinds of comments.
data {
  int<lower=1> N;  // line comment
}
transformed data {
  /* block
     comment */ real half = 0.5;
}
parameters {
  real mu;
}
transformed parameters {
  real mu2 = mu * 2;
}
model {
  mu ~ normal(0, 1);
}
generated quantities {
  real draw = mu /* inline */ + half;
}

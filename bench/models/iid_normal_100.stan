// 100 independent standard normals: the cheapest model with 100 parameters, for timing output writers.
parameters {
  vector[100] theta;
}
model {
  theta ~ normal(0, 1);
}

transformed data {
  int a = 12;
  real b = 1.5 + 1e-3 + .5 + 2. + 1E10 + 2.5e+3 + 0.25E-2;
  int c = -2 ^ 2;
  real d = 2 ^ 3 ^ 2;
  real e = 2 ^ -1 * 3;
  real f = -a * b + c / d - e % 2 %/% 3;
  int g = a || b && c == d != e < 1 <= 2 > 3 >= 4;
  int h = !a + -b - +c;
  real i = a ? b : c ? d : e;
  real j = (a + b) * (c - d);
  real k = a - b - c;
  real l = a / b / c;
  vector[3] v = [1, 2, 3];
}
parameters {
  real mu;
}
model {
  array[3] int idx = {1, 2, 3};
  array[2, 2] real m = {{1.0, 2.0}, {3.0, 4.0}};
  vector[3] v;
  real x;
  x = v[1] + v[idx][2] + m[1, 2] + m[1][2];
  v = v[2:3] + v[2:] + v[:2] + v[:] + v[idx];
  x = normal_lpdf(x | mu, 1) + f() + g(x) + h(x, mu) + target();
  v = v .* v ./ v;
}

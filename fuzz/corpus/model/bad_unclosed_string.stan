parameters { real mu; }
model { print("abc); mu ~ normal(0, 1); }

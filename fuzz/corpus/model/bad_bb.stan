parameters { real<lower=1, upper=0> mu; }
model { }

parameters { real<lower=0> sigma; array[2] real z; }
model { sigma ~ exponential(1); z ~ normal(0, sigma); }

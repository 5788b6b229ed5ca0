parameters { real model; }
model { model ~ normal(0, 1); }

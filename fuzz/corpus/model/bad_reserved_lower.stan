parameters { real lower; }
model { lower ~ normal(0,1); }

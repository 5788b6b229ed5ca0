parameters { real n; vector[n] v; }
model { v ~ normal(0,1); }

parameters { real for; }
model { for ~ normal(0, 1); }

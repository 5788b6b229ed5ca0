parameters { real mu; }
model { z ~ normal(0,1); real z; }

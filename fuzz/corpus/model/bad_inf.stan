parameters { real mu; }
model { target += log(-1 - mu^2); }

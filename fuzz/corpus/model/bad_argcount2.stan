parameters { real mu; }
model { target += exp(mu, 1); }

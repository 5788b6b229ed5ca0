parameters { real mu; }
model { target += frobnicate(mu); }

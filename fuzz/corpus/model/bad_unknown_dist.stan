parameters { real mu; }
model { mu ~ frobnicate(0, 1); }

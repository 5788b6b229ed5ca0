parameters { real mu; }
model { return 1; }

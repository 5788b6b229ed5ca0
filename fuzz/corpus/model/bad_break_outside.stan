parameters { real mu; }
model { break; }

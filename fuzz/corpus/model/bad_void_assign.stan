parameters { real mu; }
model { real z; z = print(mu); }

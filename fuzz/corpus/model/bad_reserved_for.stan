parameters { real for; }
model { }

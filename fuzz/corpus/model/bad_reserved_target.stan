parameters { real target; }
model { }

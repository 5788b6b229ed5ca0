data { int real; }
model { }

data { int while; }
model { }

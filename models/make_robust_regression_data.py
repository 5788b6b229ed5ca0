#!/usr/bin/env python3
"""Writes models/robust_regression.data.json: y = 2 - 1.5 x + N(0, 0.5^2), N = 100, with 8 of
the points moved up by 10 (outliers)."""
import json
import pathlib
import random

rng = random.Random(20261205)
N = 100
x = [rng.uniform(-2.0, 2.0) for _ in range(N)]
y = [2.0 - 1.5 * v + rng.gauss(0.0, 0.5) for v in x]
for n in rng.sample(range(N), 8):
    y[n] += 10.0
out = pathlib.Path(__file__).with_name("robust_regression.data.json")
out.write_text(json.dumps({"N": N, "x": x, "y": y}) + "\n")
print(f"wrote {out}")

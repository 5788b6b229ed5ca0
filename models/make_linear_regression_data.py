#!/usr/bin/env python3
"""Writes models/linear_regression.data.json: y = 1.5 + 2 x1 - 0.7 x2 + N(0, 0.8^2), N = 60."""
import json
import pathlib
import random

rng = random.Random(20261127)
N = 60
x1 = [rng.gauss(0.0, 1.0) for _ in range(N)]
x2 = [rng.uniform(-2.0, 2.0) for _ in range(N)]
y = [1.5 + 2.0 * a - 0.7 * b + rng.gauss(0.0, 0.8) for a, b in zip(x1, x2)]
out = pathlib.Path(__file__).with_name("linear_regression.data.json")
out.write_text(json.dumps({"N": N, "x1": x1, "x2": x2, "y": y}) + "\n")
print(f"wrote {out}")

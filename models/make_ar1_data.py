#!/usr/bin/env python3
"""Writes models/ar1.data.json: y[t] = 0.5 + 0.7 y[t-1] + N(0, 0.5^2), T = 200."""
import json
import pathlib
import random

rng = random.Random(20261130)
T = 200
y = [0.5 / (1 - 0.7)]
for _ in range(T - 1):
    y.append(0.5 + 0.7 * y[-1] + rng.gauss(0.0, 0.5))
out = pathlib.Path(__file__).with_name("ar1.data.json")
out.write_text(json.dumps({"T": T, "y": y}) + "\n")
print(f"wrote {out}")

#!/usr/bin/env python3
"""Writes models/mixture.data.json: 0.3 N(-2, 1) + 0.7 N(3, 1.5^2), N = 300."""
import json
import pathlib
import random

rng = random.Random(20261201)
N = 300
y = [rng.gauss(-2.0, 1.0) if rng.random() < 0.3 else rng.gauss(3.0, 1.5) for _ in range(N)]
out = pathlib.Path(__file__).with_name("mixture.data.json")
out.write_text(json.dumps({"N": N, "y": y}) + "\n")
print(f"wrote {out}")

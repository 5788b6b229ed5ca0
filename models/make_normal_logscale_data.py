#!/usr/bin/env python3
"""Writes models/normal_logscale.data.json: N = 1000 draws from Normal(10, 20), fixed seed."""
import json
import pathlib
import random

rng = random.Random(20240101)
y = [rng.gauss(10.0, 20.0) for _ in range(1000)]
out = pathlib.Path(__file__).with_name("normal_logscale.data.json")
out.write_text(json.dumps({"N": len(y), "y": y}, indent=None) + "\n")
print(f"wrote {out}: N = {len(y)}, mean = {sum(y) / len(y):.4f}")

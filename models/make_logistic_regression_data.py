#!/usr/bin/env python3
"""Writes models/logistic_regression.data.json: y ~ Bernoulli(inv_logit(-0.5 + 1.2 x)), N = 400."""
import json
import math
import pathlib
import random

rng = random.Random(20261128)
N = 400
x = [rng.gauss(0.0, 1.0) for _ in range(N)]
y = [1 if rng.random() < 1.0 / (1.0 + math.exp(-(-0.5 + 1.2 * v))) else 0 for v in x]
out = pathlib.Path(__file__).with_name("logistic_regression.data.json")
out.write_text(json.dumps({"N": N, "x": x, "y": y}) + "\n")
print(f"wrote {out}: {sum(y)} ones")

#!/usr/bin/env python3
"""Writes models/poisson_exposure.data.json: y ~ Poisson(E exp(0.3 + 0.5 x)), E ~ U(0.5, 5), N = 200."""
import json
import math
import pathlib
import random

rng = random.Random(20261129)


def poisson(lam):
    """Knuth's multiplication method (fine for the small rates used here)."""
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


N = 200
exposure = [rng.uniform(0.5, 5.0) for _ in range(N)]
x = [rng.gauss(0.0, 1.0) for _ in range(N)]
y = [poisson(e * math.exp(0.3 + 0.5 * v)) for e, v in zip(exposure, x)]
out = pathlib.Path(__file__).with_name("poisson_exposure.data.json")
out.write_text(json.dumps({"N": N, "exposure": exposure, "x": x, "y": y}) + "\n")
print(f"wrote {out}: total count {sum(y)}")

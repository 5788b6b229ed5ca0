#!/usr/bin/env python3
"""Writes models/negbin_regression.data.json: y ~ NegBin2(exp(1 + 0.6 x), phi = 4), N = 250
(drawn as Poisson(gamma(phi, mu / phi)))."""
import json
import math
import pathlib
import random

rng = random.Random(20261204)


def poisson(lam):
    """Inversion by sequential search (fine for the rates used here)."""
    u, k, p = rng.random(), 0, math.exp(-lam)
    cdf = p
    while u > cdf:
        k += 1
        p *= lam / k
        cdf += p
    return k


N, phi = 250, 4.0
x = [rng.gauss(0.0, 1.0) for _ in range(N)]
y = [poisson(rng.gammavariate(phi, math.exp(1.0 + 0.6 * v) / phi)) for v in x]
out = pathlib.Path(__file__).with_name("negbin_regression.data.json")
out.write_text(json.dumps({"N": N, "x": x, "y": y}) + "\n")
print(f"wrote {out}: mean count {sum(y) / N:.3f}")

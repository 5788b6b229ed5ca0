#!/usr/bin/env python3
"""Writes models/radon_varying_intercepts.data.json: J = 20 counties with 2..30 houses each,
a[j] ~ N(1.4, 0.35^2), b = -0.65, sigma_y = 0.75 (values close to the Minnesota radon fit)."""
import json
import pathlib
import random

rng = random.Random(20261206)
J = 20
a = [rng.gauss(1.4, 0.35) for _ in range(J)]
group, floor_measure, y = [], [], []
for j in range(J):
    for _ in range(rng.randint(2, 30)):
        f = 1.0 if rng.random() < 0.2 else 0.0
        group.append(j + 1)
        floor_measure.append(f)
        y.append(a[j] - 0.65 * f + rng.gauss(0.0, 0.75))
out = pathlib.Path(__file__).with_name("radon_varying_intercepts.data.json")
out.write_text(json.dumps({"N": len(y), "J": J, "group": group, "floor_measure": floor_measure,
                           "y": y, "a_true": a}) + "\n")
print(f"wrote {out}: N = {len(y)}")

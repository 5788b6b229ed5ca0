#!/usr/bin/env python3
"""Writes models/beta_binomial_rates.data.json: K = 5 binomial counts with rates 0.1..0.8."""
import json
import pathlib
import random

rng = random.Random(20261203)
rates = [0.1, 0.25, 0.4, 0.6, 0.8]
trials = [12, 30, 7, 50, 20]
successes = [sum(rng.random() < p for _ in range(n)) for p, n in zip(rates, trials)]
out = pathlib.Path(__file__).with_name("beta_binomial_rates.data.json")
out.write_text(json.dumps({"K": len(rates), "trials": trials, "successes": successes}) + "\n")
print(f"wrote {out}: successes = {successes}")

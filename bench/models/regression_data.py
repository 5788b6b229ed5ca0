#!/usr/bin/env python3
"""Writes data for bench/models/regression_k5.stan: N rows, K = 5 predictors, seed 5.
Usage: regression_data.py N OUT.json"""
import json, random, sys
n, out = int(sys.argv[1]), sys.argv[2]
random.seed(5)
k, beta = 5, [1.0, -0.5, 0.25, 2.0, 0.0]
X, y = [], []
for _ in range(n):
    row = [round(random.gauss(0, 1), 5) for _ in range(k)]
    X.append(row)
    y.append(round(0.7 + sum(b * v for b, v in zip(beta, row)) + random.gauss(0, 1), 5))
json.dump({"N": n, "K": k, "X": X, "y": y}, open(out, "w"))

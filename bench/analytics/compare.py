#!/usr/bin/env python3
"""Checks that Rehber and a Python peer agree on the same input.

    compare.py params REHBER.json PEER.json KEY... --tolerance T   (relative, per parameter)
    compare.py rules REHBER.csv PEER.csv                            (identical rules, metrics to 1e-9)

Exits 1 and says why when they disagree.
"""

import csv
import json
import math
import sys


def params(rehber_path, peer_path, keys, tolerance):
    rehber, peer = json.load(open(rehber_path)), json.load(open(peer_path))
    worst = 0.0
    for key in keys:
        a, b = float(rehber[key]), float(peer[key])
        diff = abs(a - b) / abs(b)
        worst = max(worst, diff)
        if diff > tolerance:
            sys.exit(f"{key}: Rehber {a} vs peer {b} (relative difference {diff:.2e} > {tolerance})")
    print(f"agree: {', '.join(keys)} within {worst:.1e} relative")


def rules(rehber_path, peer_path):
    def load(path):
        with open(path) as f:
            return [row for row in csv.DictReader(f)]

    a, b = load(rehber_path), load(peer_path)
    if [(r["antecedents"], r["consequents"]) for r in a] != [(r["antecedents"], r["consequents"]) for r in b]:
        sys.exit(f"different rules: Rehber {len(a)}, peer {len(b)}")
    worst = 0.0
    for x, y in zip(a, b):
        for metric in ("support", "confidence", "lift", "leverage", "conviction"):
            u, v = float(x[metric]), float(y[metric])
            if math.isinf(u) or math.isinf(v):
                if u != v:
                    sys.exit(f"{x['antecedents']} -> {x['consequents']}: {metric} {u} vs {v}")
                continue
            diff = abs(u - v) / max(abs(v), 1e-12)
            worst = max(worst, diff)
            if diff > 1e-9:
                sys.exit(f"{x['antecedents']} -> {x['consequents']}: {metric} {u} vs {v}")
    print(f"agree: {len(a)} identical rules, metrics within {worst:.1e} relative")


if __name__ == "__main__":
    if sys.argv[1] == "params":
        i = sys.argv.index("--tolerance")
        params(sys.argv[2], sys.argv[3], sys.argv[4:i], float(sys.argv[i + 1]))
    elif sys.argv[1] == "rules":
        rules(sys.argv[2], sys.argv[3])
    else:
        sys.exit("usage: compare.py params|rules ...")

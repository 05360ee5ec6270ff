#!/usr/bin/env python3
"""The Python peers of the Rehber analytics benchmarks, on the same files and with the same
output formats as the `rehber analytics` commands.

    peers.py bgnbd FILE CALIBRATION_END        -> JSON like `rehber analytics bgnbd`
    peers.py gamma-gamma FILE CALIBRATION_END  -> JSON like `rehber analytics gamma-gamma`
    peers.py rules FILE MIN_SUPPORT MIN_CONF   -> CSV like `rehber analytics rules`

lifetimes fits BG/NBD and Gamma-Gamma; mlxtend runs fpgrowth + association_rules. Phase
timings (process time and wall time, seconds) go to stderr as one JSON line. lifetimes'
own log-likelihood is an average on rescaled time, so the log-likelihood is computed here
from the fitted parameters (the same formula as Rehber's).
"""

import json
import sys
import time

import numpy as np
import pandas as pd


class Phases:
    def __init__(self):
        self.cpu, self.wall, self.out = time.process_time(), time.perf_counter(), {}

    def mark(self, name):
        cpu, wall = time.process_time(), time.perf_counter()
        self.out[name] = {"cpu": round(cpu - self.cpu, 4), "wall": round(wall - self.wall, 4)}
        self.cpu, self.wall = cpu, wall

    def report(self):
        print(json.dumps(self.out), file=sys.stderr)


def calibration_summary(path, calibration_end, phases):
    from lifetimes.utils import summary_data_from_transaction_data

    df = pd.read_csv(path, dtype={"customer_id": str}, parse_dates=["date"])
    phases.mark("read")
    # Daily periods, then days / 7: the literature's t_x and T (freq="W" would floor to weeks).
    s = summary_data_from_transaction_data(
        df, "customer_id", "date", monetary_value_col="amount", observation_period_end=calibration_end, freq="D"
    )
    s["recency"] /= 7.0
    s["T"] /= 7.0
    phases.mark("summary")
    return s


def bgnbd_log_likelihood(r, alpha, a, b, x, t_x, T):
    from scipy.special import betaln, gammaln

    A1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    A2 = betaln(a, b + x) - betaln(a, b)
    A3 = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        A4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + t_x), -np.inf)
    return float(np.sum(A1 + A2 + np.logaddexp(A3, A4)))


def gamma_gamma_log_likelihood(p, q, v, x, m):
    from scipy.special import gammaln

    return float(np.sum(
        gammaln(p * x + q) - gammaln(p * x) - gammaln(q) + q * np.log(v)
        + (p * x - 1) * np.log(m) + (p * x) * np.log(x) - (p * x + q) * np.log(x * m + v)
    ))


def bgnbd(path, calibration_end):
    from lifetimes import BetaGeoFitter

    phases = Phases()
    s = calibration_summary(path, calibration_end, phases)
    bgf = BetaGeoFitter(penalizer_coef=0.0)
    bgf.fit(s["frequency"], s["recency"], s["T"])
    phases.mark("fit")
    r, alpha, a, b = (float(bgf.params_[k]) for k in ("r", "alpha", "a", "b"))
    ll = bgnbd_log_likelihood(r, alpha, a, b, s["frequency"].to_numpy(), s["recency"].to_numpy(), s["T"].to_numpy())
    print(json.dumps({"customers": len(s), "r": r, "alpha": alpha, "a": a, "b": b, "log_likelihood": ll}))
    phases.report()


def gamma_gamma(path, calibration_end):
    from lifetimes import GammaGammaFitter

    phases = Phases()
    s = calibration_summary(path, calibration_end, phases)
    rep = s[s["frequency"] > 0]
    ggf = GammaGammaFitter(penalizer_coef=0.0)
    ggf.fit(rep["frequency"], rep["monetary_value"])
    phases.mark("fit")
    p, q, v = (float(ggf.params_[k]) for k in ("p", "q", "v"))
    ll = gamma_gamma_log_likelihood(p, q, v, rep["frequency"].to_numpy(), rep["monetary_value"].to_numpy())
    print(json.dumps({"customers": len(rep), "p": p, "q": q, "gamma": v, "log_likelihood": ll}))
    phases.report()


def product_key(item):
    # Rehber's output order: all-digit ids numerically, then other ids as strings.
    return (0, len(item.lstrip("0")), item.lstrip("0"), item) if item.isdigit() else (1, 0, "", item)


def rules(path, min_support, min_confidence):
    from mlxtend.frequent_patterns import association_rules, fpgrowth
    from mlxtend.preprocessing import TransactionEncoder

    phases = Phases()
    df = pd.read_csv(path, dtype=str)
    baskets = df.groupby("order_id", sort=False)["product_id"].agg(list).tolist()
    encoder = TransactionEncoder()
    onehot = pd.DataFrame(encoder.fit(baskets).transform(baskets), columns=encoder.columns_)
    phases.mark("read")
    itemsets = fpgrowth(onehot, min_support=min_support, use_colnames=True)
    phases.mark("fpgrowth")
    found = association_rules(itemsets, num_itemsets=len(onehot), metric="confidence", min_threshold=min_confidence)
    phases.mark("rules")
    rows = []
    for r in found.itertuples(index=False):
        ante = sorted(r.antecedents, key=product_key)
        cons = sorted(r.consequents, key=product_key)
        rows.append(([product_key(i) for i in ante], [product_key(i) for i in cons], " ".join(ante), " ".join(cons), r))
    rows.sort(key=lambda t: (t[0], t[1]))
    out = sys.stdout
    out.write("antecedents,consequents,support,confidence,lift,leverage,conviction\n")
    for _, _, ante, cons, r in rows:
        out.write(f"{ante},{cons},{r.support!r},{r.confidence!r},{r.lift!r},{r.leverage!r},{r.conviction!r}\n")
    phases.report()


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "bgnbd":
        bgnbd(args[0], args[1])
    elif command == "gamma-gamma":
        gamma_gamma(args[0], args[1])
    elif command == "rules":
        rules(args[0], float(args[1]), float(args[2]))
    else:
        sys.exit(f"unknown command {command}")

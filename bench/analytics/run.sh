#!/usr/bin/env bash
# Benchmarks Rehber's analytics commands against the Python peers (lifetimes, mlxtend) on the
# same files, on this machine, in one run. Writes a Markdown report to $OUT/report.md.
#
#   bench/analytics/run.sh            # from the repository root
#
# Environment: OUT (default /tmp/rehber-bench; data and results, never in the repository),
# VENV (default /tmp/rehber-peers, a throwaway virtualenv), CARGO_TARGET_DIR, CUSTOMERS
# (default 1000000), ORDERS (default 1000000), REPEAT (Rehber runs per measurement, default 3).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${OUT:-/tmp/rehber-bench}"
VENV="${VENV:-/tmp/rehber-peers}"
CUSTOMERS="${CUSTOMERS:-1000000}"
ORDERS="${ORDERS:-1000000}"
REPEAT="${REPEAT:-3}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
CDNOW="$ROOT/testdata/cdnow/transactions.csv"
REQUIREMENTS="$ROOT/bench/analytics/peers-requirements.txt"
HERE="$ROOT/bench/analytics"
mkdir -p "$OUT"

# 1. The peers, in a throwaway virtualenv (lifetimes needs setuptools<81, pinned in the file).
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet -r "$REQUIREMENTS"
fi
PY="$VENV/bin/python"

# 2. Rehber, optimised. The examples call the same `run` the `rehber` binary mounts.
(cd "$ROOT" && cargo build --quiet --release -p rehber-analytics-cli --examples)
REHBER="$TARGET/release/examples/rehber_analytics"
PHASES="$TARGET/release/examples/bench_phases"
GENERATE="$TARGET/release/examples/generate_bench_data"

# 3. The data: seeded, regenerated only when missing.
TX="$OUT/transactions_${CUSTOMERS}.csv"
BASKETS="$OUT/baskets_${ORDERS}.csv"
[ -s "$TX" ] || "$GENERATE" transactions "$TX" "$CUSTOMERS" 42
[ -s "$BASKETS" ] || "$GENERATE" baskets "$BASKETS" "$ORDERS" 200 42

# measure NAME OUTFILE CMD... : runs CMD under /usr/bin/time -v, appends
# "NAME<TAB>wall<TAB>user+sys<TAB>peak MiB" to $OUT/times.tsv.
measure() {
  local name="$1" outfile="$2"
  shift 2
  /usr/bin/time -v -o "$OUT/time.txt" "$@" > "$outfile" 2> "$OUT/stderr.txt"
  awk -v name="$name" -F': ' '
    /User time/ {user=$2} /System time/ {sys=$2} /Maximum resident/ {rss=$2}
    /Elapsed \(wall clock\)/ {n=split($2, p, ":"); wall=0; for (i=1;i<=n;i++) wall=wall*60+p[i]}
    END {printf "%s\t%.3f\t%.3f\t%.0f\n", name, wall, user+sys, rss/1024}' "$OUT/time.txt" >> "$OUT/times.tsv"
}

# repeat_measure NAME OUTFILE CMD... : REPEAT runs of a Rehber command.
repeat_measure() {
  for _ in $(seq "$REPEAT"); do measure "$@"; done
}

: > "$OUT/times.tsv"
: > "$OUT/checks.txt"
rm -f "$OUT"/*_phases_rehber.txt

# 4. CDNOW (2,357 customers): the published-figures data set.
repeat_measure "rehber bgnbd cdnow" "$OUT/cdnow_bgnbd_rehber.json" "$REHBER" bgnbd --transactions "$CDNOW" --calibration-end 1997-09-30
repeat_measure "rehber gamma-gamma cdnow" "$OUT/cdnow_gg_rehber.json" "$REHBER" gamma-gamma --transactions "$CDNOW" --calibration-end 1997-09-30
repeat_measure "rehber clv cdnow" "$OUT/cdnow_clv_rehber.csv" "$REHBER" clv --transactions "$CDNOW" --calibration-end 1997-09-30 --horizon-weeks 52 --annual-discount-rate 0.1
# One CDNOW run takes a few milliseconds, below the 10 ms resolution of /usr/bin/time: time
# 100 runs of both fits in one measurement, and the fit phases alone with bench_phases.
measure "rehber bgnbd + gamma-gamma cdnow, 100 runs" /dev/null bash -c \
  'for i in $(seq 100); do "$0" bgnbd --transactions "$1" --calibration-end 1997-09-30; "$0" gamma-gamma --transactions "$1" --calibration-end 1997-09-30; done' \
  "$REHBER" "$CDNOW"
for _ in $(seq "$REPEAT"); do "$PHASES" transactions "$CDNOW" 1997-09-30 >> "$OUT/cdnow_phases_rehber.txt"; done
measure "lifetimes bgnbd cdnow" "$OUT/cdnow_bgnbd_peer.json" "$PY" "$HERE/peers.py" bgnbd "$CDNOW" 1997-09-30
cp "$OUT/stderr.txt" "$OUT/cdnow_bgnbd_peer.phases.json"
measure "lifetimes gamma-gamma cdnow" "$OUT/cdnow_gg_peer.json" "$PY" "$HERE/peers.py" gamma-gamma "$CDNOW" 1997-09-30
cp "$OUT/stderr.txt" "$OUT/cdnow_gg_peer.phases.json"
"$PY" "$HERE/compare.py" params "$OUT/cdnow_bgnbd_rehber.json" "$OUT/cdnow_bgnbd_peer.json" r alpha a b log_likelihood --tolerance 1e-5 | sed 's/^/cdnow bgnbd: /' >> "$OUT/checks.txt"
"$PY" "$HERE/compare.py" params "$OUT/cdnow_gg_rehber.json" "$OUT/cdnow_gg_peer.json" p q gamma log_likelihood --tolerance 1e-5 | sed 's/^/cdnow gamma-gamma: /' >> "$OUT/checks.txt"

# 5. Simulated customers.
repeat_measure "rehber bgnbd 1M" "$OUT/sim_bgnbd_rehber.json" "$REHBER" bgnbd --transactions "$TX" --calibration-end 1997-09-30
repeat_measure "rehber gamma-gamma 1M" "$OUT/sim_gg_rehber.json" "$REHBER" gamma-gamma --transactions "$TX" --calibration-end 1997-09-30
for _ in $(seq "$REPEAT"); do "$PHASES" transactions "$TX" 1997-09-30 >> "$OUT/sim_phases_rehber.txt"; done
measure "lifetimes bgnbd 1M" "$OUT/sim_bgnbd_peer.json" "$PY" "$HERE/peers.py" bgnbd "$TX" 1997-09-30
cp "$OUT/stderr.txt" "$OUT/sim_bgnbd_peer.phases.json"
measure "lifetimes gamma-gamma 1M" "$OUT/sim_gg_peer.json" "$PY" "$HERE/peers.py" gamma-gamma "$TX" 1997-09-30
cp "$OUT/stderr.txt" "$OUT/sim_gg_peer.phases.json"
"$PY" "$HERE/compare.py" params "$OUT/sim_bgnbd_rehber.json" "$OUT/sim_bgnbd_peer.json" r alpha a b log_likelihood --tolerance 1e-4 | sed 's/^/1M bgnbd: /' >> "$OUT/checks.txt"
"$PY" "$HERE/compare.py" params "$OUT/sim_gg_rehber.json" "$OUT/sim_gg_peer.json" p q gamma log_likelihood --tolerance 1e-4 | sed 's/^/1M gamma-gamma: /' >> "$OUT/checks.txt"

# 6. Baskets.
repeat_measure "rehber rules 1M" "$OUT/rules_rehber.csv" "$REHBER" rules --baskets "$BASKETS" --min-support 0.005 --min-confidence 0.2
for _ in $(seq "$REPEAT"); do "$PHASES" baskets "$BASKETS" 0.005 0.2 >> "$OUT/rules_phases_rehber.txt"; done
measure "mlxtend rules 1M" "$OUT/rules_peer.csv" "$PY" "$HERE/peers.py" rules "$BASKETS" 0.005 0.2
cp "$OUT/stderr.txt" "$OUT/rules_peer.phases.json"
"$PY" "$HERE/compare.py" rules "$OUT/rules_rehber.csv" "$OUT/rules_peer.csv" | sed 's/^/1M rules: /' >> "$OUT/checks.txt"

# 7. Report: median of the Rehber runs.
{
  echo "machine: $(nproc) cores, $(uname -sr), $(date -u +%Y-%m-%dT%H:%MZ), load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| measurement | runs | wall s | process s (user+sys) | peak MiB |"
  echo "| --- | --- | --- | --- | --- |"
  "$PY" - "$OUT/times.tsv" <<'PYEOF'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, wall, cpu, rss = line.rstrip("\n").split("\t")
    rows.setdefault(name, []).append((float(wall), float(cpu), float(rss)))
for name, runs in rows.items():
    med = lambda k: statistics.median(r[k] for r in runs)
    print(f"| {name} | {len(runs)} | {med(0):.3f} | {med(1):.3f} | {med(2):.0f} |")
PYEOF
  echo
  echo "Rehber phases (bench_phases, one line per run; cpu = all threads):"
  echo
  sed 's/^/    /' "$OUT/cdnow_phases_rehber.txt" "$OUT/sim_phases_rehber.txt" "$OUT/rules_phases_rehber.txt"
  echo
  echo "Peer phases (process and wall s):"
  echo
  for f in cdnow_bgnbd cdnow_gg sim_bgnbd sim_gg rules; do echo "    $f: $(cat "$OUT/$f"_peer.phases.json)"; done
  echo
  echo "Agreement:"
  echo
  sed 's/^/    /' "$OUT/checks.txt"
} > "$OUT/report.md"
cat "$OUT/report.md"

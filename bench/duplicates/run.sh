#!/usr/bin/env bash
# Times the review list of possible duplicates on the demo company, on loopback only.
#
#   bench/duplicates/run.sh [sqlite|postgres] [PEOPLE]
#
# Builds the release binary, fills a fresh database with the demo company (PEOPLE people,
# default 100,000; its names repeat, so many people and companies have similar names),
# serves it, and times through the API (three runs each): the first page of people and of
# companies as an administrator, a page far into the people's list (by its cursor), and the
# first page as a sales rep (the scope filter on both records of every pair); then
# `rehber reindex` over every record, which recomputes the name keys. Needs curl, bc, and
# sqlite3 or psql.
#
#   REHBER_BIN=path      use this binary instead of building one
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=bench/load/lib.sh
. "$root/bench/load/lib.sh"
backend="${1:-sqlite}"
people="${2:-100000}"
port="${REHBER_BENCH_PORT:-18095}"

bin=$(release_binary "$root")
rehber=(env -u REHBER_BIN -u DATABASE_URL "$bin")
work=$(mktemp -d "/tmp/rehber-duplicates-bench.XXXXXX")
bench_database "$backend" "$work" "rehber_duplicates_$$"
args=("${bench_args[@]}")
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    drop_bench_database
}
trap cleanup EXIT
sql() { bench_sql "$1"; }

echo "backend $backend, $people people, $(nproc) cores"
start=$(date +%s.%N)
"${rehber[@]}" demo --people "$people" "${args[@]}" >"$work/demo.out" 2>&1
echo "demo generated in $(echo "$(date +%s.%N) - $start" | bc) s"
echo "keys: $(sql "SELECT COUNT(*) FROM contact_keys WHERE key LIKE 'n:%'") name keys, $(sql "SELECT COUNT(*) FROM contact_keys") in all"
"${rehber[@]}" serve --listen "127.0.0.1:$port" "${args[@]}" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
base="http://127.0.0.1:$port/api/v1"
admin=$("${rehber[@]}" token issue --email admin@demo.rehber.local --name bench "${args[@]}" | awk '{print $NF}')
rep_email=$(sql "SELECT email FROM users WHERE role = 'sales_rep' ORDER BY id LIMIT 1")
rep=$("${rehber[@]}" token issue --email "$rep_email" --name bench "${args[@]}" | awk '{print $NF}')

for kind in person company; do
    for run in 1 2 3; do
        timed "first page of 50 ($kind, administrator), run $run" curl -fsS -H "Authorization: Bearer $admin" "$base/duplicates?record_type=$kind"
    done
    echo "  $(grep -o '"a_id":' "$work/out" | wc -l) pairs, $(grep -o '"score":60' "$work/out" | wc -l) by name alone"
done
# A cursor half-way through the people's ids.
middle=$(sql "SELECT MAX(id) / 2 FROM people")
for run in 1 2 3; do
    timed "a page from person #$middle on (administrator), run $run" curl -fsS -H "Authorization: Bearer $admin" "$base/duplicates?record_type=person&cursor=$middle.0"
done
echo "  $(grep -o '"a_id":' "$work/out" | wc -l) pairs"
for run in 1 2 3; do
    timed "first page of 50 (person, sales rep $rep_email), run $run" curl -fsS -H "Authorization: Bearer $rep" "$base/duplicates?record_type=person"
done
echo "  $(grep -o '"a_id":' "$work/out" | wc -l) pairs"
kill "$server" && wait "$server" 2>/dev/null || true
server=""
sql "UPDATE people SET name_key = NULL" >/dev/null
sql "UPDATE companies SET name_key = NULL" >/dev/null
timed "rehber reindex (every name key recomputed)" "${rehber[@]}" reindex "${args[@]}"
echo "  $(cat "$work/out")"

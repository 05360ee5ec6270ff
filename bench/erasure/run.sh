#!/usr/bin/env bash
# Times the data-subject requests of one person in the demo company, on loopback only.
#
#   bench/erasure/run.sh [sqlite|postgres] [PEOPLE]
#
# Builds the release binary, fills a fresh database with the demo company (PEOPLE people,
# default 100,000), serves it, and times through the API, for the person with the most
# activities: the erasure preview (every text column of every table searched), the data
# export (queued, written by the worker, downloaded), and the erasure itself. An erasure
# reads every text column once per term set, so its time grows with the whole database,
# not with the person. Needs curl, and sqlite3 or psql.
#
#   REHBER_BIN=path      use this binary instead of building one
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=bench/load/lib.sh
. "$root/bench/load/lib.sh"
backend="${1:-sqlite}"
people="${2:-100000}"
port="${REHBER_BENCH_PORT:-18093}"

bin=$(release_binary "$root")
rehber=(env -u REHBER_BIN -u DATABASE_URL "$bin")
work=$(mktemp -d "/tmp/rehber-erasure-bench.XXXXXX")
bench_database "$backend" "$work" "rehber_erase_$$"
args=("${bench_args[@]}")
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    drop_bench_database
}
trap cleanup EXIT
sql() { bench_sql "$1"; }

echo "backend $backend, $people people, $(nproc) cores"
"${rehber[@]}" demo --people "$people" "${args[@]}" >"$work/demo.out" 2>&1
echo "tables: $(sql "SELECT COUNT(*) FROM people") people, $(sql "SELECT COUNT(*) FROM activities") activities, $(sql "SELECT COUNT(*) FROM audit_events") audit entries"
"${rehber[@]}" serve --listen "127.0.0.1:$port" "${args[@]}" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
base="http://127.0.0.1:$port/api/v1"
token=$("${rehber[@]}" token issue --email admin@demo.rehber.local --name erasure "${args[@]}" | awk '{print $NF}')
auth=(-H "Authorization: Bearer $token")
person=$(sql "SELECT record_id FROM activity_links WHERE record_type = 'person' GROUP BY record_id ORDER BY COUNT(*) DESC, record_id LIMIT 1")
# The demo loads people in bulk, without activities: then its first person.
[ -n "$person" ] || person=$(sql "SELECT MIN(id) FROM people")
echo "person #$person: $(sql "SELECT COUNT(*) FROM activity_links WHERE record_type = 'person' AND record_id = $person") activities"

if curl -fsS "${auth[@]}" -X POST "$base/people/$person/erase?preview=true" | grep -q '"allowed":false'; then
    # An open account stops an erasure; closing it is not part of the benchmark.
    person=$(sql "SELECT p.id FROM people p WHERE NOT EXISTS (SELECT 1 FROM invoices i WHERE i.person_id = p.id) \
        AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.person_id = p.id) \
        ORDER BY (SELECT COUNT(*) FROM activity_links l WHERE l.record_type = 'person' AND l.record_id = p.id) DESC, p.id LIMIT 1")
    echo "person #$person instead (no open account): $(sql "SELECT COUNT(*) FROM activity_links WHERE record_type = 'person' AND record_id = $person") activities"
fi
timed "erasure preview" curl -fsS "${auth[@]}" -X POST "$base/people/$person/erase?preview=true"
echo "  texts to redact: $(grep -o '"table"' "$work/out" | wc -l)"
export_at=$(date +%s.%N)
request=$(curl -fsS "${auth[@]}" -X POST "$base/people/$person/data-export" | grep -o '"id":[0-9]*' | head -n1 | cut -d: -f2)
until curl -fsS "${auth[@]}" "$base/data-requests/$request" | grep -q '"status":"done"'; do sleep 0.1; done
curl -fsS "${auth[@]}" "$base/data-requests/$request/file" -o "$work/export.zip"
printf '%-40s %8.2f s (%d KiB)\n' "data export (queued to downloaded)" "$(echo "$(date +%s.%N) - $export_at" | bc)" $(($(stat -c %s "$work/export.zip") / 1024))
timed "erasure" curl -fsS "${auth[@]}" -X POST "$base/people/$person/erase?preview=false"
echo "  erased: $(grep -c '"erased":true' "$work/out"), texts redacted: $(grep -o '"table"' "$work/out" | wc -l)"

#!/usr/bin/env bash
# Times the İYS hand-over with many pending permissions, on loopback only.
#
#   bench/iys/run.sh [sqlite|postgres] [PENDING] [PEOPLE]
#
# Builds the release binary, fills a fresh database with the demo company (PEOPLE people,
# default 100,000), records PENDING commercial e-mail permissions (default 50,000, the most
# one list holds) straight into the consents table, serves it, and times through the API:
# the pending list with each answer's deadline, İYS's bulk file as CSV and as XLSX, the
# administrators' page (three runs each), then marking them all as uploaded. Needs curl,
# bc, and sqlite3 or psql.
#
#   REHBER_BIN=path      use this binary instead of building one
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=bench/load/lib.sh
. "$root/bench/load/lib.sh"
backend="${1:-sqlite}"
pending="${2:-50000}"
people="${3:-100000}"
port="${REHBER_BENCH_PORT:-18094}"

bin=$(release_binary "$root")
rehber=(env -u REHBER_BIN -u DATABASE_URL "$bin")
work=$(mktemp -d "/tmp/rehber-iys-bench.XXXXXX")
bench_database "$backend" "$work" "rehber_iys_$$"
args=("${bench_args[@]}")
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    drop_bench_database
}
trap cleanup EXIT
sql() { bench_sql "$1"; }

echo "backend $backend, $people people, $pending pending permissions, $(nproc) cores"
"${rehber[@]}" demo --people "$people" "${args[@]}" >"$work/demo.out" 2>&1
# Given over the last ten days, so some are late and some are not; one per person.
now=$(date +%s%6N)
sql "INSERT INTO consents (person_id, purpose, channel, address, status, source, given_at, recorded_at, iys_status)
     SELECT id, 'commercial', 'email', 'kisi' || id || '@ornek.com.tr', 'granted', 'HS_WEB',
            $now - (id % 86400) * 10000000, $now, 'pending'
     FROM people ORDER BY id LIMIT $pending"
echo "consents: $(sql "SELECT COUNT(*) FROM consents WHERE iys_status = 'pending'") pending"
"${rehber[@]}" serve --listen "127.0.0.1:$port" "${args[@]}" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
base="http://127.0.0.1:$port/api/v1"
token=$("${rehber[@]}" token issue --email admin@demo.rehber.local --name iys "${args[@]}" | awk '{print $NF}')
auth=(-H "Authorization: Bearer $token")

for run in 1 2 3; do
    timed "pending list (JSON), run $run" curl -fsS "${auth[@]}" "$base/consents/iys-pending"
done
echo "  $(grep -o '"id":' "$work/out" | wc -l) listed, $(grep -o '"overdue":true' "$work/out" | wc -l) late, $(($(stat -c %s "$work/out") / 1024)) KiB"
for format in csv xlsx; do
    for run in 1 2 3; do
        timed "bulk file ($format), run $run" curl -fsS "${auth[@]}" "$base/consents/iys-pending/file?format=$format"
    done
    echo "  $(($(stat -c %s "$work/out") / 1024)) KiB"
done
password=$(grep -o 'shown once): .*' "$work/demo.out" | awk '{print $NF}')
cookie=$(session_cookie "http://127.0.0.1:$port" admin@demo.rehber.local "$password")
for run in 1 2 3; do
    timed "the page /admin/iys (500 rows shown), run $run" curl -fsS -H "Cookie: $cookie" "http://127.0.0.1:$port/admin/iys"
done
echo "  $(($(stat -c %s "$work/out") / 1024)) KiB"
through=$(sql "SELECT MAX(id) FROM consents")
timed "mark all as uploaded" curl -fsS "${auth[@]}" -H 'Content-Type: application/json' -X POST -d "{\"through_id\": $through}" "$base/consents/iys-pending/sent"
echo "  $(cat "$work/out")"

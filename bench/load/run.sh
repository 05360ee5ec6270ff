#!/usr/bin/env bash
# Load test of the Rehber server on a generated large data set, on loopback only.
#
#   bench/load/run.sh [PEOPLE] [sqlite|postgres]
#
# Builds the release binary, generates the demo company with PEOPLE people (default
# 1,000,000) into a fresh database, starts `rehber serve`, signs in an administrator and a
# sales rep, and runs wrk (bounded: 2 threads, 32 connections, 20 s per URL) against the
# people list page, a search, a record page and the API list. Prints a Markdown table for
# docs/benchmarks.md. Needs wrk (Debian package `wrk`) and, for postgres, PostgreSQL at
# 127.0.0.1:5432 with trust authentication.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
people="${1:-1000000}"
backend="${2:-sqlite}"
port=18099
duration="${REHBER_BENCH_DURATION:-20s}"

if [ -z "${REHBER_BIN:-}" ]; then
    cargo build --release --locked -p rehber --manifest-path "$root/Cargo.toml"
fi
bin="${REHBER_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/rehber}"
data=$(mktemp -d "${REHBER_BENCH_DIR:-/tmp}/rehber-load.XXXXXX")
args=(--data-dir "$data")
if [ "$backend" = postgres ]; then
    db="rehber_load_$$"
    psql -q -h 127.0.0.1 -U postgres -d test -c "CREATE DATABASE $db"
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db"
fi
cleanup() {
    [ -n "${server:-}" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    [ "$backend" = postgres ] && psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS $db" || true
    rm -rf "$data"
}
trap cleanup EXIT

echo "== generating $people people ($backend)"
/usr/bin/time -v "$bin" demo --people "$people" "${args[@]}" >"$data/demo.out" 2>"$data/demo-time.txt"
grep -v -i password "$data/demo.out" | tail -n 5
grep -E "Elapsed|Maximum resident" "$data/demo-time.txt"
password=$(grep -o 'shown once): .*' "$data/demo.out" | awk '{print $NF}')

"$bin" serve --listen "127.0.0.1:$port" "${args[@]}" >"$data/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done

# An API token for the administrator (a demo user) and a browser session cookie.
admin_email="admin@demo.rehber.local"
token=$("$bin" token issue --email "$admin_email" --name load "${args[@]}" | awk '{print $NF}')
jar="$data/cookies.txt"
curl -fsS -c "$jar" -b "$jar" "http://127.0.0.1:$port/login" -o "$data/login.html"
csrf=$(grep -o 'name="_csrf" value="[0-9a-f]*"' "$data/login.html" | head -n1 | sed 's/.*value="//; s/"//')
curl -fsS -c "$jar" -b "$jar" -o /dev/null "http://127.0.0.1:$port/login" \
    --data-urlencode "email=$admin_email" --data-urlencode "password=$password" --data-urlencode "_csrf=$csrf"
cookie="rehber_session=$(awk '$6=="rehber_session"{print $7}' "$jar")"
person=$(curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/people?limit=1&sort=-created_at" | grep -o '"id":[0-9]*' | head -n1 | cut -d: -f2)

run() {
    local label=$1 url=$2; shift 2
    local out
    out=$(wrk -t2 -c32 -d"$duration" --latency "$@" "$url")
    local rps p50 p99
    rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
    p50=$(echo "$out" | awk '$1=="50%"{print $2}')
    p99=$(echo "$out" | awk '$1=="99%"{print $2}')
    local errors
    errors=$(echo "$out" | awk '/Non-2xx/{print $NF}')
    printf '| %s | %s | %s | %s | %s | %s |\n' "$backend" "$label" "$rps" "$p50" "$p99" "${errors:-0}"
}

echo
echo "| backend | request | requests/s | p50 | p99 | non-2xx |"
echo "| --- | --- | --- | --- | --- | --- |"
run "people list page (UI)" "http://127.0.0.1:$port/people" -H "Cookie: $cookie"
run "people search page \`q=ayse yil\` (UI)" "http://127.0.0.1:$port/people?q=ayse%20yil" -H "Cookie: $cookie"
run "person record page (UI)" "http://127.0.0.1:$port/people/$person" -H "Cookie: $cookie"
run "API list \`/api/v1/people\`" "http://127.0.0.1:$port/api/v1/people" -H "Authorization: Bearer $token"
run "API search \`q=caglar\`" "http://127.0.0.1:$port/api/v1/people?q=caglar" -H "Authorization: Bearer $token"

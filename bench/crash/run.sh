#!/usr/bin/env bash
# Kills the server with SIGKILL in the middle of a write load and checks that no acknowledged
# write was lost, on loopback only.
#
#   bench/crash/run.sh [sqlite|postgres] [ROUNDS]
#
# Builds the release binary, loads a small demo company into a fresh database, then, ROUNDS
# times (default 3): starts `rehber serve`, runs eight writers creating people through the
# form and the API (bench/crash/writers.py records the id of every create the server
# acknowledged), kills the server with `kill -9` after a random 2–5 s, and looks every
# acknowledged id up in the database. A missing one fails the run. The next round starts the
# server on the same files, so recovery after the kill is exercised too.
# Needs python3, curl, sqlite3 or psql.
#
#   REHBER_BIN=path      use this binary instead of building one
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=bench/load/lib.sh
. "$root/bench/load/lib.sh"
backend="${1:-sqlite}"
rounds="${2:-3}"
port=18098
base="http://127.0.0.1:$port"

bin=$(release_binary "$root")
rehber=(env -u REHBER_BIN "$bin")

data=$(mktemp -d "/tmp/rehber-crash.XXXXXX")
if [ "$backend" = postgres ]; then
    db="rehber_crash_$$"
    psql -q -h 127.0.0.1 -U postgres -d test -c "CREATE DATABASE $db"
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db"
fi
args=(--data-dir "$data")
cleanup() {
    [ -n "${server:-}" ] && kill -9 "$server" 2>/dev/null && wait "$server" 2>/dev/null
    [ -n "${db:-}" ] && psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS $db"
    rm -rf "$data"
}
trap cleanup EXIT

"${rehber[@]}" demo --people 1000 "${args[@]}" >"$data/demo.out"
password=$(grep -o 'shown once): .*' "$data/demo.out" | awk '{print $NF}')
token=$("${rehber[@]}" token issue --email admin@demo.rehber.local --name crash "${args[@]}" | awk '{print $NF}')

# `stored IDS_FILE` prints how many of the ids in the file are in the database.
stored() {
    local ids
    ids=$(paste -sd, "$1")
    [ -z "$ids" ] && { echo 0; return; }
    if [ "$backend" = postgres ]; then
        psql -qtA "$DATABASE_URL" -c "SELECT COUNT(*) FROM people WHERE id IN ($ids)"
    else
        sqlite3 "$data/rehber.db" "SELECT COUNT(*) FROM people WHERE id IN ($ids)"
    fi
}

total=0
for round in $(seq 1 "$rounds"); do
    "${rehber[@]}" serve --listen "127.0.0.1:$port" "${args[@]}" >>"$data/server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 120); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.25; done
    cookie=$(session_cookie "$base" admin@demo.rehber.local "$password")
    csrf=$(form_csrf "$base" "$cookie")
    ids="$data/acknowledged-$round.txt"
    python3 "$root/bench/crash/writers.py" "$base" "$token" "$cookie" "$csrf" "Kaza$round" "$ids" 8 60 &
    writers=$!
    sleep "$((2 + RANDOM % 4)).$((RANDOM % 10))"
    kill -9 "$server"
    wait "$server" 2>/dev/null || true
    server=""
    wait "$writers"
    acknowledged=$(wc -l <"$ids")
    found=$(stored "$ids")
    echo "round $round ($backend): killed with $acknowledged creates acknowledged; $found of them stored"
    if [ "$found" -ne "$acknowledged" ]; then
        echo "LOST WRITES: $((acknowledged - found)) acknowledged creates are missing" >&2
        exit 1
    fi
    total=$((total + acknowledged))
done
echo "no acknowledged write lost: $total creates over $rounds kills ($backend)"

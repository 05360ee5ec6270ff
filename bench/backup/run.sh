#!/usr/bin/env bash
# Times `rehber backup` and `rehber restore` of the demo company, on loopback only.
#
#   bench/backup/run.sh [sqlite|postgres] [PEOPLE]
#
# Builds the release binary, fills a fresh database with the demo company (PEOPLE people,
# default 1,000,000), then times: a backup; a restore into a new, empty database; and a
# restore with --force over the database it was taken from (which keeps that one aside
# first). Prints the wall time and peak resident memory of each step, the database's and
# the archive's sizes, and checks that the restored database holds the demo's people.
# Needs GNU time (/usr/bin/time), sqlite3 or psql.
#
#   REHBER_BIN=path      use this binary instead of building one
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=bench/load/lib.sh
. "$root/bench/load/lib.sh"
backend="${1:-sqlite}"
people="${2:-1000000}"

bin=$(release_binary "$root")
rehber=(env -u REHBER_BIN -u DATABASE_URL "$bin")

work=$(mktemp -d "/tmp/rehber-backup-bench.XXXXXX")
first=(--data-dir "$work/first")
second=(--data-dir "$work/second")
if [ "$backend" = postgres ]; then
    server="postgres://postgres@127.0.0.1:5432"
    db1="rehber_bk1_$$" db2="rehber_bk2_$$"
    psql -q -h 127.0.0.1 -U postgres -d test -c "CREATE DATABASE $db1" -c "CREATE DATABASE $db2"
    first+=(--database-url "$server/$db1")
    second+=(--database-url "$server/$db2")
fi
cleanup() {
    if [ -n "${db1:-}" ]; then
        psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS $db1" -c "DROP DATABASE IF EXISTS $db2"
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# `timed LABEL COMMAND…` runs the command and prints its wall time and peak memory.
timed() {
    local label=$1
    shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || {
        cat "$work/err" >&2
        return 1
    }
    read -r seconds kib <"$work/time"
    printf '%-44s %8.1f s  %6d MiB peak\n' "$label" "$seconds" $((kib / 1024))
}

database_size() {
    if [ "$backend" = postgres ]; then
        psql -qtA -h 127.0.0.1 -U postgres -d test -c "SELECT pg_database_size('$1')"
    else
        stat -c %s "$1"
    fi
}

people_in() {
    if [ "$backend" = postgres ]; then
        psql -qtA "$server/$1" -c "SELECT COUNT(*) FROM people"
    else
        sqlite3 "$1" "SELECT COUNT(*) FROM people"
    fi
}

if [ "$backend" = postgres ]; then where1=$db1 where2=$db2; else
    where1="$work/first/rehber.db" where2="$work/second/rehber.db"; fi

echo "backend $backend, $people people, $(nproc) cores"
timed "rehber demo --people $people" "${rehber[@]}" demo --people "$people" "${first[@]}"
echo "database: $(( $(database_size "$where1") / 1048576 )) MiB"
timed "rehber backup" "${rehber[@]}" backup --out "$work/demo.rehber-backup" "${first[@]}"
echo "archive: $(( $(stat -c %s "$work/demo.rehber-backup") / 1048576 )) MiB"
timed "rehber restore (into an empty database)" "${rehber[@]}" restore --from "$work/demo.rehber-backup" "${second[@]}"
echo "people restored: $(people_in "$where2")"
timed "rehber restore --force (over the original)" "${rehber[@]}" restore --from "$work/demo.rehber-backup" --force "${first[@]}"
echo "people after the restore over the original: $(people_in "$where1")"

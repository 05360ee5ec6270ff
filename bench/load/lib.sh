# Shell functions the load scripts share (sourced, not run).

# `release_binary ROOT` builds the release binary unless REHBER_BIN names one, and prints the
# binary's path.
release_binary() {
    if [ -z "${REHBER_BIN:-}" ]; then
        cargo build --release --locked -p rehber --manifest-path "$1/Cargo.toml" >&2 || return 1
    fi
    echo "${REHBER_BIN:-${CARGO_TARGET_DIR:-$1/target}/release/rehber}"
}

# `session_cookie BASE EMAIL PASSWORD` signs in through the login form and prints the session
# cookie header.
session_cookie() {
    local base=$1 email=$2 password=$3 jar login csrf
    jar=$(mktemp) login=$(mktemp)
    curl -fsS -c "$jar" -b "$jar" "$base/login" -o "$login"
    csrf=$(grep -o 'name="_csrf" value="[0-9a-f]*"' "$login" | head -n1 | sed 's/.*value="//; s/"//')
    curl -fsS -c "$jar" -b "$jar" -o /dev/null "$base/login" \
        --data-urlencode "email=$email" --data-urlencode "password=$password" --data-urlencode "_csrf=$csrf"
    echo "rehber_session=$(awk '$6=="rehber_session"{print $7}' "$jar")"
    rm -f "$jar" "$login"
}

# `form_csrf BASE COOKIE` prints the CSRF token of a signed-in session (from a form page).
form_csrf() {
    curl -fsS -H "Cookie: $2" "$1/people/new" | grep -o 'name="_csrf" value="[0-9a-f]*"' | head -n1 | sed 's/.*value="//; s/"//'
}

# `memory PID` prints a process's resident memory in MiB: "total anonymous file-backed".
# Prints nothing once the process is gone (or a zombie, which has no memory lines).
memory() {
    [ -r "/proc/$1/status" ] || return 0
    awk '/^VmRSS/{t=$2} /^RssAnon/{a=$2} /^RssFile/{f=$2} /^RssShmem/{s=$2}
        END{if (t != "") printf "%d %d %d\n", t/1024, a/1024, (f+s)/1024}' "/proc/$1/status" 2>/dev/null
}
# `sample_memory PID FILE` samples a process every 0.1 s while it runs and keeps its peaks
# ("total anonymous file-backed", each the highest seen) in FILE.
sample_memory() {
    local pid=$1 file=$2 now peak="0 0 0"
    while now=$(memory "$pid") && [ -n "$now" ]; do
        peak=$(echo "$peak $now" | awk '{printf "%d %d %d", ($4>$1?$4:$1), ($5>$2?$5:$2), ($6>$3?$6:$3)}')
        echo "$peak" >"$file"
        sleep 0.1
    done
}

# `bench_database BACKEND WORK NAME` makes the database a benchmark fills: on PostgreSQL a
# fresh database NAME, on SQLite the file in WORK. Sets `bench_backend`, `bench_work`,
# `bench_db` (PostgreSQL's name, empty on SQLite) and the array `bench_args` (the flags
# every `rehber` command of the run takes).
bench_database() {
    bench_backend=$1 bench_work=$2 bench_db=""
    bench_args=(--data-dir "$bench_work")
    if [ "$bench_backend" = postgres ]; then
        bench_db=$3
        psql -q -h 127.0.0.1 -U postgres -d test -c "CREATE DATABASE $bench_db"
        bench_args+=(--database-url "postgres://postgres@127.0.0.1:5432/$bench_db")
    fi
}
# `drop_bench_database` removes what `bench_database` made, and the work folder.
drop_bench_database() {
    if [ -n "${bench_db:-}" ]; then psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS $bench_db"; fi
    rm -rf "$bench_work"
}
# `bench_sql SQL` runs SQL on the benchmark's database and prints the rows.
bench_sql() {
    if [ "$bench_backend" = postgres ]; then
        psql -qtA -h 127.0.0.1 -U postgres -d "$bench_db" -c "$1"
    else
        sqlite3 "$bench_work/rehber.db" "$1"
    fi
}
# `timed LABEL COMMAND…` runs the command with its output in $bench_work/out and prints its
# wall time.
timed() {
    local label=$1 started ended
    shift
    started=$(date +%s.%N)
    "$@" >"$bench_work/out"
    ended=$(date +%s.%N)
    printf '%-48s %8.3f s\n' "$label" "$(echo "$ended - $started" | bc)"
}

#!/usr/bin/env bash
# Load test of the Rehber server on a generated large data set, on loopback only.
#
#   bench/load/run.sh [PEOPLE] [sqlite|postgres]
#
# Builds the release binary, generates the demo company with PEOPLE people (default
# 1,000,000) into a fresh database, starts `rehber serve`, signs in an administrator and a
# sales rep, and runs wrk against the people list page, searches, a record page and the API
# list: once with 32 connections (throughput) and once with 4 (latency of a busy office),
# after a warm-up pass over every URL.
# Prints Markdown tables for docs/benchmarks.md. Needs wrk (Debian package `wrk`) and, for
# postgres, PostgreSQL at 127.0.0.1:5432 with trust authentication.
#
#   REHBER_BIN=path          use this binary instead of building one
#   REHBER_BENCH_DIR=dir     where the throwaway data set goes (default /tmp)
#   REHBER_BENCH_DATA=dir    reuse a data set an earlier run kept (see REHBER_BENCH_KEEP)
#   REHBER_BENCH_KEEP=1      keep the generated data set (and PostgreSQL database)
#   REHBER_BENCH_DURATION=s  wrk duration per URL and profile (default 20s)
#   REHBER_BENCH_ONLY=custom only the custom-field requests
#   REHBER_BENCH_ONLY=search only the list pages and the searches
#   REHBER_BENCH_ONLY=writes only the writes (people created through the form and the API at
#                            8 connections, then counted: no acknowledged create may be missing)
#   REHBER_BENCH_ONLY=day    only a sales rep's day: one of their people given a 10,000-entry
#                            timeline and the rep 500 open tasks (400 overdue, 100 due today),
#                            then their record page, timeline, "Bugün" page and agenda
#   REHBER_BENCH_ONLY=board  only the deal board: a 10-stage pipeline given 100,000 deals (TRY,
#                            USD and EUR, spread over the sales reps), then its board as the
#                            administrator (every deal) and as a rep (their own), page and API
#
# Memory: the peak resident memory of `rehber demo`, and the server's at idle and its peak
# under the read benchmark, each split into anonymous memory (heap, SQLite's page cache) and
# file-backed pages (the mapped binary and, on SQLite, the database file mapped for reads,
# which the kernel drops under pressure); printed as a table after the others.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=bench/load/lib.sh
. "$root/bench/load/lib.sh"
people="${1:-1000000}"
backend="${2:-sqlite}"
port=18099
duration="${REHBER_BENCH_DURATION:-20s}"

bin=$(release_binary "$root")

if [ -n "${REHBER_BENCH_DATA:-}" ]; then
    data="$REHBER_BENCH_DATA"
    keep=1
    [ -f "$data/database_url" ] && DATABASE_URL=$(cat "$data/database_url") && export DATABASE_URL
else
    data=$(mktemp -d "${REHBER_BENCH_DIR:-/tmp}/rehber-load.XXXXXX")
    keep="${REHBER_BENCH_KEEP:-}"
    if [ "$backend" = postgres ]; then
        db="rehber_load_$$"
        psql -q -h 127.0.0.1 -U postgres -d test -c "CREATE DATABASE $db"
        export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db"
        echo "$DATABASE_URL" >"$data/database_url"
    fi
fi
args=(--data-dir "$data")
# Runs the binary without the script's own REHBER_BIN and REHBER_BENCH_* variables (Rehber
# warns about REHBER_ variables it does not know). `env` execs the binary, so `$!` of a
# command started in the background is the server's own process.
rehber=(env -u REHBER_BIN -u REHBER_BENCH_DATA -u REHBER_BENCH_DIR -u REHBER_BENCH_KEEP
    -u REHBER_BENCH_DURATION -u REHBER_BENCH_CONNECTIONS -u REHBER_BENCH_ONLY "$bin")
cleanup() {
    [ -n "${server:-}" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    if [ -z "$keep" ]; then
        [ -n "${db:-}" ] && psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS $db"
        rm -rf "$data"
    else
        echo "data set kept in $data (REHBER_BENCH_DATA=$data to reuse it)"
    fi
}
trap cleanup EXIT

# `memory_row LABEL "total anon file"` prints one row of the memory table.
memory_row() {
    echo "$2" | awk -v b="$backend" -v p="$people" -v l="$1" '{printf "| %s | %s | %s | %s MiB | %s MiB | %s MiB |\n", b, p, l, $1, $2, $3}'
}

if [ ! -f "$data/demo.out" ]; then
    echo "== generating $people people ($backend)"
    started=$(date +%s)
    "${rehber[@]}" demo --people "$people" "${args[@]}" >"$data/demo.out" 2>"$data/demo.err" &
    demo=$!
    sample_memory "$demo" "$data/demo-memory.txt" &
    wait "$demo" || { cat "$data/demo.err" >&2; exit 1; }
    echo "demo load: $(($(date +%s) - started)) s"
fi
grep -v -i password "$data/demo.out" | head -n 1
password=$(grep -o 'shown once): .*' "$data/demo.out" | awk '{print $NF}')

"${rehber[@]}" serve --listen "127.0.0.1:$port" "${args[@]}" >"$data/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
sleep 1
idle_memory=$(memory "$server")

base="http://127.0.0.1:$port"
admin_email="admin@demo.rehber.local"
rep_email="rep1.istanbul@demo.rehber.local"
token=$("${rehber[@]}" token issue --email "$admin_email" --name load "${args[@]}" | awk '{print $NF}')
rep_token=$("${rehber[@]}" token issue --email "$rep_email" --name load "${args[@]}" | awk '{print $NF}')
admin_cookie=$(session_cookie "$base" "$admin_email" "$password")
rep_cookie=$(session_cookie "$base" "$rep_email" "$password")
person=$(curl -fsS -H "Authorization: Bearer $token" "$base/api/v1/people?limit=1&sort=-created_at" | grep -o '"id":[0-9]*' | head -n1 | cut -d: -f2)

# Custom fields: a choice (six sectors) and a money field defined through the API, filled
# for every person straight in the database (as the services would store them: JSON on the
# row and typed rows in custom_values), once per data set.
if [ ! -f "$data/custom.done" ]; then
    echo "== custom fields: defining and filling sektor (choice) and ciro (money)"
    options='[{"key":"tekstil","label_tr":"Tekstil","label_en":"Textiles"},{"key":"gida","label_tr":"Gıda","label_en":"Food"},{"key":"insaat","label_tr":"İnşaat","label_en":"Construction"},{"key":"lojistik","label_tr":"Lojistik","label_en":"Logistics"},{"key":"yazilim","label_tr":"Yazılım","label_en":"Software"},{"key":"enerji","label_tr":"Enerji","label_en":"Energy"}]'
    define() {
        curl -fsS -H "Authorization: Bearer $token" -H 'content-type: application/json' \
            "$base/api/v1/custom-fields" -d "$1" | grep -o '"id":[0-9]*' | head -n1 | cut -d: -f2
    }
    sektor=$(define '{"record_type":"person","key":"sektor","type":"choice","label_tr":"Sektör","label_en":"Industry","in_list":true,"options":'"$options"'}')
    ciro=$(define '{"record_type":"person","key":"ciro","type":"money","label_tr":"Ciro","label_en":"Turnover","in_list":true}')
    sectors="CASE id % 6 WHEN 0 THEN 'tekstil' WHEN 1 THEN 'gida' WHEN 2 THEN 'insaat' WHEN 3 THEN 'lojistik' WHEN 4 THEN 'yazilim' ELSE 'enerji' END"
    amount="((id * 7919) % 100000000)"
    fill="INSERT INTO custom_values (field_id, record_id, v_text, v_num) SELECT $sektor, id, $sectors, NULL FROM people;
          INSERT INTO custom_values (field_id, record_id, v_text, v_num) SELECT $ciro, id, NULL, $amount FROM people;"
    if [ "$backend" = postgres ]; then
        # Rewriting every row leaves a million dead row versions and clears the visibility
        # map; vacuum as `rehber demo` does after its load, or index-only counts read the heap.
        psql -q "$DATABASE_URL" -c "$fill" -c "UPDATE people SET custom = json_build_object('sektor', $sectors, 'ciro', json_build_object('minor', $amount, 'currency', 'TRY'))::text;" -c "VACUUM (ANALYZE) people, custom_values;"
    else
        sqlite3 "$data/rehber.db" "$fill UPDATE people SET custom = json_object('sektor', $sectors, 'ciro', json_object('minor', $amount, 'currency', 'TRY')); ANALYZE;"
    fi
    touch "$data/custom.done"
fi

# `run CONNECTIONS LABEL URL [wrk options]` prints one table row; with connections "warm"
# it only requests the URL for a few seconds, so every measurement runs on a warm server.
run() {
    local connections=$1 label=$2 url=$3; shift 3
    local out rps p50 p99 errors
    if [ "$connections" = warm ]; then
        wrk -t2 -c4 -d8s "$@" "$url" >/dev/null
        return
    fi
    out=$(wrk -t2 -c"$connections" -d"$duration" --latency "$@" "$url")
    rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
    p50=$(echo "$out" | awk '$1=="50%"{print $2}')
    p99=$(echo "$out" | awk '$1=="99%"{print $2}')
    errors=$(echo "$out" | awk '/Non-2xx/{print $NF}')
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$backend" "$connections" "$label" "$rps" "$p50" "$p99" "${errors:-0}"
}

requests() {
    local c=$1
    [ "${REHBER_BENCH_ONLY:-}" = custom ] && { custom_requests "$c"; return; }
    run "$c" "people list page (UI, administrator)" "$base/people" -H "Cookie: $admin_cookie"
    run "$c" "people list page (UI, sales rep)" "$base/people" -H "Cookie: $rep_cookie"
    run "$c" "people search page \`q=ayse yil\` (UI)" "$base/people?q=ayse%20yil" -H "Cookie: $admin_cookie"
    [ "${REHBER_BENCH_ONLY:-}" = search ] || run "$c" "person record page (UI)" "$base/people/$person" -H "Cookie: $admin_cookie"
    run "$c" "API list \`/api/v1/people\`" "$base/api/v1/people" -H "Authorization: Bearer $token"
    [ "${REHBER_BENCH_ONLY:-}" = search ] || run "$c" "API list, sales rep" "$base/api/v1/people" -H "Authorization: Bearer $rep_token"
    run "$c" "API search \`q=caglar\`" "$base/api/v1/people?q=caglar" -H "Authorization: Bearer $token"
    run "$c" "API search \`q=caglar\`, sales rep" "$base/api/v1/people?q=caglar" -H "Authorization: Bearer $rep_token"
    run "$c" "API search \`q=pinar caglar\`" "$base/api/v1/people?q=pinar%20caglar" -H "Authorization: Bearer $token"
    run "$c" "API search by phone \`q=0555 117\`" "$base/api/v1/people?q=0555%20117" -H "Authorization: Bearer $token"
    run "$c" "API search, one letter \`q=s\`" "$base/api/v1/people?q=s" -H "Authorization: Bearer $token"
    run "$c" "API search, two common words \`q=istanbul ali\`" "$base/api/v1/people?q=istanbul%20ali" -H "Authorization: Bearer $token"
    run "$c" "API search, exact names first \`q=ayse yilmaz\`" "$base/api/v1/people?q=ayse%20yilmaz" -H "Authorization: Bearer $token"
    [ "${REHBER_BENCH_ONLY:-}" = search ] && return
    run "$c" "API sort by city \`sort=city\`" "$base/api/v1/people?sort=city" -H "Authorization: Bearer $token"
    run "$c" "API sort by city, sales rep" "$base/api/v1/people?sort=city" -H "Authorization: Bearer $rep_token"
    custom_requests "$c"
}

custom_requests() {
    local c=$1
    run "$c" "API custom choice \`custom.sektor=tekstil\`" "$base/api/v1/people?custom.sektor=tekstil" -H "Authorization: Bearer $token"
    run "$c" "API custom choice, sales rep" "$base/api/v1/people?custom.sektor=tekstil" -H "Authorization: Bearer $rep_token"
    run "$c" "API custom range, rare \`custom.ciro_gte=99000000\`" "$base/api/v1/people?custom.ciro_gte=99000000" -H "Authorization: Bearer $token"
    run "$c" "API custom sort \`sort=-custom.ciro\`" "$base/api/v1/people?sort=-custom.ciro" -H "Authorization: Bearer $token"
    run "$c" "API custom sort, sales rep" "$base/api/v1/people?sort=-custom.ciro" -H "Authorization: Bearer $rep_token"
    run "$c" "people list page with custom columns and filter (UI)" "$base/people?custom.sektor=gida" -H "Cookie: $admin_cookie"
    # {"any":[{"field":"city","op":"eq","value":"izmir"},{"field":"custom.ciro","op":"gte","value":99900000}]}
    local rule='%7B%22any%22%3A%5B%7B%22field%22%3A%22city%22%2C%22op%22%3A%22eq%22%2C%22value%22%3A%22izmir%22%7D%2C%7B%22field%22%3A%22custom.ciro%22%2C%22op%22%3A%22gte%22%2C%22value%22%3A99900000%7D%5D%7D'
    run "$c" "API rule \`any\` (city or a rare amount)" "$base/api/v1/people?filter=$rule" -H "Authorization: Bearer $token"
    run "$c" "API rule \`any\`, sales rep" "$base/api/v1/people?filter=$rule" -H "Authorization: Bearer $rep_token"
}

# `run_writes CONNECTIONS LABEL LAST_NAME URL BODY_TYPE BODY AUTH_HEADER` creates people for the
# run's duration with every request, then counts them in the database: every acknowledged
# create (a 2xx or 3xx answer) must be there.
run_writes() {
    local connections=$1 label=$2 last=$3 url=$4 type=$5 body=$6 auth=$7
    local script="$data/write.lua" out rps p50 p99 errors requests acked stored
    cat >"$script" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "$type"
wrk.headers["$(echo "$auth" | cut -d: -f1)"] = "$(echo "$auth" | cut -d: -f2- | sed 's/^ //')"
wrk.body = '$body'
LUA
    out=$(wrk -t2 -c"$connections" -d"$duration" --latency -s "$script" "$url")
    rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
    p50=$(echo "$out" | awk '$1=="50%"{print $2}')
    p99=$(echo "$out" | awk '$1=="99%"{print $2}')
    errors=$(echo "$out" | awk '/Non-2xx/{print $NF}')
    requests=$(echo "$out" | awk '/requests in/{print $1}')
    acked=$((requests - ${errors:-0}))
    if [ "$backend" = postgres ]; then
        stored=$(psql -qtA "$DATABASE_URL" -c "SELECT COUNT(*) FROM people WHERE last_name = '$last'")
    else
        stored=$(sqlite3 "$data/rehber.db" "SELECT COUNT(*) FROM people WHERE last_name = '$last'")
    fi
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$backend" "$connections" "$label" "$rps" "$p50" "$p99" "${errors:-0}"
    if [ "$stored" -lt "$acked" ]; then
        echo "LOST WRITES: $acked acknowledged, $stored stored ($label)" >&2
        exit 1
    fi
    echo "<!-- $label: $acked acknowledged, $stored stored -->"
}

write_requests() {
    local c=$1 csrf run=$RANDOM
    csrf=$(form_csrf "$base" "$admin_cookie")
    run_writes "$c" "create a person through the form (UI)" "Yazmaform$c$run" "$base/people" \
        "application/x-www-form-urlencoded" "_csrf=$csrf&first_name=Yazma&last_name=Yazmaform$c$run" "Cookie: $admin_cookie"
    run_writes "$c" "API \`POST /api/v1/people\`" "Yazmaapi$c$run" "$base/api/v1/people" \
        "application/json" "{\"first_name\": \"Yazma\", \"last_name\": \"Yazmaapi$c$run\"}" "Authorization: Bearer $token"
}

# `sql STATEMENTS` runs SQL on the data set's database.
sql() {
    if [ "$backend" = postgres ]; then
        psql -qtA "$DATABASE_URL" -c "$1"
    else
        sqlite3 "$data/rehber.db" "$1"
    fi
}

# A sales rep's busy day, seeded once per data set straight in the database (as the services
# would store it): 10,000 calls on one of the rep's people and 500 open tasks of the rep,
# each linked to that person.
day_requests() {
    local c=$1
    run "$c" "record page, 10,000-entry timeline (UI, sales rep)" "$base/people/$rep_person" -H "Cookie: $rep_cookie"
    run "$c" "API timeline, first page \`/api/v1/people/{id}/timeline\`" "$base/api/v1/people/$rep_person/timeline" -H "Authorization: Bearer $rep_token"
    run "$c" "\"Bugün\" page, 500 open tasks (UI, sales rep)" "$base/today" -H "Cookie: $rep_cookie"
    run "$c" "API agenda \`/api/v1/me/agenda\`" "$base/api/v1/me/agenda" -H "Authorization: Bearer $rep_token"
}

if [ "${REHBER_BENCH_ONLY:-}" = day ]; then
    rep_id=$(sql "SELECT id FROM users WHERE email = '$rep_email'")
    rep_team=$(sql "SELECT COALESCE(team_id, 0) FROM users WHERE id = $rep_id")
    rep_person=$(sql "SELECT MIN(id) FROM people WHERE owner_id = $rep_id AND deleted_at IS NULL")
    if [ ! -f "$data/day.done" ]; then
        echo "== seeding a 10,000-entry timeline on person $rep_person and 500 tasks of user $rep_id"
        now_us=$(($(date +%s) * 1000000))
        today=$(TZ=Europe/Istanbul date +%F)
        today_us=$(($(TZ=Europe/Istanbul date -d "$today 00:00" +%s) * 1000000))
        day_us=86400000000
        if [ "$backend" = postgres ]; then
            series="SELECT generate_series(1, %d) AS n"
            past="to_char(DATE '$today' - (n %% 400 + 1), 'YYYY-MM-DD')"
        else
            series="WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < %d) SELECT n FROM s"
            past="date('$today', '-' || (n %% 400 + 1) || ' days')"
        fi
        # shellcheck disable=SC2059
        sql "INSERT INTO activities (kind, status, subject, body, starts_at, all_day, location, owner_id, team_id, created_by, version, created_at, updated_at)
             SELECT 'call', 'done', 'Arama ' || n, 'Zaman akışı ölçümü', $now_us - n * 3600000000, false, '', $rep_id, NULLIF($rep_team, 0), $rep_id, 1, $now_us, $now_us
             FROM ($(printf "$series" 10000)) s;
             INSERT INTO activity_links (activity_id, record_type, record_id, automatic)
             SELECT id, 'person', $rep_person, false FROM activities WHERE body = 'Zaman akışı ölçümü';
             INSERT INTO tasks (title, notes, due_date, due_key, priority, status, owner_id, team_id, created_by, version, created_at, updated_at)
             SELECT 'Geciken görev ' || n, '', $(printf "$past"), $today_us - (n % 400 + 1) * $day_us, 'normal', 'open', $rep_id, NULLIF($rep_team, 0), $rep_id, 1, $now_us, $now_us
             FROM ($(printf "$series" 400)) s;
             INSERT INTO tasks (title, notes, due_date, due_key, priority, status, owner_id, team_id, created_by, version, created_at, updated_at)
             SELECT 'Bugünkü görev ' || n, '', '$today', $today_us, 'normal', 'open', $rep_id, NULLIF($rep_team, 0), $rep_id, 1, $now_us, $now_us
             FROM ($(printf "$series" 100)) s;
             INSERT INTO task_links (task_id, record_type, record_id, automatic)
             SELECT id, 'person', $rep_person, false FROM tasks WHERE owner_id = $rep_id;" >/dev/null
        if [ "$backend" = postgres ]; then sql "VACUUM (ANALYZE) activities, activity_links, tasks, task_links;" >/dev/null; else sql "ANALYZE;" >/dev/null; fi
        touch "$data/day.done"
    fi
    echo "== warming up (every URL for 8 s)"
    day_requests warm
    echo
    echo "| backend | connections | request | requests/s | p50 | p99 | non-2xx |"
    echo "| --- | --- | --- | --- | --- | --- | --- |"
    for connections in ${REHBER_BENCH_CONNECTIONS:-32 4}; do
        day_requests "$connections"
    done
    exit 0
fi

# The board of a pipeline with 10 stages and 100,000 deals, seeded once per data set: the
# pipeline through the API, the deals straight in the database as the services store them
# (a third in USD and EUR, whose rates are entered through the API; every 20th without an
# amount; owners spread over the sales reps, each deal in its owner's team).
board_requests() {
    local c=$1
    run "$c" "board page, 100,000 deals (UI, administrator)" "$base/deals/board?pipeline_id=$board_pipeline" -H "Cookie: $admin_cookie"
    run "$c" "board API \`/api/v1/deals/board\` (administrator)" "$base/api/v1/deals/board?pipeline_id=$board_pipeline" -H "Authorization: Bearer $token"
    run "$c" "board page (UI, sales rep)" "$base/deals/board?pipeline_id=$board_pipeline" -H "Cookie: $rep_cookie"
    run "$c" "board API (sales rep)" "$base/api/v1/deals/board?pipeline_id=$board_pipeline" -H "Authorization: Bearer $rep_token"
    run "$c" "API deal list, one stage" "$base/api/v1/deals?pipeline_id=$board_pipeline&stage_id=$board_stage" -H "Authorization: Bearer $token"
}

if [ "${REHBER_BENCH_ONLY:-}" = board ]; then
    if [ ! -f "$data/board.done" ]; then
        echo "== seeding a 10-stage pipeline with 100,000 deals"
        stages='{"name":"Keşif","kind":"open"},{"name":"Nitelikli","kind":"open"},{"name":"İhtiyaç analizi","kind":"open"},{"name":"Demo","kind":"open"},{"name":"Teklif","kind":"open"},{"name":"Pazarlık","kind":"open"},{"name":"Onay","kind":"open"},{"name":"Sözleşme","kind":"open"},{"name":"Kazanıldı","kind":"won"},{"name":"Kaybedildi","kind":"lost"}'
        curl -fsS -H "Authorization: Bearer $token" -H 'content-type: application/json' \
            "$base/api/v1/pipelines" -d '{"name":"Yük testi","stages":['"$stages"']}' >/dev/null
        for rate in '{"currency":"USD","date":"2026-12-01","rate":"42.4915"}' '{"currency":"EUR","date":"2026-12-01","rate":"49.4123"}'; do
            curl -fsS -H "Authorization: Bearer $token" -H 'content-type: application/json' "$base/api/v1/exchange-rates" -d "$rate" >/dev/null
        done
        pipeline_id=$(sql "SELECT id FROM pipelines WHERE name = 'Yük testi'")
        first_stage=$(sql "SELECT MIN(id) FROM pipeline_stages WHERE pipeline_id = $pipeline_id")
        reps=$(sql "SELECT COUNT(*) FROM users WHERE role = 'sales_rep'")
        now_us=$(($(date +%s) * 1000000))
        if [ "$backend" = postgres ]; then
            series="SELECT generate_series(1, 100000) AS n"
        else
            series="WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 100000) SELECT n FROM s"
        fi
        sql "INSERT INTO deals (name, sort_key, search_key, pipeline_id, stage_id, amount_minor, currency, probability, expected_close, person_id, company_id, lost_reason_id, lost_note, forecast_category, stage_entered_on, tags, notes, custom, owner_id, team_id, version, created_at, updated_at)
             SELECT 'Fırsat ' || s.n, 'firsat ' || s.n, 'firsat ' || s.n, $pipeline_id, $first_stage + s.n % 10,
                    CASE WHEN s.n % 20 = 0 THEN NULL ELSE (s.n * 7919) % 50000000 END,
                    CASE s.n % 3 WHEN 0 THEN 'TRY' WHEN 1 THEN 'TRY' ELSE CASE s.n % 2 WHEN 0 THEN 'USD' ELSE 'EUR' END END,
                    NULL, '2027-03-31', NULL, NULL, CASE WHEN s.n % 10 = 9 THEN 1 END, '', NULL, '2026-11-20', '[]', '', '{}',
                    u.id, u.team_id, 1, $now_us - s.n, $now_us - s.n
             FROM ($series) s
             JOIN (SELECT id, team_id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM users WHERE role = 'sales_rep') u ON u.k = s.n % $reps" >/dev/null
        if [ "$backend" = postgres ]; then sql "VACUUM (ANALYZE) deals;" >/dev/null; else sql "ANALYZE;" >/dev/null; fi
        touch "$data/board.done"
    fi
    board_pipeline=$(sql "SELECT id FROM pipelines WHERE name = 'Yük testi'")
    board_stage=$(sql "SELECT MIN(id) FROM pipeline_stages WHERE pipeline_id = $board_pipeline")
    echo "== warming up (every URL for 8 s)"
    board_requests warm
    echo
    echo "| backend | connections | request | requests/s | p50 | p99 | non-2xx |"
    echo "| --- | --- | --- | --- | --- | --- | --- |"
    for connections in ${REHBER_BENCH_CONNECTIONS:-32 4}; do
        board_requests "$connections"
    done
    exit 0
fi

if [ "${REHBER_BENCH_ONLY:-}" = writes ]; then
    echo
    echo "| backend | connections | request | requests/s | p50 | p99 | non-2xx |"
    echo "| --- | --- | --- | --- | --- | --- | --- |"
    for connections in ${REHBER_BENCH_CONNECTIONS:-8}; do
        write_requests "$connections"
    done
    exit 0
fi

echo "== warming up (every URL for 8 s)"
requests warm

sample_memory "$server" "$data/server-memory.txt" &
echo
echo "| backend | connections | request | requests/s | p50 | p99 | non-2xx |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for connections in ${REHBER_BENCH_CONNECTIONS:-32 4}; do
    requests "$connections"
done

echo
echo "| backend | people | process | resident | anonymous | file-backed |"
echo "| --- | --- | --- | --- | --- | --- |"
[ -f "$data/demo-memory.txt" ] && memory_row "\`rehber demo\`, peak" "$(cat "$data/demo-memory.txt")"
memory_row "server, idle after start" "$idle_memory"
memory_row "server, peak under the read benchmark" "$(cat "$data/server-memory.txt")"
memory_row "server, after the read benchmark" "$(memory "$server")"

#!/usr/bin/env bash
# Load test of the directory (« annuaire ») search at scale, loopback only.
#
#   bash bench/directory.sh          (or: bash bench/run.sh annuaire)
#
# For SQLite, then PostgreSQL when available:
#   1. loads BENCH_PROFILES synthetic profiles (hidden command
#      `maillage bench-data annuaire`: ~200 organisations from the official
#      list, the starter themes, French names) into a fresh database, timed;
#   2. starts `maillage serve` on a free 127.0.0.1 port;
#   3. logs in as the generated member account (Région Occitanie) and as the
#      coordinator;
#   4. runs wrk against typical searches of /annuaire.
# Prints one Markdown table (p50, p99, requests/s per search and backend).
# Stops everything it started on exit and removes its temporary directory.
# Installs nothing.
#
# PostgreSQL: DATABASE_URL naming an empty database, or else a throwaway
# cluster started by scripts/with-postgres.sh (needs the postgresql package;
# fsync is off there: generation is faster than on a real server).
#
# Environment:
#   BENCH_PROFILES     profiles to generate (default 250000)
#   BENCH_SEED         generator seed (default 1)
#   BENCH_DURATION     wrk duration per search (default 20s)
#   BENCH_CONNECTIONS  wrk connections (default 16)
#   BENCH_THREADS      wrk threads (default 2)
#   BENCH_POSTGRES     auto (default: if DATABASE_URL is set or PostgreSQL is
#                      installed) | 0 | 1
#   BENCH_SEARCHES     only the searches whose label matches this ERE
#   BENCH_WRK_TIMEOUT  wrk's per-request timeout (default 10s; slower answers
#                      count as errors)
#   BENCH_REUSE        a directory kept by an earlier run (BENCH_KEEP=1): reuse
#                      its SQLite database instead of generating one
#                      (PostgreSQL is then skipped unless BENCH_POSTGRES=1)
#   MAILLAGE_BIN       binary to test (default: `cargo build --release`, then
#                      target/release/maillage)
#   BENCH_KEEP         1: keep the temporary directory (databases, logs, wrk outputs)

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

PROFILES="${BENCH_PROFILES:-250000}"
SEED="${BENCH_SEED:-1}"
DURATION="${BENCH_DURATION:-20s}"
CONNS="${BENCH_CONNECTIONS:-16}"
THREADS="${BENCH_THREADS:-2}"
PG_MODE="${BENCH_POSTGRES:-auto}"
ONLY="${BENCH_SEARCHES:-}"
WRK_TIMEOUT="${BENCH_WRK_TIMEOUT:-10s}"
REUSE="${BENCH_REUSE:-}"
if [ -n "$REUSE" ]; then
    if [ ! -f "$REUSE/SQLite/maillage.sqlite3" ] || [ ! -f "$REUSE/SQLite/bench-password" ]; then
        die "BENCH_REUSE: no SQLite/maillage.sqlite3 and SQLite/bench-password in $REUSE"
    fi
    [ "$PG_MODE" = auto ] && PG_MODE=0
fi
# Set when this script runs itself under scripts/with-postgres.sh.
INNER="${BENCH_INNER:-}"

# label|query string|account (member or coordinator)
SEARCHES=(
    "browse, first page (no query)||member"
    "first name|q=elodie|member"
    "last name with apostrophe|q=l%27hote|member"
    "prefix|q=form|member"
    "theme word|q=numerique|member"
    "two words|q=directrice+finances|member"
    "filters only|categorie=A&region=76|member"
    "query + filter|q=formation&categorie=A|member"
    "prefix, as coordinator|q=form|coordinator"
)

command -v wrk >/dev/null 2>&1 \
    || die "wrk is missing. Install it with: apt-get install -y wrk   (Debian/Ubuntu package 'wrk'; macOS: brew install wrk)"
command -v curl >/dev/null 2>&1 || die "curl is missing (apt-get install -y curl)"

# --- binary -----------------------------------------------------------------
if [ -n "${MAILLAGE_BIN:-}" ]; then
    BIN="$MAILLAGE_BIN"
else
    BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/maillage"
    say "cargo build --release"
    (cd "$ROOT" && cargo build --release) || die "cargo build --release failed"
fi
[ -x "$BIN" ] || die "no binary at $BIN"

# --- temp dir and cleanup -----------------------------------------------------
TMP="$(mktemp -d "${TMPDIR:-/tmp}/maillage-bench-annuaire.XXXXXX")"
SERVER_PID=""
stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}
cleanup() {
    local rc=$?
    stop_server
    if [ "${BENCH_KEEP:-0}" = 1 ]; then
        say "kept $TMP"
    else
        rm -rf "$TMP"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The caller's MAILLAGE_* and DATABASE_URL never reach the binary: no
# ./maillage.toml, the default settings, only what this script sets.
CLEAN_ENV=(-u DATABASE_URL)
while IFS= read -r v; do CLEAN_ENV+=(-u "$v"); done < <(env | sed -n 's/^\(MAILLAGE_[A-Za-z0-9_]*\)=.*/\1/p')
PASSWORD="banc-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
[ -n "$REUSE" ] && PASSWORD="$(cat "$REUSE/SQLite/bench-password")"

maillage() { # data_dir database_url args...
    local dir="$1" url="$2"; shift 2
    local extra=()
    [ -n "$url" ] && extra+=("DATABASE_URL=$url")
    (cd "$TMP" && exec env "${CLEAN_ENV[@]}" "${extra[@]}" "$BIN" "$@" --data-dir "$dir")
}

login() { # email -> session cookie value
    local body code
    body="email=$(urlenc "$1")&password=$(urlenc "$PASSWORD")&retour=%2Fannuaire"
    code="$(curl -sS -o /dev/null -D "$TMP/login.headers" -w '%{http_code}' --max-time 10 \
        -H 'Content-Type: application/x-www-form-urlencoded' --data "$body" "$BASE/connexion")"
    [ "$code" = 303 ] || die "login as $1 answered $code, not 303"
    tr -d '\r' <"$TMP/login.headers" | sed -n 's/^[Ss]et-[Cc]ookie: maillage_session=\([^;]*\).*/\1/p' | head -1
}

# What the page says it found (« 12 fiches », « Plus de 1000 fiches »…).
found() { # html file
    tr '\n' ' ' <"$1" | sed -n 's/.*<p role="status">\([^<]*\)<\/p>.*/\1/p' \
        | sed -e 's/ : précisez la recherche\.//' -e 's/Aucune fiche ne correspond à cette recherche\./0 fiche/' \
        | head -1
}

BUSY_BEFORE="$(busy_pct 2>/dev/null || echo '?')"
[ "$BUSY_BEFORE" != '?' ] && [ "$BUSY_BEFORE" -gt 10 ] \
    && say "warning: the machine is already ${BUSY_BEFORE}% busy: figures will be lower and noisier"

ROWS=()    # Markdown rows of the search table
NOTES=()   # one line per backend: generation time, sizes, memory

# Generates, serves and measures one backend. $2: a PostgreSQL URL, or empty for SQLite.
run_backend() { # name url
    local name="$1" url="$2" dir="$TMP/$1"
    local t0 t1 gen_s=""
    if [ -n "$REUSE" ] && [ -z "$url" ]; then
        dir="$REUSE/SQLite"
        say "$name: reusing the database in $dir (no generation)"
    else
        mkdir -p "$dir"
        # The accounts' password, for BENCH_REUSE (a throwaway database).
        printf '%s\n' "$PASSWORD" >"$dir/bench-password"
        say "$name: generating $PROFILES profiles (seed $SEED)"
        t0="$(date +%s.%N)"
        MAILLAGE_PASSWORD="$PASSWORD" maillage "$dir" "$url" bench-data annuaire --profiles "$PROFILES" --seed "$SEED" \
            2>&1 | sed -u 's/\x1b\[[0-9;]*m//g' | tee "$TMP/$name-generate.log" | sed -u "s/^/bench: $name: /" >&2 \
            || die "$name: generation failed"
        t1="$(date +%s.%N)"
        gen_s="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }')"
    fi
    local size=""
    if [ -n "$url" ]; then
        if command -v psql >/dev/null 2>&1; then
            # What autovacuum would have done by the time people search.
            psql -q "$url" -c 'VACUUM ANALYZE' >/dev/null || die "$name: VACUUM ANALYZE failed"
            size="$(psql -At "$url" -c 'SELECT pg_size_pretty(pg_database_size(current_database()))')"
        fi
    else
        size="$(du -sh "$dir" | cut -f1)"
    fi

    PORT="$(free_port)"
    BASE="http://127.0.0.1:$PORT"
    say "$name: starting $BIN serve on $BASE"
    local extra=()
    [ -n "$url" ] && extra+=("DATABASE_URL=$url")
    (cd "$TMP" && exec env "${CLEAN_ENV[@]}" "${extra[@]}" "$BIN" serve --data-dir "$dir" --addr "127.0.0.1:$PORT") \
        >"$TMP/$name-server.log" 2>&1 &
    SERVER_PID=$!
    local ready=0
    for _ in $(seq 1 600); do
        if curl -fsS -o /dev/null --max-time 2 "$BASE/health" 2>/dev/null; then ready=1; break; fi
        kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$TMP/$name-server.log" >&2; die "$name: the server exited"; }
        sleep 0.1
    done
    [ "$ready" = 1 ] || { tail -20 "$TMP/$name-server.log" >&2; die "$name: /health did not answer within 60 s"; }

    local member coordinator
    member="$(login membre@bench.exemple.fr)"
    coordinator="$(login coordination@bench.exemple.fr)"
    if [ -z "$member" ] || [ -z "$coordinator" ]; then die "$name: login gave no maillage_session cookie"; fi
    say "$name: logged in as the member and the coordinator"

    # shellcheck disable=SC2034  # read by run_wrk (bench/lib.sh)
    CPU_PIDS="$SERVER_PID"
    # On a local PostgreSQL, its postmaster and backends work for the server:
    # count them with it.
    if [ -n "$url" ]; then
        local pg_port pg_pid=""
        pg_port="$(sed -n 's|^postgres[a-z]*://[^@]*@\(127\.0\.0\.1\|localhost\):\([0-9]*\)/.*|\2|p' <<<"$url")"
        if [ -n "$pg_port" ]; then
            pg_pid="$(ss -Hltnp "( sport = :$pg_port )" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)"
        fi
        if [ -n "$pg_pid" ]; then
            # shellcheck disable=SC2034  # read by run_wrk (bench/lib.sh)
            CPU_PIDS="$SERVER_PID $pg_pid"
            say "$name: counting PostgreSQL (postmaster $pg_pid and its backends) in the server's CPU"
        else
            say "$name: PostgreSQL's processes not found: its CPU counts as other load"
        fi
    fi
    local spec label qs who cookie path code bytes i=0 out
    for spec in "${SEARCHES[@]}"; do
        IFS='|' read -r label qs who <<<"$spec"
        if [ -n "$ONLY" ] && ! grep -Eq -- "$ONLY" <<<"$label"; then continue; fi
        i=$((i + 1))
        cookie="maillage_session=$member"; [ "$who" = coordinator ] && cookie="maillage_session=$coordinator"
        path="/annuaire"; [ -n "$qs" ] && path="/annuaire?$qs"
        local secs
        read -r code bytes secs < <(curl -sS -o "$TMP/page.html" -w '%{http_code} %{size_download} %{time_total}\n' \
            --max-time 40 -H "Cookie: $cookie" "$BASE$path" 2>/dev/null || echo "000 0 40")
        if [ "$code" != 200 ]; then
            # Too slow to measure (the server's request timeout is 30 s): say so, go on.
            say "$name: $path answered $code after ${secs} s: not measured"
            ROWS+=("| $name | $label | \`$path\` | — | ${secs%.*} s | $CONNS | — | — | — | — | — | HTTP $code after ${secs%.*} s (not measured) | — |")
            continue
        fi
        local matches; matches="$(found "$TMP/page.html")"
        # One request at a time: the cost of the search without queueing.
        local alone
        alone="$(for _ in 1 2 3 4 5; do
            curl -sS -o /dev/null -w '%{time_total}\n' --max-time 40 -H "Cookie: $cookie" "$BASE$path"
        done | sort -n | sed -n 3p | awk '{ v = $1 * 1000; printf (v < 10 ? "%.2f ms" : "%.0f ms"), v }')"
        out="$TMP/$name-wrk-$i.txt"
        run_wrk "$name $label" "$CONNS" "$THREADS" "$DURATION" "$BASE$path" "$out" -H "Cookie: $cookie" \
            --timeout "$WRK_TIMEOUT"
        local row; row="$(row_from_wrk "$label | \`$path\` | ${matches:-?} | $alone" "$CONNS" "$(( (bytes + 512) / 1024 )) KiB" "$out")"
        ROWS+=("| $name $row")
    done
    local rss; rss="$(awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status" 2>/dev/null || echo '?')"
    stop_server
    local generated="database reused from $dir"
    if [ -n "$gen_s" ]; then
        local rate; rate="$(awk -v n="$PROFILES" -v s="$gen_s" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')"
        generated="$PROFILES profiles generated in ${gen_s} s (${rate} profiles/s, wall clock of \`maillage bench-data annuaire\`, migrations included)"
    fi
    NOTES+=("$name: $generated; database size ${size:-?}; server resident memory after the searches $(( ${rss/\?/0} / 1024 )) MiB.")
}

if [ "$INNER" = postgres ]; then
    # Under scripts/with-postgres.sh: a database of our own in the throwaway cluster.
    base_url="${MAILLAGE_TEST_DATABASE_URL:?not run by scripts/with-postgres.sh}"
    command -v psql >/dev/null 2>&1 || die "psql is missing (apt-get install -y postgresql-client)"
    psql -q "$base_url" -c 'CREATE DATABASE maillage_bench' >/dev/null || die "CREATE DATABASE failed"
    run_backend PostgreSQL "${base_url%/*}/maillage_bench"
    printf '%s\n' "${ROWS[@]}" >"${BENCH_ROWS_OUT:?}"
    printf '%s\n' "${NOTES[@]}" >"${BENCH_NOTES_OUT:?}"
    exit 0
fi

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
run_backend SQLite ""

PG_URL="${DATABASE_URL:-}"
want_pg=0
case "$PG_MODE" in
    0) ;;
    1) want_pg=1 ;;
    *) if [ -n "$PG_URL" ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [ -n "${MAILLAGE_PG_BINDIR:-}" ]; then
           want_pg=1
       else
           say "PostgreSQL not installed and no DATABASE_URL: SQLite only"
       fi ;;
esac
if [ "$want_pg" = 1 ]; then
    if [ -n "$PG_URL" ]; then
        run_backend PostgreSQL "$PG_URL"
    else
        say "PostgreSQL: a throwaway cluster with scripts/with-postgres.sh"
        "$ROOT/scripts/with-postgres.sh" env BENCH_INNER=postgres MAILLAGE_BIN="$BIN" \
            BENCH_ROWS_OUT="$TMP/pg.rows" BENCH_NOTES_OUT="$TMP/pg.notes" \
            bash "$ROOT/bench/directory.sh" || die "the PostgreSQL run failed"
        mapfile -t -O "${#ROWS[@]}" ROWS <"$TMP/pg.rows"
        mapfile -t -O "${#NOTES[@]}" NOTES <"$TMP/pg.notes"
    fi
fi
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"

# --- report ------------------------------------------------------------------------
echo
echo "Maillage $("$BIN" --version 2>/dev/null | awk '{print $2}') — directory — $(date -u '+%Y-%m-%d %H:%M UTC') — $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "$PROFILES profiles (seed $SEED); wrk -t$THREADS -c$CONNS -d$DURATION --latency --timeout $WRK_TIMEOUT, logged in, client and server on the same machine; CPU busy before: ${BUSY_BEFORE}%; load average before: $LOAD_BEFORE, after: $LOAD_AFTER"
echo
echo "| Backend | Search | Request | Found | Alone | Connections | Size | Requests/s | p50 | p99 | Server CPU / request | Errors | Other load |"
echo "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
printf '%s\n' "${ROWS[@]}"
echo
printf '%s\n' "${NOTES[@]}"
echo "Errors: non-2xx/3xx answers plus socket errors (a request slower than the wrk timeout counts as a timeout, and its latency is not in p50/p99)."
echo "Alone: median time of 5 sequential requests (curl), before the wrk run: the cost of one search without queueing."
echo "Found: what the page says for the logged-in account (the count stops at 1000)."
echo "Server CPU / request: user + system time of the server process (and, on a local PostgreSQL, of the database's processes) during the run, divided by the requests served."
echo "Other load: share of the machine's CPU used during the run by processes other than the server and wrk."

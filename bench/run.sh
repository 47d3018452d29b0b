#!/usr/bin/env bash
# Load test of Maillage's main pages on this machine, loopback only.
#
#   bash bench/run.sh
#   bash bench/run.sh annuaire     the directory search at 250,000 profiles:
#                                  bench/directory.sh (its own settings)
#
# Starts `maillage serve --demo` on a free 127.0.0.1 port with a fresh
# temporary data dir, runs wrk against the public pages and one page behind
# login, times the login POST itself (Argon2id: a few seconds at 4
# connections, not a flood), and optionally serves a static copy of the home
# page with nginx as a ceiling. Prints a Markdown table; stops everything it
# started on exit. Installs nothing.
#
# Environment:
#   BENCH_DURATION        wrk duration per page (default 10s)
#   BENCH_LOGIN_DURATION  wrk duration for the login POST (default 5s)
#   BENCH_CONNECTIONS     wrk connections for pages (default 64)
#   BENCH_THREADS         wrk threads (default 2)
#   BENCH_NGINX           auto (default: if nginx is installed) | 0 | 1
#   MAILLAGE_BIN          binary to test (default target/release/maillage,
#                         built with `cargo build --release` if absent)
#   BENCH_KEEP            1: keep the temporary directory (logs, wrk outputs)

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${BENCH_DURATION:-10s}"
LOGIN_DURATION="${BENCH_LOGIN_DURATION:-5s}"
CONNS="${BENCH_CONNECTIONS:-64}"
THREADS="${BENCH_THREADS:-2}"
NGINX_MODE="${BENCH_NGINX:-auto}"
BIN="${MAILLAGE_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/maillage}"

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

if [ "${1:-}" = annuaire ]; then
    shift
    exec bash "$ROOT/bench/directory.sh" "$@"
fi
[ "$#" -eq 0 ] || die "unknown argument: $1 (bash bench/run.sh [annuaire])"


# --- tools ------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
    die "wrk is missing. Install it with: apt-get install -y wrk   (Debian/Ubuntu package 'wrk'; macOS: brew install wrk)"
fi
command -v curl >/dev/null 2>&1 || die "curl is missing (apt-get install -y curl)"
NGINX=""
case "$NGINX_MODE" in
    0) ;;
    1) NGINX="$(command -v nginx || true)"
       [ -n "$NGINX" ] || NGINX="$( [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx || true)"
       [ -n "$NGINX" ] || die "BENCH_NGINX=1 but nginx is missing (apt-get install -y nginx)" ;;
    *) NGINX="$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true)"
       [ -n "$NGINX" ] || say "nginx not found: no static ceiling (apt-get install -y nginx to get it)" ;;
esac

# --- binary -----------------------------------------------------------------
if [ ! -x "$BIN" ]; then
    say "no binary at $BIN: cargo build --release (a few minutes)"
    (cd "$ROOT" && cargo build --release) || die "cargo build --release failed"
    [ -x "$BIN" ] || die "still no binary at $BIN after the build"
fi

# --- temp dir and cleanup -----------------------------------------------------
TMP="$(mktemp -d "${TMPDIR:-/tmp}/maillage-bench.XXXXXX")"
SERVER_PID=""
NGINX_PID=""
cleanup() {
    local rc=$?
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    if [ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
        kill -QUIT "$NGINX_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$NGINX_PID" 2>/dev/null || true
    fi
    if [ "${BENCH_KEEP:-0}" = 1 ]; then
        say "kept $TMP"
    else
        rm -rf "$TMP"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM


# --- start the server ---------------------------------------------------------
PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
mkdir -p "$TMP/data"
say "starting $BIN serve --demo on $BASE (data in $TMP/data)"
# Run from the temp dir, without MAILLAGE_* / DATABASE_URL from the caller's
# environment: no ./maillage.toml, no PostgreSQL, the default SQLite setup.
unset_args=()
while IFS= read -r v; do unset_args+=(-u "$v"); done < <(env | sed -n 's/^\(MAILLAGE_[A-Za-z0-9_]*\)=.*/\1/p')
(cd "$TMP" && exec env "${unset_args[@]}" -u DATABASE_URL "$BIN" serve --demo \
    --data-dir "$TMP/data" --addr "127.0.0.1:$PORT") >"$TMP/server.log" 2>&1 &
SERVER_PID=$!

ready=0
for _ in $(seq 1 600); do   # 60 s at most (the demo seed hashes a few passwords)
    if curl -fsS -o /dev/null --max-time 2 "$BASE/health" 2>/dev/null; then ready=1; break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TMP/server.log" >&2; die "the server exited"; }
    sleep 0.1
done
[ "$ready" = 1 ] || { tail -20 "$TMP/server.log" >&2; die "/health did not answer within 60 s"; }
say "server ready: $(curl -fsS --max-time 2 "$BASE/health")"

# --- log in as the member account ---------------------------------------------
ACCOUNTS="$TMP/data/demo-accounts.txt"
[ -f "$ACCOUNTS" ] || die "no $ACCOUNTS"
read -r EMAIL PASSWORD < <(awk '$1 == "member" { print $2, $3; exit }' "$ACCOUNTS")
[ -n "${PASSWORD:-}" ] || die "no member account in $ACCOUNTS"
LOGIN_BODY="email=$(urlenc "$EMAIL")&password=$(urlenc "$PASSWORD")&retour=%2Fcompte"
code="$(curl -sS -o /dev/null -D "$TMP/login.headers" -w '%{http_code}' --max-time 10 \
    -H 'Content-Type: application/x-www-form-urlencoded' --data "$LOGIN_BODY" "$BASE/connexion")"
[ "$code" = 303 ] || die "login as $EMAIL answered $code, not 303"
SESSION="$(tr -d '\r' <"$TMP/login.headers" | sed -n 's/^[Ss]et-[Cc]ookie: maillage_session=\([^;]*\).*/\1/p' | head -1)"
[ -n "$SESSION" ] || die "login gave no maillage_session cookie"
COOKIE="maillage_session=$SESSION"
say "logged in as $EMAIL"

# --- the pages ------------------------------------------------------------------
# label|path|needs cookie
PAGES=(
    "GET /|/|"
    "GET /organisations|/organisations|"
    "GET /organisations?q=ales|/organisations?q=ales|"
    "GET /organisations/200066918|/organisations/200066918|"
    "GET /compte (logged in)|/compte|cookie"
)

# Checks a page answers 200 (not a redirect to the login form) and gives its size.
check_page() { # url [cookie]
    local args=(-sS -o "$TMP/page.html" -w '%{http_code} %{size_download}\n' --max-time 10)
    [ -n "${2:-}" ] && args+=(-H "Cookie: $2")
    curl "${args[@]}" "$1"
}

ROWS=()
BUSY_BEFORE="$(busy_pct 2>/dev/null || echo '?')"
[ "$BUSY_BEFORE" != '?' ] && [ "$BUSY_BEFORE" -gt 10 ] \
    && say "warning: the machine is already ${BUSY_BEFORE}% busy: figures will be lower and noisier"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
CPU_PIDS="$SERVER_PID"
HOME_RPS=""
i=0
for spec in "${PAGES[@]}"; do
    IFS='|' read -r label path auth <<<"$spec"
    i=$((i + 1))
    cookie=""; [ -n "$auth" ] && cookie="$COOKIE"
    read -r code size < <(check_page "$BASE$path" "$cookie")
    [ "$code" = 200 ] || die "$path answered $code before the run (expected 200)"
    if [ "$path" = / ]; then cp "$TMP/page.html" "$TMP/home.html"; fi
    out="$TMP/wrk-$i.txt"
    if [ -n "$cookie" ]; then
        run_wrk "$label" "$CONNS" "$THREADS" "$DURATION" "$BASE$path" "$out" -H "Cookie: $cookie"
    else
        run_wrk "$label" "$CONNS" "$THREADS" "$DURATION" "$BASE$path" "$out"
    fi
    ROWS+=("$(row_from_wrk "$label" "$CONNS" "$(( (size + 512) / 1024 )) KiB" "$out")")
    if [ "$path" = / ]; then HOME_RPS="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"; fi
done

RSS_PAGES_KB="$(awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status" 2>/dev/null || echo '?')"

# --- the login POST (Argon2id on purpose: a short, small run) -------------------
# Every request is a successful login (303): no failure counted by the
# throttle (30 failures per IP per 15 min); each opens a new session row.
cat >"$TMP/login.lua" <<EOF
wrk.method = "POST"
wrk.body = "$LOGIN_BODY"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
EOF
run_wrk "POST /connexion" 4 1 "$LOGIN_DURATION" "$BASE/connexion" "$TMP/wrk-login.txt" -s "$TMP/login.lua"
ROWS+=("$(row_from_wrk "POST /connexion (login, Argon2id, 303)" 4 "—" "$TMP/wrk-login.txt")")
RSS_KB="$(awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status" 2>/dev/null || echo '?')"

# --- the static ceiling: nginx serving the same home page ------------------------
NGINX_RPS=""
if [ -n "$NGINX" ]; then
    NPORT="$(free_port)"
    mkdir -p "$TMP/nginx/www" "$TMP/nginx/tmp" "$TMP/nginx/logs"
    cp "$TMP/home.html" "$TMP/nginx/www/index.html"
    chmod 711 "$TMP"; chmod -R a+rX "$TMP/nginx"   # workers may run as nobody
    cat >"$TMP/nginx/nginx.conf" <<EOF
worker_processes 2;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $TMP/nginx/tmp/body;
    proxy_temp_path $TMP/nginx/tmp/proxy;
    fastcgi_temp_path $TMP/nginx/tmp/fastcgi;
    uwsgi_temp_path $TMP/nginx/tmp/uwsgi;
    scgi_temp_path $TMP/nginx/tmp/scgi;
    default_type text/html;
    sendfile on;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$NPORT;
        root $TMP/nginx/www;
        index index.html;
    }
}
EOF
    "$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -g 'daemon off;' >"$TMP/nginx/logs/stdout.log" 2>&1 &
    NGINX_PID=$!
    ok=0
    for _ in $(seq 1 100); do
        if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$NPORT/" 2>/dev/null; then ok=1; break; fi
        kill -0 "$NGINX_PID" 2>/dev/null || break
        sleep 0.1
    done
    if [ "$ok" = 1 ]; then
        size="$(stat -c %s "$TMP/nginx/www/index.html")"
        CPU_PIDS="$NGINX_PID"
        # Same load as the dynamic pages, and the dynamic server idles meanwhile.
        run_wrk "nginx static /" "$CONNS" "$THREADS" "$DURATION" "http://127.0.0.1:$NPORT/" "$TMP/wrk-nginx.txt"
        ROWS+=("$(row_from_wrk "nginx: static copy of / (ceiling)" "$CONNS" "$(( (size + 512) / 1024 )) KiB" "$TMP/wrk-nginx.txt")")
        NGINX_RPS="$(awk '/^Requests\/sec:/ { print $2 }' "$TMP/wrk-nginx.txt")"
    else
        say "nginx did not start: $(cat "$TMP/nginx/logs/"*.log 2>/dev/null | tail -3)"
    fi
fi
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"

# --- report ------------------------------------------------------------------------
echo
echo "Maillage $("$BIN" --version 2>/dev/null | awk '{print $2}') — $(date -u '+%Y-%m-%d %H:%M UTC') — $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "wrk -t$THREADS -c$CONNS -d$DURATION --latency (login: -t1 -c4 -d$LOGIN_DURATION), client and server on the same machine; CPU busy before the run: ${BUSY_BEFORE}%; load average before: $LOAD_BEFORE, after: $LOAD_AFTER"
echo
echo "| Endpoint | Connections | Size | Requests/s | p50 | p99 | Server CPU / request | Errors | Other load |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
printf '%s\n' "${ROWS[@]}"
echo
echo "Server CPU / request: user + system time of the server process (all threads; nginx: master and workers) during the run, divided by the requests served."
echo "Errors: non-2xx/3xx responses plus socket errors (connect, read, write, timeout)."
echo "Other load: share of the machine's CPU used during the run by processes other than the server and wrk (0 % = a clean run; much more = figures too low and noisy)."
if [ "$RSS_KB" != '?' ] && [ "$RSS_PAGES_KB" != '?' ]; then
    echo "Server resident memory: $(( RSS_PAGES_KB / 1024 )) MiB after the page runs, $(( RSS_KB / 1024 )) MiB after the login run."
fi
if [ -n "$NGINX_RPS" ] && [ -n "$HOME_RPS" ]; then
    awk -v d="$HOME_RPS" -v s="$NGINX_RPS" 'BEGIN { printf "Home page dynamic / static: %.0f / %.0f requests/s = %.1f %%\n", d, s, 100 * d / s }'
fi

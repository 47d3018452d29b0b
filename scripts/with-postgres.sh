#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL cluster.
#
#   scripts/with-postgres.sh COMMAND [ARGS...]
#   scripts/with-postgres.sh cargo test --workspace
#
# The script:
#   1. creates a temporary cluster (initdb in a `mktemp -d` directory),
#   2. starts it on 127.0.0.1 only, on the first free port from 54329 upward,
#      with its unix socket inside the temporary directory and durability
#      switched off (fsync, synchronous_commit, full_page_writes: the data is
#      thrown away anyway),
#   3. creates the role `maillage` (password `maillage`, CREATEDB),
#   4. exports MAILLAGE_TEST_DATABASE_URL and runs COMMAND,
#   5. always stops the cluster and deletes the temporary directory (also when
#      COMMAND fails or the script is interrupted), and exits with COMMAND's
#      exit status.
#
# Environment read by this script:
#   MAILLAGE_REQUIRE_PG_DATABASES=1  after COMMAND succeeds, fail unless the
#                                    cluster holds at least one database named
#                                    maillage_test_* (proof that the test suite
#                                    really ran against PostgreSQL).
#   MAILLAGE_PG_BINDIR=DIR           directory holding initdb/pg_ctl/postgres
#                                    (default: highest /usr/lib/postgresql/*/bin).
#
# Environment exported to COMMAND:
#   MAILLAGE_TEST_DATABASE_URL=postgres://maillage:maillage@127.0.0.1:PORT/postgres
#
# When run as root, initdb and postgres run as the `postgres` system user
# (created by the Debian `postgresql` package); otherwise as the current user.
# This script never installs anything.
set -euo pipefail

readonly PROG="with-postgres"
readonly FIRST_PORT=54329
readonly LAST_PORT=54428

die() {
    printf '%s: %s\n' "$PROG" "$*" >&2
    exit 1
}

info() {
    printf '%s: %s\n' "$PROG" "$*" >&2
}

if [ "$#" -eq 0 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
    sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
    [ "$#" -eq 0 ] && exit 2
    exit 0
fi

# --- locate the server binaries --------------------------------------------
find_bindir() {
    if [ -n "${MAILLAGE_PG_BINDIR:-}" ]; then
        printf '%s\n' "$MAILLAGE_PG_BINDIR"
        return
    fi
    local d
    # Highest major version first (sort -V handles 9.6 < 15 < 16).
    for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV); do
        if [ -x "$d/postgres" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
            printf '%s\n' "$d"
            return
        fi
    done
}

PG_BIN="$(find_bindir)"
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/postgres" ] || [ ! -x "$PG_BIN/initdb" ]; then
    die "PostgreSQL server not installed: apt-get install postgresql" \
        "(no initdb/postgres under ${MAILLAGE_PG_BINDIR:-/usr/lib/postgresql/*/bin})"
fi
PSQL="$PG_BIN/psql"
[ -x "$PSQL" ] || PSQL="$(command -v psql || true)"
[ -n "$PSQL" ] || die "psql not found (apt-get install postgresql-client)"

# --- who runs the server ----------------------------------------------------
if [ "$(id -u)" -eq 0 ]; then
    id -u postgres >/dev/null 2>&1 ||
        die "running as root but there is no 'postgres' system user (apt-get install postgresql creates it)"
    command -v runuser >/dev/null 2>&1 || die "runuser not found (util-linux)"
    AS_ROOT=1
    # The postgres user must be able to reach the directory: /tmp is fine,
    # a root-only $TMPDIR would not be.
    TMP_BASE=/tmp
else
    AS_ROOT=0
    TMP_BASE="${TMPDIR:-/tmp}"
fi

# Run a server-side program as the cluster owner, from a directory it can read.
as_owner() {
    if [ "$AS_ROOT" -eq 1 ]; then
        (cd "$PG_TMP" && runuser -u postgres -- "$@")
    else
        (cd "$PG_TMP" && "$@")
    fi
}

# --- temporary cluster, always cleaned up -----------------------------------
PG_TMP=""
PG_DATA=""
CLEANED=0

# shellcheck disable=SC2317  # invoked from the EXIT trap
cleanup() {
    [ "$CLEANED" -eq 1 ] && return 0
    CLEANED=1
    [ -n "$PG_TMP" ] || return 0
    local pid="" i
    if [ -f "$PG_DATA/postmaster.pid" ]; then
        pid="$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null || true)"
        if ! as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1; then
            as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
        fi
        # Last resort: kill the postmaster by pid if it is still there.
        if [ -n "$pid" ] && [ -f "$PG_DATA/postmaster.pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
        # pg_ctl returns once the pid file is gone; give the postmaster up to
        # 5 s to be fully gone (exited and reaped), so that no `postgres`
        # process is left behind when this script returns.
        if [ -n "$pid" ]; then
            for ((i = 0; i < 50; i++)); do
                [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = postgres ] || break
                sleep 0.1
            done
        fi
    fi
    rm -rf -- "$PG_TMP"
}

# shellcheck disable=SC2317  # invoked from traps
on_signal() {
    local code=$1
    trap - INT TERM HUP
    info "interrupted, stopping PostgreSQL"
    exit "$code" # the EXIT trap runs cleanup
}

trap cleanup EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM
trap 'on_signal 129' HUP

PG_TMP="$(mktemp -d "$TMP_BASE/maillage-pg.XXXXXX")"
PG_DATA="$PG_TMP/data"
PG_LOG="$PG_TMP/postgres.log"
if [ "$AS_ROOT" -eq 1 ]; then
    chown postgres: "$PG_TMP"
fi

# Superuser `postgres`: trust over the unix socket (the socket lives in a
# 0700 directory, so only its owner and root can reach it); password
# (scram-sha-256) over TCP, which is what the application and tests use.
as_owner "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --encoding=UTF8 --locale=C \
    --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$PG_TMP/initdb.log" 2>&1 ||
    { cat "$PG_TMP/initdb.log" >&2; die "initdb failed"; }

cat >>"$PG_DATA/postgresql.conf" <<EOF

# --- maillage throw-away test cluster (scripts/with-postgres.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_TMP'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
EOF

port_in_use() {
    # A successful connect means something listens there.
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

PORT=""
for ((p = FIRST_PORT; p <= LAST_PORT; p++)); do
    port_in_use "$p" && continue
    # The check above is racy: if another process binds the port first,
    # postgres fails to start and we simply try the next one.
    if as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -o "-p $p" -w -t 60 start >/dev/null 2>&1; then
        PORT=$p
        break
    fi
    if ! grep -qiE 'could not (bind|create listen)|address already in use' "$PG_LOG" 2>/dev/null; then
        tail -n 30 "$PG_LOG" >&2 2>/dev/null || true
        die "PostgreSQL failed to start (log above)"
    fi
    : >"$PG_LOG"
done
[ -n "$PORT" ] || die "no free port in $FIRST_PORT..$LAST_PORT"

# psql as superuser over the unix socket.
pg_super() {
    as_owner "$PSQL" -X -q -v ON_ERROR_STOP=1 -h "$PG_TMP" -p "$PORT" -U postgres -d postgres "$@"
}

pg_super -c "CREATE ROLE maillage LOGIN PASSWORD 'maillage' CREATEDB" >/dev/null ||
    die "could not create role maillage"

export MAILLAGE_TEST_DATABASE_URL="postgres://maillage:maillage@127.0.0.1:$PORT/postgres"
info "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (data in $PG_DATA)"
info "MAILLAGE_TEST_DATABASE_URL=$MAILLAGE_TEST_DATABASE_URL"

# --- run the command ---------------------------------------------------------
# In the foreground, so it keeps the terminal, stdin and Ctrl-C. The
# postmaster runs in its own session (pg_ctl uses setsid), so Ctrl-C reaches
# the command, not the server; our traps then stop the server.
status=0
"$@" || status=$?

if [ "$status" -eq 0 ] && [ "${MAILLAGE_REQUIRE_PG_DATABASES:-}" = "1" ]; then
    count="$(pg_super -At -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'maillage\\_test\\_%'")" ||
        die "could not count maillage_test_* databases"
    if [ "$count" -eq 0 ]; then
        info "MAILLAGE_REQUIRE_PG_DATABASES=1 but no database named maillage_test_* was created:"
        info "the command succeeded without ever using PostgreSQL (is the test harness reading MAILLAGE_TEST_DATABASE_URL?)"
        status=1
    else
        info "$count maillage_test_* database(s) created: the command did use PostgreSQL"
    fi
fi

exit "$status"

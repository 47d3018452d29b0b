#!/usr/bin/env bash
# Property-based fuzzing of the JSON API with schemathesis, against the
# OpenAPI document the server publishes at /api/openapi.json.
#
#   scripts/api-fuzz.sh
#
# The script:
#   1. finds schemathesis (`st` on PATH), or installs a pinned version from
#      PyPI into a virtualenv under the system temp dir (kept and reused),
#   2. starts `maillage serve --demo` on a free 127.0.0.1 port with a fresh
#      temporary data dir (SQLite, demo network); it builds nothing,
#   3. for each caller - anonymous and the 5 demo accounts - logs in with the
#      password from DATA_DIR/demo-accounts.txt, creates an API token through
#      /compte/jetons, and runs schemathesis with that token,
#   4. checks: no 5xx, every status code, content type and body documented by
#      the schema,
#   5. always stops the server and removes the data dir, prints a summary and
#      exits non-zero if any caller's run failed.
#
# Environment:
#   MAILLAGE_BIN=PATH              binary to run (default target/debug/maillage)
#   API_FUZZ_MAX_EXAMPLES=N        test cases per operation and phase (default 50)
#   API_FUZZ_SEED=N                schemathesis seed (default 1; "random" for none)
#   API_FUZZ_DATABASE_URL=URL      run the server on this (empty) PostgreSQL
#                                  database instead of SQLite
#   API_FUZZ_KEEP=1                keep the data dir and server log
#   SCHEMATHESIS_VERSION=X.Y.Z     version installed when `st` is missing
set -euo pipefail

readonly PROG="api-fuzz"
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SCHEMATHESIS_VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
BIN="${MAILLAGE_BIN:-target/debug/maillage}"
MAX_EXAMPLES="${API_FUZZ_MAX_EXAMPLES:-50}"
SEED="${API_FUZZ_SEED:-1}"
TMP_ROOT="${TMPDIR:-/tmp}"
CHECKS="not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"

info() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() {
    printf '%s: %s\n' "$PROG" "$*" >&2
    exit 1
}

command -v curl >/dev/null || die "curl est nécessaire"
[[ -x "$BIN" ]] || die "binaire introuvable : $BIN (cargo build, ou MAILLAGE_BIN=…)"
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"

# --- schemathesis ------------------------------------------------------------
ST=""
if command -v st >/dev/null 2>&1 && st --version 2>/dev/null | grep -q '^st, version'; then
    ST="$(command -v st)"
else
    venv="$TMP_ROOT/maillage-schemathesis-$SCHEMATHESIS_VERSION"
    if [[ ! -x "$venv/bin/st" ]]; then
        info "installation de schemathesis $SCHEMATHESIS_VERSION dans $venv"
        rm -rf "$venv"
        python3 -m venv "$venv" || die "python3 -m venv a échoué (paquet python3-venv ?)"
        "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" ||
            die "pip install schemathesis==$SCHEMATHESIS_VERSION a échoué"
    fi
    ST="$venv/bin/st"
fi
info "$("$ST" --version)"

# --- the server ----------------------------------------------------------------
WORK="$(mktemp -d "$TMP_ROOT/maillage-api-fuzz.XXXXXX")"
DATA="$WORK/data"
LOG="$WORK/server.log"
SERVER_PID=""
mkdir -p "$DATA"

cleanup() {
    local rc=$?
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [[ "${API_FUZZ_KEEP:-}" == "1" ]]; then
        info "données et journal du serveur gardés dans $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start_server() {
    local port=$1
    # Only the variables we mean: no maillage.toml, no DATABASE_URL from the caller.
    local -a env_args=(env -u DATABASE_URL -u MAILLAGE_DATABASE_URL -u MAILLAGE_CONFIG -u MAILLAGE_SMTP_URL)
    if [[ -n "${API_FUZZ_DATABASE_URL:-}" ]]; then
        env_args+=("DATABASE_URL=$API_FUZZ_DATABASE_URL")
    fi
    (cd "$WORK" && exec "${env_args[@]}" MAILLAGE_LOG="${MAILLAGE_LOG:-warn}" \
        "$BIN" serve --demo --addr "127.0.0.1:$port" --data-dir "$DATA") >"$LOG" 2>&1 &
    SERVER_PID=$!
}

# A bound port can be taken between free_port and the server's bind: retry.
BASE=""
for attempt in 1 2 3; do
    PORT="$(free_port)"
    start_server "$PORT"
    for _ in $(seq 1 300); do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            break
        fi
        if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/health" 2>/dev/null; then
            BASE="http://127.0.0.1:$PORT"
            break
        fi
        sleep 0.1
    done
    [[ -n "$BASE" ]] && break
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
    info "le serveur n'a pas démarré (essai $attempt) :"
    tail -n 20 "$LOG" >&2 || true
    # Retry only when the port was taken meanwhile.
    grep -q "adresse déjà utilisée" "$LOG" || break
done
[[ -n "$BASE" ]] || die "impossible de démarrer $BIN"
info "serveur $BASE (pid $SERVER_PID, données $DATA)"

[[ -f "$DATA/demo-accounts.txt" ]] || die "pas de $DATA/demo-accounts.txt"

# --- one API token per demo account --------------------------------------------
# Lines: "  ROLE  EMAIL  PASSWORD  (ORGANISATION)".
token_for() {
    local email=$1 password jar page token
    password="$(awk -v e="$email" '$2 == e { print $3 }' "$DATA/demo-accounts.txt")"
    [[ -n "$password" ]] || {
        info "pas de mot de passe pour $email dans demo-accounts.txt"
        return 1
    }
    jar="$WORK/cookies-$email"
    local status
    status="$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
        --data-urlencode "email=$email" --data-urlencode "password=$password" --data-urlencode "retour=/" \
        "$BASE/connexion")"
    [[ "$status" == "303" ]] || {
        info "connexion de $email refusée (HTTP $status)"
        return 1
    }
    page="$(curl -sS -c "$jar" -b "$jar" --data-urlencode "name=fuzz" "$BASE/compte/jetons")"
    token="$(grep -o 'mlg_[A-Za-z0-9_-]*' <<<"$page" | head -n 1 || true)"
    [[ -n "$token" ]] || {
        info "pas de jeton dans la réponse de /compte/jetons pour $email"
        return 1
    }
    # The token must work, or the run would only test 401s.
    status="$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$BASE/api/v1/moi")"
    [[ "$status" == "200" ]] || {
        info "le jeton de $email est refusé par /api/v1/moi (HTTP $status)"
        return 1
    }
    printf '%s\n' "$token"
}

CALLERS=(anonyme animation@demo.example ecole@demo.example rh@demo.example intervenant@demo.example agent@demo.example)
RESULTS=()
FAILED=0
START_ALL=$SECONDS

for caller in "${CALLERS[@]}"; do
    auth=()
    if [[ "$caller" != "anonyme" ]]; then
        if ! token="$(token_for "$caller")"; then
            RESULTS+=("$(printf '%-26s %-8s %4ss' "$caller" "KO" 0) (pas de jeton)")
            FAILED=1
            continue
        fi
        auth=(-H "Authorization: Bearer $token")
    fi
    seed_args=()
    [[ "$SEED" == "random" ]] || seed_args=(--seed "$SEED")
    printf '\n%s: ===== %s =====\n' "$PROG" "$caller" >&2
    start=$SECONDS
    rc=0
    # --generation-with-security-parameters false: keep our Authorization
    # header instead of generated ones (a bad token is tested by the
    # anonymous run, where schemathesis sends made-up tokens).
    security=()
    [[ "$caller" == "anonyme" ]] || security=(--generation-with-security-parameters false)
    "$ST" --no-color run "$BASE/api/openapi.json" \
        --checks "$CHECKS" \
        --max-examples "$MAX_EXAMPLES" \
        "${seed_args[@]}" \
        "${security[@]}" \
        --workers 2 \
        --request-timeout 10 \
        --generation-database none \
        --continue-on-failure \
        --warnings off \
        --report junit --report-junit-path "$WORK/junit-${caller%%@*}.xml" \
        "${auth[@]}" || rc=$?
    secs=$((SECONDS - start))
    if [[ $rc -eq 0 ]]; then
        RESULTS+=("$(printf '%-26s %-8s %4ss' "$caller" "ok" "$secs")")
    else
        RESULTS+=("$(printf '%-26s %-8s %4ss' "$caller" "KO" "$secs") (schemathesis exit $rc)")
        FAILED=1
    fi
done

if grep -qiE 'panique|panicked' "$LOG"; then
    info "le journal du serveur signale une panique :"
    grep -iE 'panique|panicked' "$LOG" | head -n 20 >&2
    FAILED=1
fi

printf '\n%s: résumé (%s exemples par opération, graine %s, %ss au total)\n' \
    "$PROG" "$MAX_EXAMPLES" "$SEED" "$((SECONDS - START_ALL))" >&2
for r in "${RESULTS[@]}"; do
    printf '  %s\n' "$r" >&2
done
if [[ $FAILED -ne 0 ]]; then
    info "ÉCHEC : voir les détails de schemathesis ci-dessus"
    exit 1
fi
info "aucun problème trouvé"

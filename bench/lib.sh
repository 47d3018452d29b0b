#!/usr/bin/env bash
# Helpers shared by bench/run.sh and bench/directory.sh: sourced, not run.
# run_wrk expects $TMP (a scratch directory); CPU_PIDS (server pids) turns
# on the CPU accounting.

die() { echo "bench: $*" >&2; exit 1; }
say() { echo "bench: $*" >&2; }

# A loopback port nobody listens on (bounded tries).
free_port() {
    local p
    for _ in $(seq 1 100); do
        p=$(( 20000 + RANDOM % 40000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"; return 0
        fi
    done
    die "no free loopback port found"
}

urlenc() { # enough for e-mail addresses and the demo passwords
    local s="$1" out="" c i
    for (( i = 0; i < ${#s}; i++ )); do
        c="${s:i:1}"
        case "$c" in [A-Za-z0-9._~-]) out+="$c" ;; *) out+="$(printf '%%%02X' "'$c")" ;; esac
    done
    printf '%s' "$out"
}

CLK_TCK="$(getconf CLK_TCK 2>/dev/null || echo 100)"
# CPU time (clock ticks, user + system, all threads) of the given processes
# and of their direct children (nginx's workers).
cpu_ticks() { # pid...
    local p c v t=0
    for p in "$@"; do
        for c in "$p" $(cat /proc/"$p"/task/*/children 2>/dev/null); do
            v="$(sed 's/.*) //' "/proc/$c/stat" 2>/dev/null | awk '{ print $12 + $13 }')"
            t=$(( t + ${v:-0} ))
        done
    done
    echo "$t"
}
# Parses one wrk --latency output into a table row; FILE.cpu holds the
# server's CPU ticks spent during the run, when measured.
row_from_wrk() { # label conns size file
    local label="$1" conns="$2" size="$3" file="$4" ticks=""
    local others="" total=""
    [ -f "$file.cpu" ] && read -r ticks others total <"$file.cpu"
    awk -v label="$label" -v conns="$conns" -v size="$size" -v ticks="$ticks" -v hz="$CLK_TCK" \
        -v others="$others" -v mtotal="$total" '
        function ms(v,   n, u) {
            n = v; sub(/[a-z]+$/, "", n); u = v; sub(/^[0-9.]+/, "", u)
            if (u == "us") return n / 1000
            if (u == "ms") return n + 0
            if (u == "s")  return n * 1000
            if (u == "m")  return n * 60000
            return -1
        }
        # 0: no request completed (all timed out).
        function fmt(x) { return x < 0 ? "?" : (x == 0 ? "—" : (x < 10 ? sprintf("%.2f ms", x) : sprintf("%.1f ms", x))) }
        /^ +50%/ { p50 = ms($2) }
        /^ +99%/ { p99 = ms($2) }
        /^Requests\/sec:/ { rps = $2 }
        /requests in/ { total = $1 }
        /Non-2xx or 3xx responses:/ { bad += $NF }
        /Socket errors:/ { gsub(/,/, ""); bad += $4 + $6 + $8 + $10 }
        END {
            cpu = (ticks != "" && total > 0) ? sprintf("%.0f µs", ticks * 1e6 / hz / total) : "—"
            other = (others != "" && mtotal > 0) ? sprintf("%.0f %%", 100 * others / mtotal) : "—"
            printf "| %s | %s | %s | %s | %s | %s | %s | %d | %s |\n", label, conns, size, sprintf("%.0f", rps), fmt(p50), fmt(p99), cpu, bad, other
        }' "$file"
}

# Machine-wide busy and total CPU ticks so far (all cores, from /proc/stat).
machine_ticks() {
    head -1 /proc/stat | awk '{ busy = $2 + $3 + $4 + $7 + $8 + $9; total = 0
        for (k = 2; k <= NF; k++) total += $k; print busy, total }'
}
# CPU ticks used so far by this shell's finished children (wrk among them).
children_ticks() { # the output of the `times` builtin, in a file
    awk -v hz="$CLK_TCK" 'function s(v,  m) { m = v; sub(/m.*/, "", m); sub(/^[0-9]+m/, "", v); sub(/s$/, "", v); return m * 60 + v }
        NR == 2 { printf "%.0f\n", (s($1) + s($2)) * hz }' "$1"
}

# Runs wrk; FILE.cpu gets the server's CPU ticks during the run, then the
# ticks used by everything else on the machine (neither server nor wrk) and
# the machine's total ticks over the run.
# shellcheck disable=SC2086  # CPU_PIDS: a list of pids, split on purpose
run_wrk() { # label conns threads duration url file [extra wrk args...]
    local label="$1" conns="$2" threads="$3" dur="$4" url="$5" file="$6"; shift 6
    say "wrk $label: -t$threads -c$conns -d$dur"
    local t0="" m0 m1 w0 w1
    [ -n "${CPU_PIDS:-}" ] && t0="$(cpu_ticks $CPU_PIDS)"
    m0="$(machine_ticks)"; times >"$TMP/times0"
    wrk -t"$threads" -c"$conns" -d"$dur" --latency "$@" "$url" >"$file" 2>&1 \
        || { cat "$file" >&2; die "wrk failed on $label"; }
    times >"$TMP/times1"; m1="$(machine_ticks)"
    if [ -n "$t0" ]; then
        local srv=$(( $(cpu_ticks $CPU_PIDS) - t0 ))
        w0="$(children_ticks "$TMP/times0")"; w1="$(children_ticks "$TMP/times1")"
        local busy=$(( ${m1% *} - ${m0% *} )) total=$(( ${m1#* } - ${m0#* } ))
        local others=$(( busy - srv - (w1 - w0) )); [ "$others" -lt 0 ] && others=0
        echo "$srv $others $total" >"$file.cpu"
    fi
}

# How busy the machine is without us (other processes share the cores).
busy_pct() { # over one second
    local a b
    read -r -a a < <(head -1 /proc/stat); sleep 1; read -r -a b < <(head -1 /proc/stat)
    awk -v a="${a[*]}" -v b="${b[*]}" 'BEGIN {
        n = split(a, x, " "); split(b, y, " "); t = 0
        for (k = 2; k <= 9 && k <= n; k++) t += y[k] - x[k]
        idle = (y[5] - x[5]) + (y[6] - x[6])
        printf "%.0f", (t > 0 ? 100 * (t - idle) / t : 0) }'
}

#!/usr/bin/env bash
# The casting of project groups (issue « Casting »): quality against the
# exact optimum found by exhaustive search on small synthetic promotions
# (8 to 12 people), against an upper bound on large ones, and the time of
# one casting of 40 people into 6 groups and of 200 into 40 (median of RUNS).
# Prints Markdown tables: docs/BENCHMARKS.md, « Casting: balanced project
# groups ». A benchmark, not a test: no threshold makes it fail.
#
#   bash bench/casting.sh [SEED] [RUNS]
#
# SEED: seed of the synthetic promotions (default 1); RUNS: timed runs per
# size (default 7). MAILLAGE_BIN: another binary (default: a release build,
# made with `cargo build --release`).
set -euo pipefail
cd "$(dirname "$0")/.."
seed=${1:-1}
runs=${2:-7}
bin=${MAILLAGE_BIN:-${CARGO_TARGET_DIR:-$PWD/target}/release/maillage}
if [ -z "${MAILLAGE_BIN:-}" ]; then
  cargo build --release --quiet
fi
[ -x "$bin" ] || { echo "bench: no binary at $bin" >&2; exit 1; }
echo "Maillage $("$bin" --version | awk '{print $2}') — $(date -u '+%Y-%m-%d %H:%M UTC') — $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
# No database, no configuration: a pure computation.
"$bin" bench-data casting --seed "$seed" --runs "$runs"

#!/usr/bin/env bash
# The enrolment rush (issue « École »): 1,000 people enrol at the same moment
# in a session of 100 seats, on SQLite and on a throw-away PostgreSQL.
# `maillage bench-data inscriptions` fails (exit 1) unless exactly 100 are
# enrolled, 900 wait in one gap-free order and no enrolment is duplicated.
#
#   bash bench/enrolment.sh [REQUESTS] [SEATS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-1000}
seats=${2:-100}
runs=${3:-3}
cargo build --release --quiet
bin=$PWD/target/release/maillage
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for i in $(seq "$runs"); do
  mkdir -p "$dir/sqlite-$i"
  MAILLAGE_LOG=warn "$bin" bench-data inscriptions --demandes "$requests" --places "$seats" --data-dir "$dir/sqlite-$i"
done
scripts/with-postgres.sh bash -c '
  base=${MAILLAGE_TEST_DATABASE_URL%/*}
  psql "$MAILLAGE_TEST_DATABASE_URL" -qc "CREATE DATABASE rush"
  for i in $(seq '"$runs"'); do
    DATABASE_URL="$base/rush" MAILLAGE_LOG=warn '"$bin"' bench-data inscriptions --demandes '"$requests"' --places '"$seats"' --data-dir '"$dir"'/pg
  done'

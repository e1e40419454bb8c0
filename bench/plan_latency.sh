#!/usr/bin/env bash
# Benchmark (not a test): plan() latency p50 / p95 at SIZES tables
# (default "1000 10000"), on the generated schema of bench/lib.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
SIZES=${SIZES:-"1000 10000"}
bench_start
printf '\nplanner_meta plan() latency (client round trip over a Unix socket included)\n'
for size in $SIZES; do
  db="plan_$size"
  echo "[bench] generating $size tables" >&2
  make_schema "$db" "$size"
  psql -q -X -d "$db" -c "CREATE EXTENSION planner_meta"
  TABLES=$size PLANNER_META_DSN="host=$PGHOST port=$PGPORT user=postgres dbname=$db" python3 bench/plan_latency.py
  dropdb "$db"
done

#!/usr/bin/env bash
# Benchmark (not a test): planner_meta's cache versus the information_schema
# queries a client-side agent runs, measured in the same run on a generated
# database of TABLES tables (default 1000, 10 columns each, FKs between them).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
TABLES=${TABLES:-1000}
CALLS=${CALLS:-200}
RUNS=${RUNS:-3}

bench_start
echo "[bench] generating $TABLES tables" >&2
make_schema bench "$TABLES"
t0=$(date +%s%N)
psql -q -X -d bench -c "CREATE EXTENSION planner_meta"
t1=$(date +%s%N)
create_ms=$(( (t1 - t0) / 1000000 ))
psql -q -X -d bench -c "ANALYZE" 

# The seed agent's three information_schema queries for one table: columns,
# primary key, foreign keys.
info_queries() {
  local t=$1
  cat <<SQL
SELECT column_name, data_type, is_nullable, column_default
  FROM information_schema.columns
 WHERE table_schema = 'app' AND table_name = '$t' ORDER BY ordinal_position;
SELECT kcu.column_name
  FROM information_schema.table_constraints tc
  JOIN information_schema.key_column_usage kcu
    ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
 WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = 'app' AND tc.table_name = '$t';
SELECT kcu.column_name, ccu.table_name AS foreign_table, ccu.column_name AS foreign_column
  FROM information_schema.table_constraints tc
  JOIN information_schema.key_column_usage kcu
    ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
  JOIN information_schema.constraint_column_usage ccu
    ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
 WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'app' AND tc.table_name = '$t';
SQL
}

mid=$(( TABLES / 2 ))
: > "$WORK/describe.sql"; : > "$WORK/info_one.sql"; : > "$WORK/info_walk.sql"
for _ in $(seq "$CALLS"); do
  echo "SELECT planner_meta.describe('app.t$mid');" >> "$WORK/describe.sql"
  info_queries "t$mid" >> "$WORK/info_one.sql"
done
echo "SELECT 'app.' || table_name FROM information_schema.tables WHERE table_schema = 'app';" > "$WORK/info_walk.sql"
for i in $(seq "$TABLES"); do info_queries "t$i" >> "$WORK/info_walk.sql"; done

run_psql_file() { psql -q -X -d bench -f "$1"; }
refresh_force() { psql -q -X -d bench -c "SELECT planner_meta.refresh(force => true)"; }
metadata_doc() { psql -q -X -d bench -c "SELECT planner_meta.metadata()"; }

measure() { # label cmd...
  local label=$1; shift
  local runs=()
  "$@" >/dev/null  # warm-up
  for _ in $(seq "$RUNS"); do runs+=("$(ms_of "$@")"); done
  printf '%s\n' "${runs[@]}" | median
}

echo "[bench] measuring ($RUNS runs each, medians)" >&2
describe_ms=$(measure describe run_psql_file "$WORK/describe.sql")
info_one_ms=$(measure info_one run_psql_file "$WORK/info_one.sql")
refresh_ms=$(measure refresh refresh_force)
metadata_ms=$(measure metadata metadata_doc)
walk_ms=$(measure walk run_psql_file "$WORK/info_walk.sql")

awk -v n="$TABLES" -v calls="$CALLS" -v c="$create_ms" -v d="$describe_ms" -v i="$info_one_ms" \
    -v r="$refresh_ms" -v m="$metadata_ms" -v w="$walk_ms" 'BEGIN {
  printf "\nplanner_meta discovery benchmark: %d tables x 10 columns, FK chain\n", n
  printf "%-58s %10s\n", "measurement (median wall time)", "ms"
  printf "%-58s %10d\n", "CREATE EXTENSION (first full discovery)", c
  printf "%-58s %10.3f\n", "describe() of one table, per call", d / calls
  printf "%-58s %10.3f\n", "seed: 3 information_schema queries for one table, per table", i / calls
  printf "%-58s %10d\n", "refresh(force => true): rebuild whole cache", r
  printf "%-58s %10d\n", "metadata(): whole database as one JSON document", m
  printf "%-58s %10d\n", "seed: walk information_schema, 3 queries x every table", w
  printf "\nratios (higher = planner_meta faster)\n"
  printf "  describe() vs 3 information_schema queries:   %8.1fx\n", i / d
  printf "  full refresh vs information_schema walk:     %8.1fx\n", w / r
  printf "  metadata() vs information_schema walk:       %8.1fx\n", w / m
}'

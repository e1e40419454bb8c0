#!/usr/bin/env bash
# Benchmark (not a test): latency of CREATE TABLE, ALTER TABLE ADD COLUMN and
# DROP TABLE with tracking on, against planner_meta.enabled = off in the same
# database and the same run, at SIZES existing tables (default "1000 10000").
set -euo pipefail
. "$(dirname "$0")/lib.sh"
SIZES=${SIZES:-"1000 10000"}
STATEMENTS=${STATEMENTS:-200}
RUNS=${RUNS:-3}

bench_start
for i in $(seq "$STATEMENTS"); do
  echo "CREATE TABLE app.bench_$i (id bigint PRIMARY KEY, ref bigint REFERENCES app.t1 (id), label text);"
done > "$WORK/create.sql"
for i in $(seq "$STATEMENTS"); do echo "ALTER TABLE app.bench_$i ADD COLUMN extra int;"; done > "$WORK/alter.sql"
for i in $(seq "$STATEMENTS"); do echo "DROP TABLE app.bench_$i;"; done > "$WORK/drop.sql"

# phase_us DB MODE FILE: microseconds per statement for one pass over FILE
phase_us() {
  local t0 t1
  t0=$(date +%s%N)
  PGOPTIONS="-c planner_meta.enabled=$2" psql -q -X -d "$1" -v ON_ERROR_STOP=1 -f "$3" >/dev/null
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000 / STATEMENTS ))
}

printf '\nplanner_meta DDL overhead: %d statements per phase, medians of %d runs, tracking on vs off\n' \
  "$STATEMENTS" "$RUNS"
printf '%-8s %-16s %12s %12s %8s\n' tables statement "on (us)" "off (us)" ratio
for size in $SIZES; do
  db="ddl_$size"
  echo "[bench] generating $size tables" >&2
  make_schema "$db" "$size"
  psql -q -X -d "$db" -c "CREATE EXTENSION planner_meta"
  declare -A on=() off=()
  for run in $(seq "$RUNS"); do
    for mode in on off; do
      c=$(phase_us "$db" "$mode" "$WORK/create.sql")
      a=$(phase_us "$db" "$mode" "$WORK/alter.sql")
      d=$(phase_us "$db" "$mode" "$WORK/drop.sql")
      if [ "$mode" = on ]; then on[c$run]=$c; on[a$run]=$a; on[d$run]=$d
      else off[c$run]=$c; off[a$run]=$a; off[d$run]=$d; fi
    done
  done
  for kind in c:"CREATE TABLE" a:"ALTER ADD COLUMN" d:"DROP TABLE"; do
    k=${kind%%:*}; label=${kind#*:}
    on_med=$(for r in $(seq "$RUNS"); do echo "${on[$k$r]}"; done | median)
    off_med=$(for r in $(seq "$RUNS"); do echo "${off[$k$r]}"; done | median)
    awk -v s="$size" -v l="$label" -v a="$on_med" -v b="$off_med" \
      'BEGIN { printf "%-8d %-16s %12d %12d %7.2fx\n", s, l, a, b, a / b }'
  done
  psql -q -X -d "$db" -c "SELECT count(*) AS differences FROM planner_meta.verify()" -At \
    | awk '{ printf "         verify() after the run: %d differences\n", $1 }'
  dropdb "$db"
done

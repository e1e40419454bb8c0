#!/usr/bin/env bash
# Benchmark (not a test): what DDL tracking costs.  At SIZES existing tables
# (default "1000 10000"), STATEMENTS statements of each kind (CREATE TABLE
# with a foreign key, ALTER TABLE ADD COLUMN, CREATE INDEX, DROP TABLE), run
# as autocommit statements and as one transaction per kind, with tracking
# on against planner_meta.enabled = off in the same database and run
# (medians of RUNS); then the concurrency test's DDL mix, SESSIONS sessions
# for SECONDS, statements per second with tracking on and off.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
SIZES=${SIZES:-"1000 10000"}
STATEMENTS=${STATEMENTS:-200}
RUNS=${RUNS:-3}
export SESSIONS=${SESSIONS:-4} SECONDS_EACH=${SECONDS_EACH:-5}

bench_start
for i in $(seq "$STATEMENTS"); do
  echo "CREATE TABLE app.bench_$i (id bigint PRIMARY KEY, ref bigint REFERENCES app.t1 (id), label text);"
done > "$WORK/create.sql"
for i in $(seq "$STATEMENTS"); do echo "ALTER TABLE app.bench_$i ADD COLUMN extra int;"; done > "$WORK/alter.sql"
for i in $(seq "$STATEMENTS"); do echo "CREATE INDEX bench_${i}_label ON app.bench_$i (label);"; done > "$WORK/index.sql"
for i in $(seq "$STATEMENTS"); do echo "DROP TABLE app.bench_$i;"; done > "$WORK/drop.sql"
KINDS="create:CREATE+FK alter:ADD_COLUMN index:CREATE_INDEX drop:DROP_TABLE"

# phase_us DB TRACKING MODE KIND: microseconds per statement for one pass
phase_us() {
  local t0 t1 single=()
  [ "$3" = transaction ] && single=(--single-transaction)
  t0=$(date +%s%N)
  PGOPTIONS="-c planner_meta.enabled=$2" psql -q -X -d "$1" -v ON_ERROR_STOP=1 "${single[@]}" \
    -f "$WORK/$4.sql" >/dev/null
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000 / STATEMENTS ))
}

printf '\nplanner_meta DDL overhead: %d statements per kind, medians of %d runs, tracking on vs off\n' \
  "$STATEMENTS" "$RUNS"
printf '%-8s %-12s %-13s %10s %10s %8s\n' tables mode statement "on (us)" "off (us)" ratio
for size in $SIZES; do
  db="ddl_$size"
  echo "[bench] generating $size tables" >&2
  make_schema "$db" "$size"
  psql -q -X -d "$db" -c "CREATE EXTENSION planner_meta"
  for mode in autocommit transaction; do
    declare -A us=()
    for run in $(seq "$RUNS"); do
      for tracking in on off; do
        for kind in $KINDS; do
          k=${kind%%:*}
          us[$tracking$k$run]=$(phase_us "$db" "$tracking" "$mode" "$k")
        done
      done
    done
    for kind in $KINDS; do
      k=${kind%%:*}; label=${kind#*:}
      on_med=$(for r in $(seq "$RUNS"); do echo "${us[on$k$r]}"; done | median)
      off_med=$(for r in $(seq "$RUNS"); do echo "${us[off$k$r]}"; done | median)
      awk -v s="$size" -v m="$mode" -v l="${label//_/ }" -v a="$on_med" -v b="$off_med" \
        'BEGIN { printf "%-8d %-12s %-13s %10d %10d %7.2fx\n", s, m, l, a, b, a / b }'
    done
    unset us
  done
  declare -A tput=()
  for tracking in on off; do
    tput[$tracking]=$(PGOPTIONS="-c planner_meta.enabled=$tracking" PREFIX="$tracking$size" \
      SECONDS="$SECONDS_EACH" PLANNER_META_DSN="dbname=$db" python3 bench/ddl_throughput.py)
  done
  awk -v s="$size" -v a="${tput[on]}" -v b="${tput[off]}" -v n="$SESSIONS" \
    'BEGIN { printf "%-8d concurrent DDL, %d sessions: %d statements/s on, %d off (%.0f%%)\n", s, n, a, b, 100 * a / b }'
  psql -q -X -d "$db" -c "SELECT count(*) AS differences FROM planner_meta.verify()" -At \
    | awk '{ printf "         verify() after the run: %d differences\n", $1 }'
  dropdb "$db"
done

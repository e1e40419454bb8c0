# Shared by the benchmark scripts: a release build in a throwaway cluster and
# a generated schema of N tables, 10 columns each, with FKs between them.
# shellcheck shell=bash
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh >/dev/null
export PATH="$HOME/.cargo/bin:$PATH"
. scripts/lib/cluster.sh

BENCH_DIR=${BENCH_DIR:-/tmp/planner_meta_bench}
BENCH_PORT=${BENCH_PORT:-55434}
WORK=$BENCH_DIR/work

bench_start() {
  echo "[bench] release build" >&2
  install_extension --release
  start_cluster "$BENCH_DIR" "$BENCH_PORT" "shared_buffers=256MB" "max_locks_per_transaction=1024"
  mkdir -p "$WORK"
  trap 'stop_cluster "$BENCH_DIR"' EXIT
}

# make_schema DB N: tables t1..tN in schema app; t_i.prev_id references t_(i-1).
make_schema() {
  local db=$1 n=$2
  createdb "$db"
  psql -q -X -d "$db" -v ON_ERROR_STOP=1 >/dev/null <<SQL
CREATE SCHEMA app;
DO \$\$
BEGIN
  FOR i IN 1..$n LOOP
    EXECUTE format(
      'CREATE TABLE app.%I (id bigint PRIMARY KEY, prev_id bigint %s, name text NOT NULL,
         code varchar(20) UNIQUE, amount numeric(12,2) DEFAULT 0, created_at timestamptz DEFAULT now(),
         active boolean, note text, qty int CHECK (qty >= 0), status text)',
      't' || i,
      CASE WHEN i > 1 THEN format('REFERENCES app.%I (id)', 't' || (i - 1)) ELSE '' END);
    EXECUTE format('COMMENT ON TABLE app.%I IS %L', 't' || i, 'generated table ' || i);
  END LOOP;
END
\$\$;
SQL
}

# median of numbers on stdin
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# ms_of CMD...: wall milliseconds of one run
ms_of() {
  local t0 t1
  t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}

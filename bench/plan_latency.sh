#!/usr/bin/env bash
# Benchmark (not a test): plan() at SIZES tables (default "1000 10000") on
# the generated schema of bench/lib.sh.  Per size: CREATE EXTENSION,
# refresh(force => true), the first plan() of a fresh backend, the first
# plan() after a DDL committed by another session, warm p50 / p95 and the
# backend's memory growth; then the ratios between the largest and the
# smallest size, and each first call against the warm p50.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
SIZES=${SIZES:-"1000 10000"}
bench_start
results=$WORK/plan_latency.jsonl
: >"$results"
for size in $SIZES; do
  db="plan_$size"
  echo "[bench] generating $size tables" >&2
  make_schema "$db" "$size"
  psql -q -X -d "$db" -c "ANALYZE"
  create_ms=$(ms_of psql -q -X -d "$db" -c "CREATE EXTENSION planner_meta")
  refresh_ms=$(ms_of psql -q -X -d "$db" -c "SELECT planner_meta.refresh(force => true)")
  TABLES=$size PLANNER_META_DSN="host=$PGHOST port=$PGPORT user=postgres dbname=$db" \
    python3 bench/plan_latency.py |
    python3 -c "import json,sys; d=json.load(sys.stdin); d.update(create_extension_ms=$create_ms, refresh_force_ms=$refresh_ms); print(json.dumps(d))" \
    >>"$results"
  dropdb "$db"
done
python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
keys = ["create_extension_ms", "refresh_force_ms", "first_call_ms", "after_ddl_ms",
        "p50_ms", "p95_ms", "memory_growth_mb"]
print("\nplanner_meta plan() at scale (client round trip over a Unix socket included)")
print(f"{'measure':<22}" + "".join(f"{r['tables']:>12,}" for r in rows)
      + (f"{'ratio':>10}" if len(rows) > 1 else ""))
for k in keys:
    line = f"{k:<22}" + "".join(f"{r[k]:>12}" for r in rows)
    if len(rows) > 1 and rows[0][k]:
        line += f"{rows[-1][k] / rows[0][k]:>10.2f}"
    print(line)
for r in rows:
    print(f"{r['tables']:>6} tables: first call {r['first_call_ms'] / r['p50_ms']:.2f}x warm p50, "
          f"after DDL {r['after_ddl_ms'] / r['p50_ms']:.2f}x warm p50")
PY

#!/usr/bin/env bash
# Evaluation harness (not part of the test suite's pass/fail): loads the
# public evaluation databases into a throwaway cluster, installs
# planner_meta in each, ANALYZEs them (plan() links values through
# pg_stats), and scores plan() on every answerable public question.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
export PATH="$HOME/.cargo/bin:$PATH"
. scripts/lib/cluster.sh

dir=${EVAL_DIR:-/tmp/planner_meta_eval}
port=${EVAL_PORT:-55436}
evaldata=$(cd "${EVALDATA:-../shared/evaldata}" && pwd)
# EVAL_INSTALL=0 scores whatever build is installed (another release, say).
[ "${EVAL_INSTALL:-1}" = 0 ] || install_extension --release
start_cluster "$dir" "$port" "max_locks_per_transaction=512"
[ "${KEEP:-0}" = 1 ] || trap 'stop_cluster "$dir"' EXIT

echo "[eval] loading the public evaluation databases" >&2
sh "$evaldata/load.sh" >/dev/null 2>"$dir/load.log" || { tail -5 "$dir/load.log"; exit 1; }
for db in $(psql -X -At -d postgres -c "SELECT datname FROM pg_database WHERE datname NOT IN ('postgres','template0','template1')"); do
  psql -q -X -d "$db" -c "ANALYZE" -c "CREATE EXTENSION planner_meta" >/dev/null
done
EVALDATA="$evaldata" PLANNER_META_DSN="host=$PGHOST port=$PGPORT user=postgres" python3 tests/eval/eval_plan.py

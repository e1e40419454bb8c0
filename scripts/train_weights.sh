#!/usr/bin/env bash
# Fits the planner's weights on the public tuning pool (Spider train, 135
# databases) and rewrites src/planning/weights.json; see
# tests/eval/train_weights.py.  Never reads the evaluation sets.  Starts
# from the weights in the file, so running it again continues the search.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
export PATH="$HOME/.cargo/bin:$PATH"
. scripts/lib/cluster.sh

dir=${TRAIN_DIR:-/tmp/planner_meta_train}
port=${TRAIN_PORT:-55437}
evaldata=$(cd "${EVALDATA:-../shared/evaldata}" && pwd)
[ "${TRAIN_INSTALL:-1}" = 0 ] || install_extension --release
start_cluster "$dir" "$port" "max_locks_per_transaction=512" "max_connections=250"
[ "${KEEP:-0}" = 1 ] || trap 'stop_cluster "$dir"' EXIT

# Every database made from template1 gets the extension (and its
# lexicon) by copy, instead of loading WordNet 150 times.
psql -q -X -d template1 -c "CREATE EXTENSION IF NOT EXISTS planner_meta" >/dev/null
echo "[train] loading the tuning pool" >&2
LOAD_SPIDER_TRAIN=1 sh "$evaldata/load.sh" >/dev/null 2>"$dir/load.log" || { tail -5 "$dir/load.log"; exit 1; }
for db in $(psql -X -At -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE 'spider\_%'"); do
  psql -q -X -d "$db" -c "ANALYZE" >/dev/null
done
EVALDATA="$evaldata" PLANNER_META_DSN="host=$PGHOST port=$PGPORT user=postgres" \
  python3 tests/eval/train_weights.py

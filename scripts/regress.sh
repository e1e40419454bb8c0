#!/usr/bin/env bash
# Runs the pg_regress suite in tests/regress against a throwaway cluster.
# (cargo pgrx regress cannot run as root; this is the installcheck pattern.)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/cluster.sh

dir=${REGRESS_DIR:-/tmp/planner_meta_regress}
port=${REGRESS_PORT:-55432}
install_extension
start_cluster "$dir" "$port"
trap 'stop_cluster "$dir"' EXIT

pg_regress="$("$PG_CONFIG" --pgxs | xargs dirname)/../test/regress/pg_regress"
tests=$(cd tests/regress/sql && ls ./*.sql | sed 's|^\./||; s|\.sql$||' | sort)
# Files about a newer major's catalog run on that major only.
if [ "$PG_MAJOR" -lt 18 ]; then tests=$(printf '%s\n' $tests | grep -v pg18); fi
outdir=target/regress
mkdir -p "$outdir"
chmod -R a+rwX "$outdir"
status=0
"$pg_regress" --bindir="$PG_BIN" --inputdir=tests/regress --outputdir="$outdir" \
  --host="$PGHOST" --port="$PGPORT" --user=postgres --dbname=planner_meta_regress \
  $tests || status=$?
if [ $status -ne 0 ] && [ -f "$outdir/regression.diffs" ]; then
  cat "$outdir/regression.diffs"
fi
exit $status

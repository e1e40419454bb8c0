#!/usr/bin/env bash
# Multi-session tests: each tests/integration/test_*.py runs against a fresh
# database with planner_meta installed in a throwaway cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/cluster.sh

dir=${INTEGRATION_DIR:-/tmp/planner_meta_integration}
port=${INTEGRATION_PORT:-55435}
install_extension
# The MCP server test (test_mcp.py) drives the release binary.
cargo build --release --quiet --bin planner-meta-mcp
export PLANNER_META_MCP_BIN=$PWD/target/release/planner-meta-mcp
start_cluster "$dir" "$port"
trap 'stop_cluster "$dir"' EXIT

status=0
# INTEGRATION_TESTS="test_mcp ..." runs only those.
if [ -n "${INTEGRATION_TESTS:-}" ]; then
  # shellcheck disable=SC2086
  tests=$(printf 'tests/integration/%s.py ' $INTEGRATION_TESTS)
else
  tests=$(echo tests/integration/test_*.py)
fi
for test in $tests; do
  name=$(basename "$test" .py)
  dropdb --if-exists "$name" && createdb "$name"
  psql -q -X -d "$name" -c "CREATE EXTENSION planner_meta"
  if ! PLANNER_META_DSN="host=$PGHOST port=$PGPORT user=postgres dbname=$name" python3 "$test"; then
    status=1
  fi
done
exit $status

#!/usr/bin/env bash
# Benchmark (not a test): the MCP server on the generated schema of
# bench/lib.sh (TABLES, default 1000).  Prints the delay from the COMMIT of
# an ALTER TABLE in another session to the subscribed agent's
# notifications/resources/updated (p50 / p95), and each tool's median
# latency over MCP (stdio) against the same SQL over a plain connection,
# measured in the same run, with the ratio.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
TABLES=${TABLES:-1000}
bench_start
cargo build --release --quiet --bin planner-meta-mcp
db=mcp_bench
make_schema "$db" "$TABLES"
psql -q -X -d "$db" -c "ANALYZE" -c "CREATE EXTENSION planner_meta"
PLANNER_META_DSN="host=$PGHOST port=$PGPORT user=postgres dbname=$db" \
  PLANNER_META_MCP_BIN=$PWD/target/release/planner-meta-mcp TABLES=$TABLES \
  python3 bench/mcp_latency.py

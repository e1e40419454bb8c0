#!/usr/bin/env bash
# The whole test suite: formatting and lints once, then on each supported
# PostgreSQL major (PG_MAJORS, default "15 18"): Rust and in-server tests
# (cargo pgrx test), pg_regress, the multi-session tests, dump/restore, the
# hot standby and the regression-suite DDL replay; the upgrade from earlier
# releases on 15, the major those releases were built for.  Installs what is
# missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
majors=${PG_MAJORS:-"15 18"}

step() { printf '\n== %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

for major in $majors; do
  step "cargo clippy -D warnings (pg$major)"
  cargo clippy --all-targets --no-default-features --features "pg$major" -- -D warnings
done

step "MCP server: unit tests (cargo test -p planner-meta-mcp)"
cargo test --quiet -p planner-meta-mcp

pgtest_dir=${PGTEST_DIR:-/tmp/planner_meta_pgtest}
mkdir -p "$pgtest_dir"
chown postgres "$pgtest_dir"
for major in $majors; do
  export PG_MAJOR=$major
  step "PostgreSQL $major: cargo pgrx test (unit + in-server tests)"
  cargo pgrx test "pg$major" --runas postgres --pgdata "$pgtest_dir/data-$major" \
    --no-default-features --features "pg$major"

  step "PostgreSQL $major: pg_regress (SQL surface)"
  bash scripts/regress.sh

  step "PostgreSQL $major: multi-session tests (NOTIFY delivery, concurrency, the MCP server)"
  bash scripts/integration.sh

  step "PostgreSQL $major: pg_dump / pg_restore"
  bash scripts/dump_restore.sh

  if [ "$major" = 15 ]; then
    step "PostgreSQL $major: upgrade from earlier releases (ALTER EXTENSION UPDATE)"
    bash scripts/upgrade.sh
  fi

  step "PostgreSQL $major: hot standby"
  bash scripts/standby.sh

  step "PostgreSQL $major: regression-suite DDL replay (representative subset)"
  REPLAY_FILES="test_setup create_table create_misc create_index alter_table inherit foreign_key triggers create_view sequence" \
    bash scripts/ddl_replay.sh
done

step "all tests passed on PostgreSQL $majors"

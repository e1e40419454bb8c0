#!/usr/bin/env bash
# The whole test suite: formatting, lints, Rust and in-server tests
# (cargo pgrx test), and the pg_regress suite.  Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n== %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --all-targets -- -D warnings

step "cargo pgrx test (unit + in-server tests)"
pgtest_dir=${PGTEST_DIR:-/tmp/planner_meta_pgtest}
mkdir -p "$pgtest_dir"
chown postgres "$pgtest_dir"
cargo pgrx test pg15 --runas postgres --pgdata "$pgtest_dir/data"

step "pg_regress (SQL surface)"
bash scripts/regress.sh

step "multi-session tests (NOTIFY delivery)"
bash scripts/integration.sh

step "pg_dump / pg_restore"
bash scripts/dump_restore.sh

step "upgrade from earlier releases (ALTER EXTENSION UPDATE)"
bash scripts/upgrade.sh

step "hot standby"
bash scripts/standby.sh

step "PostgreSQL regression-suite DDL replay (representative subset)"
REPLAY_FILES="test_setup create_table create_misc create_index alter_table inherit foreign_key triggers create_view sequence" \
  bash scripts/ddl_replay.sh

step "all tests passed"

#!/usr/bin/env bash
# Past one server: a streaming hot standby made with pg_basebackup.  After
# DDL on the primary, the standby's plan(), describe(), metadata(),
# tables() and change log show it once replayed, and no read function fails
# for trying to write: stale knowledge is reported instead of refreshed.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/cluster.sh

primary=${STANDBY_PRIMARY_DIR:-/tmp/planner_meta_primary}
standby=${STANDBY_DIR:-/tmp/planner_meta_standby}
pport=${PRIMARY_PORT:-55440}
sport=${STANDBY_PORT:-55441}
install_extension
start_cluster "$primary" "$pport"
stop_cluster "$standby"
trap 'stop_cluster "$standby"; stop_cluster "$primary"' EXIT

fail() { echo "standby: FAILED: $*" >&2; exit 1; }
# Waits (up to 10 s) until the standby has replayed the primary's WAL so far.
wait_for_replay() {
  local target
  # insert, not write, location: commits are asynchronous (synchronous_commit
  # = off), so the write location may still be short of the last commit
  target=$(qp "SELECT pg_current_wal_insert_lsn()")
  for _ in $(seq 100); do
    [ "$(qs "SELECT pg_last_wal_replay_lsn() >= '$target'::pg_lsn")" = t ] && return 0
    sleep 0.1
  done
  fail "standby did not replay up to $target"
}
qp() { psql -X -At -v ON_ERROR_STOP=1 -h "$primary" -p "$pport" -d app -c "$1"; }
qs() { psql -X -At -v ON_ERROR_STOP=1 -h "$standby" -p "$sport" -d app -c "$1"; }

createdb app
qp "CREATE EXTENSION planner_meta" >/dev/null
qp "CREATE TABLE customers (id int PRIMARY KEY, name text, city text)" >/dev/null
qp "INSERT INTO customers SELECT i, 'c' || i, (ARRAY['Paris','Oslo'])[1 + i % 2] FROM generate_series(1, 200) i; ANALYZE customers" >/dev/null

rm -rf "$standby" && mkdir -p "$standby" && chown postgres "$standby"
as_postgres "$PG_BIN/pg_basebackup" -h "$primary" -p "$pport" -U postgres -D "$standby/data" -R -X stream >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$standby/data" -w -l "$standby/server.log" \
  -o "-p $sport -k $standby -c listen_addresses='' -c hot_standby=on" start >/dev/null
[ "$(qs "SELECT pg_is_in_recovery()")" = t ] || fail "not a standby"

# DDL on the primary, then wait until the standby has replayed it.
qp "CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers (id), total numeric)" >/dev/null
qp "COMMENT ON TABLE orders IS 'purchases'" >/dev/null
wait_for_replay

[ "$(qs "SELECT planner_meta.describe('orders') ->> 'comment'")" = purchases ] || fail "describe()"
[ "$(qs "SELECT planner_meta.plan('orders of customers in Paris') ->> 'primary_table_or_datasource'")" = "orders JOIN customers" ] \
  || fail "plan()"
[ "$(qs "SELECT planner_meta.metadata() -> 'app' -> 'schemas' -> 'public' -> 'tables' ? 'orders'")" = t ] || fail "metadata()"
[ "$(qs "SELECT count(*) FROM planner_meta.tables('public')")" = 2 ] || fail "tables()"
[ "$(qs "SELECT action FROM planner_meta.changelog ORDER BY id DESC LIMIT 1")" = comment_changed ] || fail "changelog"
qs "SELECT count(*) FROM planner_meta.find_values('Paris')" >/dev/null || fail "find_values()"
qs "SELECT planner_meta.erd()" >/dev/null || fail "erd()"
qs "SELECT planner_meta.sample('customers', 2)" >/dev/null || fail "sample()"

# Stale data knowledge: reported on the standby, not refreshed.
stale=$(PGOPTIONS='-c planner_meta.max_age=0' qs "SELECT planner_meta.describe('customers') -> 'data' ->> 'stale'")
[ "$stale" = true ] || fail "stale statistics not reported (got $stale)"
# A stale cache (a tracking failure on the primary): reported, not repaired.
qp "SET planner_meta.fault_injection = on; CREATE TABLE ghost (id int)" >/dev/null 2>&1
wait_for_replay
[ "$(qs "SELECT planner_meta.describe('customers') ->> 'cache_stale'")" = true ] || fail "stale cache not reported"
[ "$(qs "SELECT count(*) FROM planner_meta.tables('public')")" = 2 ] || fail "tables() on a stale standby"
# The primary repairs on its next read; the standby follows.
[ "$(qp "SELECT count(*) FROM planner_meta.tables('public')")" = 3 ] || fail "repair on the primary"
echo "standby: ok (DDL replayed into the cache, reads work read-only, staleness reported)"

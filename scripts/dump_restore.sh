#!/usr/bin/env bash
# pg_dump / pg_restore of a database with planner_meta: the restore has no
# errors, the change log and synonyms survive, tracking stays quiet during
# the restore (planner_meta.enabled = off), and refresh() rebuilds the cache
# on the new oids with one summary row.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/cluster.sh

dir=${DUMP_DIR:-/tmp/planner_meta_dump}
port=${DUMP_PORT:-55438}
install_extension
start_cluster "$dir" "$port"
trap 'stop_cluster "$dir"' EXIT

fail() { echo "dump/restore: FAILED: $*" >&2; exit 1; }
q() { psql -X -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

createdb source
q source "CREATE EXTENSION planner_meta" >/dev/null
psql -q -X -v ON_ERROR_STOP=1 -d source >/dev/null <<'SQL'
CREATE SCHEMA shop;
CREATE TYPE shop.tier AS ENUM ('bronze', 'gold');
CREATE TABLE shop.customers (id int PRIMARY KEY, name text, tier shop.tier);
CREATE TABLE shop.orders (id int PRIMARY KEY, customer_id int REFERENCES shop.customers (id), total numeric);
CREATE VIEW shop.big AS SELECT * FROM shop.orders WHERE total > 100;
ALTER TABLE shop.customers ADD COLUMN city text;
COMMENT ON TABLE shop.orders IS 'purchases';
INSERT INTO planner_meta.synonyms (term, schema_name, table_name) VALUES ('purchases', 'shop', 'orders');
INSERT INTO shop.customers VALUES (1, 'Ada', 'gold', 'Paris');
SQL
log_rows=$(q source "SELECT count(*) FROM planner_meta.change_log")
last_id=$(q source "SELECT max(id) FROM planner_meta.change_log")

pg_dump -Fc -f "$dir/source.dump" source
createdb restored
PGOPTIONS='-c planner_meta.enabled=off' pg_restore --exit-on-error -d restored "$dir/source.dump" \
  || fail "pg_restore reported errors"

[ "$(q restored "SELECT count(*) FROM planner_meta.change_log")" = "$log_rows" ] \
  || fail "change log rows differ after restore"
[ "$(q restored "SELECT count(*) FROM planner_meta.synonyms")" = 1 ] || fail "synonyms lost"
refreshed=$(q restored "SELECT planner_meta.refresh() -> 'change_rows'")
[ "$refreshed" = 1 ] || fail "refresh after restore logged $refreshed rows, expected one summary row"
[ "$(q restored "SELECT count(*) FROM planner_meta.verify()")" = 0 ] || fail "cache differs from the catalog"
[ "$(q restored "SELECT max(id) > $last_id FROM planner_meta.change_log")" = t ] \
  || fail "new change rows do not continue after the restored ones"
[ "$(q restored "SELECT planner_meta.describe('shop.orders') ->> 'comment'")" = purchases ] \
  || fail "describe() after restore"
# Tracking works on the restored database.
q restored "CREATE TABLE shop.extra (id int)" >/dev/null
[ "$(q restored "SELECT action FROM planner_meta.change_log ORDER BY id DESC LIMIT 1")" = created_table ] \
  || fail "tracking after restore"
echo "dump/restore: ok ($log_rows change rows kept, cache rebuilt on new oids, verify() empty)"

#!/usr/bin/env bash
# Upgrades from every earlier release (tests/upgrade/releases) the way a
# user does: the release is built from this repository's history, installed
# and used (DDL tracked, values indexed, synonyms added); then this tree's
# package is installed over it, DDL runs in the window before the update,
# and ALTER EXTENSION planner_meta UPDATE brings the SQL objects forward.
# Afterwards the change log is intact, the cache matches the catalog, the
# window's DDL is known, tracking works, and the extension's objects are
# exactly those of a fresh install.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/cluster.sh

dir=${UPGRADE_DIR:-/tmp/planner_meta_upgrade}
port=${UPGRADE_PORT:-55446}
repo=$PWD
current=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
trap 'stop_cluster "$dir"' EXIT

fail() { echo "upgrade: FAILED: $*" >&2; exit 1; }
# A fresh clone owned by another user than the one running the tests is
# still this repository.
git() { command git -c safe.directory="$repo" "$@"; }
export PGOPTIONS="-c client_min_messages=warning"
q() { psql -X -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

# Builds and installs the release made at a commit.  Each release builds in
# a target directory of its own: sharing one (this tree's or another
# release's) would let cargo take one version's artifacts for the other
# (git archive dates every file at the commit, so the sources look older
# than any build).
install_release() {
  local version=$1 commit=$2 src="$repo/target/upgrade/src-$1"
  if ! git cat-file -e "$commit^{commit}" 2>/dev/null; then
    git fetch --quiet --unshallow 2>/dev/null || git fetch --quiet --tags 2>/dev/null || true
    git cat-file -e "$commit^{commit}" 2>/dev/null \
      || fail "release $version ($commit) is not in this clone's history; clone without --depth"
  fi
  if [ "$(cat "$src/.release-commit" 2>/dev/null)" != "$commit" ]; then
    rm -rf "$src" && mkdir -p "$src"
    git archive "$commit" | tar -x -C "$src"
    # The old release is unpacked under this repository's target/: an empty
    # [workspace] keeps cargo from taking it for a member of ours.
    grep -q '^\[workspace\]' "$src/Cargo.toml" || printf '\n[workspace]\n' >>"$src/Cargo.toml"
    echo "$commit" >"$src/.release-commit"
  fi
  (cd "$src" && CARGO_TARGET_DIR="$repo/target/upgrade/target-$version" \
    cargo pgrx install --pg-config "$PG_CONFIG" >"$repo/target/upgrade/build-$version.log" 2>&1) \
    || { tail -40 "$repo/target/upgrade/build-$version.log" >&2; fail "building release $version"; }
}

upgrade_from() {
  local from=$1 commit=$2 db="from_${1//./_}"
  echo "upgrade: $from -> $current"
  install_release "$from" "$commit"
  q postgres "DROP DATABASE IF EXISTS $db" >/dev/null
  q postgres "CREATE DATABASE $db" >/dev/null
  q "$db" "CREATE EXTENSION planner_meta" >/dev/null
  [ "$(q "$db" "SELECT extversion FROM pg_extension WHERE extname = 'planner_meta'")" = "$from" ] \
    || fail "release $from did not install as $from"
  psql -q -X -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL'
CREATE SCHEMA shop;
CREATE TYPE shop.tier AS ENUM ('bronze', 'gold');
CREATE TABLE shop.customers (id int PRIMARY KEY, name text, tier shop.tier, city text);
CREATE TABLE shop.orders (id int PRIMARY KEY, customer_id int REFERENCES shop.customers (id), total numeric);
CREATE VIEW shop.big_orders AS SELECT * FROM shop.orders WHERE total > 100;
ALTER TABLE shop.customers ADD COLUMN email text;
COMMENT ON TABLE shop.orders IS 'purchases';
INSERT INTO planner_meta.synonyms (term, schema_name, table_name) VALUES ('buyers', 'shop', 'customers');
INSERT INTO shop.customers SELECT i, 'c' || i, 'gold', (ARRAY['Paris', 'Oslo'])[1 + i % 2] FROM generate_series(1, 50) i;
ANALYZE shop.customers;
SELECT planner_meta.refresh_values();
DROP VIEW shop.big_orders;
CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON shop.orders FOR EACH ROW EXECUTE FUNCTION shop.touch();
ALTER TABLE shop.orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY big_only ON shop.orders FOR SELECT USING (total > 100);
SQL
  local log_before log_rows last_id
  log_before=$(q "$db" "SELECT md5(string_agg(c::text, '|' ORDER BY id)) FROM planner_meta.change_log c")
  log_rows=$(q "$db" "SELECT count(*) FROM planner_meta.change_log")
  last_id=$(q "$db" "SELECT max(id) FROM planner_meta.change_log")

  # The new package replaces the library; the SQL objects are still $from.
  install_extension 2>/dev/null
  local window
  window=$(psql -X -v ON_ERROR_STOP=1 -d "$db" -c "CREATE TABLE shop.returns (id int PRIMARY KEY, order_id int REFERENCES shop.orders (id))" 2>&1) \
    || fail "DDL failed between the package upgrade and ALTER EXTENSION UPDATE: $window"
  if [ "$from" != "$current" ] && ! grep -q "does not match the installed extension version $from" <<<"$window"; then
    fail "DDL in the window did not warn about the version mismatch: $window"
  fi
  local read_error
  read_error=$(psql -X -v VERBOSITY=verbose -d "$db" -c "SELECT planner_meta.describe('shop.orders')" 2>&1) \
    && fail "describe() ran on SQL objects of release $from"
  grep -q "55000" <<<"$read_error" && grep -q "ALTER EXTENSION planner_meta UPDATE" <<<"$read_error" \
    || fail "describe() in the window: expected SQLSTATE 55000 with a hint, got: $read_error"

  local update_output
  update_output=$(psql -X -v ON_ERROR_STOP=1 -d "$db" -c "ALTER EXTENSION planner_meta UPDATE" 2>&1) \
    || fail "ALTER EXTENSION UPDATE: $update_output"
  grep -q WARNING <<<"$update_output" && fail "ALTER EXTENSION UPDATE warned: $update_output"
  [ "$(q "$db" "SELECT extversion FROM pg_extension WHERE extname = 'planner_meta'")" = "$current" ] \
    || fail "ALTER EXTENSION UPDATE did not reach $current"

  # The first read repairs the cache; the window's table is then known and logged.
  [ "$(q "$db" "SELECT planner_meta.describe('shop.returns') #>> '{relationships,outgoing,0,references,table}'")" = orders ] \
    || fail "describe() of the table created in the window"
  [ "$(q "$db" "SELECT count(*) FROM planner_meta.change_log WHERE action = 'refreshed' AND command_tag = 'REPAIR'
                  AND jsonb_path_exists(details, '\$.changes[*] ? (@.object == \"shop.returns\" && @.action == \"created_table\")')")" = 1 ] \
    || fail "the repair after the update does not list the window's CREATE TABLE"
  [ "$(q "$db" "SELECT md5(string_agg(c::text, '|' ORDER BY id)) FROM planner_meta.change_log c WHERE id <= $last_id")" = "$log_before" ] \
    || fail "change rows written by $from changed"
  [ "$(q "$db" "SELECT count(*) FROM planner_meta.verify()")" = 0 ] || fail "verify() after the update"
  # What the new release knows about objects that existed before it.
  [ "$(q "$db" "SELECT concat_ws(' ', d #>> '{triggers,0,name}', d #>> '{policies,0,name}', d ->> 'row_security')
                  FROM planner_meta.describe('shop.orders') d")" = "orders_touch big_only enabled" ] \
    || fail "triggers, policies and row security of tables made before the update"
  [ "$(q "$db" "SELECT plan ->> 'primary_table_or_datasource' FROM planner_meta.plan('buyers in Paris') plan")" = customers ] \
    || fail "plan() with a synonym and an indexed value kept from $from"
  # The linking index plan() reads is built by the first read after the
  # update, the same as one rebuilt from scratch.
  local terms_sql="SELECT count(*) || ' ' || md5(string_agg(concat_ws(',', rel_oid, attnum, kind, phrase), '|'
                     ORDER BY rel_oid, attnum, kind, phrase)) FROM planner_meta.link_terms"
  local terms_after_update
  terms_after_update=$(q "$db" "$terms_sql")
  q "$db" "SELECT planner_meta.refresh(force => true)" >/dev/null
  [ "$(q "$db" "$terms_sql")" = "$terms_after_update" ] && [ "${terms_after_update%% *}" -gt 0 ] \
    || fail "linking index after the update ($terms_after_update) differs from a rebuilt one"
  # The value index built by the old release is kept and ages by the new rules.
  [ "$(q "$db" "SELECT value_columns > 0 AND stale_value_columns = 0 FROM planner_meta.cache_status")" = t ] \
    || fail "value index kept from $from"
  [ "$(q "$db" "SELECT planner_meta.refresh_values(force => true) ->> 'columns_indexed'")" -ge 1 ] \
    || fail "refresh_values() after the update"
  q "$db" "CREATE TABLE shop.refunds (id int)" >/dev/null
  [ "$(q "$db" "SELECT action FROM planner_meta.change_log ORDER BY id DESC LIMIT 1")" = created_table ] \
    || fail "tracking after the update"

  # Same objects as a fresh install of this release.
  q postgres "DROP DATABASE IF EXISTS fresh" >/dev/null
  q postgres "CREATE DATABASE fresh" >/dev/null
  q fresh "CREATE EXTENSION planner_meta" >/dev/null
  psql -X -At -v ON_ERROR_STOP=1 -d fresh -f tests/upgrade/extension_objects.sql >"$dir/fresh.objects"
  psql -X -At -v ON_ERROR_STOP=1 -d "$db" -f tests/upgrade/extension_objects.sql >"$dir/$db.objects"
  diff -u "$dir/fresh.objects" "$dir/$db.objects" >"$dir/$db.diff" \
    || { cat "$dir/$db.diff" >&2; fail "objects after updating from $from differ from a fresh install"; }
  echo "upgrade: $from -> $current ok ($log_rows change rows kept, $(wc -l <"$dir/fresh.objects") object properties equal to a fresh install)"
}

mkdir -p target/upgrade
start_cluster "$dir" "$port"
while read -r version commit; do
  case $version in ''|'#'*) continue ;; esac
  upgrade_from "$version" "$commit"
done <tests/upgrade/releases

#!/usr/bin/env bash
# The demo: a throwaway cluster with the Pagila sample database, planner_meta
# installed, and the discovery calls shown on it.  Installs what is missing.
# KEEP=1 leaves the cluster running afterwards (its psql command is printed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
. scripts/lib/cluster.sh

dir=${DEMO_DIR:-/tmp/planner_meta_demo}
port=${DEMO_PORT:-55433}
pagila=${PAGILA_DIR:-../shared/evaldata/databases/pagila}

echo "[demo] building (release profile) and installing planner_meta"
install_extension --release
echo "[demo] starting a throwaway cluster in $dir (port $port)"
start_cluster "$dir" "$port"
[ "${KEEP:-0}" = 1 ] || trap 'stop_cluster "$dir"' EXIT

echo "[demo] loading Pagila"
createdb pagila
psql -q -X -d pagila -f "$pagila/pagila-schema.sql" >/dev/null 2>&1
psql -q -X -d pagila -f "$pagila/pagila-data.sql" >/dev/null 2>&1
psql -q -X -d pagila -c "ANALYZE" >/dev/null

show() {
  printf '\n=> %s\n' "$1"
  psql -X -d pagila -P pager=off -c "$1"
}

show "CREATE EXTENSION planner_meta"
show "SELECT * FROM planner_meta.schemas()"
show "SELECT table_name, kind, row_estimate, columns, partitions FROM planner_meta.tables('public')"
show "SELECT jsonb_pretty(planner_meta.describe('film') #- '{columns}' #- '{indexes}' #- '{constraints}' #- '{data,columns}')"
show "SELECT c->>'name' AS column, c->>'type' AS type, c->'nullable' AS nullable, c->>'default' AS default
        FROM jsonb_array_elements(planner_meta.describe('film')->'columns') c"
show "SELECT jsonb_pretty(planner_meta.describe('payment') -> 'partitions')"
show "SELECT jsonb_pretty(planner_meta.metadata('public') #> '{pagila,schemas,public,tables,rental}')"
show "SELECT jsonb_pretty(planner_meta.sample('language', 3))"
show "SELECT planner_meta.erd('public')"

echo
echo "[demo] planning questions"
show "SELECT jsonb_pretty(planner_meta.plan('How many films in the Comedy category have a rental rate over 2?') - 'processing_instructions' - 'cache')"
show "SELECT p->>'primary_table_or_datasource' AS datasource, p->>'filtering_conditions' AS filters, p->>'sql' AS sql
        FROM planner_meta.plan('Show me all payments from customers in Canada') p"
show "SELECT p->>'query_type' AS type, p->>'sql' AS sql FROM planner_meta.plan('which tables reference film') p"
# Words the schema does not use: the lexicon links "movie" to film and a
# "performer" to actor through WordNet, and every link says so.
show "SELECT t->>'table' AS table, t->'reasons' AS reasons
        FROM jsonb_array_elements(planner_meta.plan('list every movie') -> 'tables') t"
show "SELECT t->>'table' AS table, t->'reasons' AS reasons
        FROM jsonb_array_elements(planner_meta.plan('films with the performer PENELOPE GUINESS') -> 'tables') t"
show "SELECT planner_meta.context('rentals of customers in Canada', 400)"

echo
echo "[demo] knowing the data"
show "SELECT jsonb_pretty(planner_meta.describe('rental') -> 'data' #- '{columns}')"
show "SELECT c->>'name' AS column, c->'null_frac' AS null_frac, c->'n_distinct' AS n_distinct
        FROM jsonb_array_elements(planner_meta.describe('rental') -> 'data' -> 'columns') c"
show "INSERT INTO language (name) VALUES ('Klingon'); ANALYZE language"
show "SELECT planner_meta.refresh_stats('language')"
show "SELECT details FROM planner_meta.changelog WHERE command_tag = 'REFRESH STATS' ORDER BY id DESC LIMIT 1"
show "SELECT planner_meta.plan('customers living in Lethbridge') ->> 'filtering_conditions' AS before_value_index"
show "SELECT planner_meta.refresh_values('city')"
show "SELECT planner_meta.plan('customers living in Lethbridge') ->> 'filtering_conditions' AS with_value_index"
show "SELECT * FROM planner_meta.find_values('Lethbrige')"

echo
echo "[demo] changing the schema: every statement is tracked in its own transaction"
show "ALTER TABLE film ADD COLUMN imdb_rating numeric(3,1)"
show "ALTER TABLE customer RENAME COLUMN email TO email_address"
show "COMMENT ON TABLE rental IS 'one row per rented DVD'"
show "CREATE TABLE review (review_id serial PRIMARY KEY, film_id int NOT NULL REFERENCES film (film_id), stars int CHECK (stars BETWEEN 1 AND 5), body text)"
show "ALTER TABLE film DISABLE TRIGGER film_fulltext_trigger"
show "BEGIN; CREATE TABLE scratch (x int); ROLLBACK"
show "DROP VIEW sales_by_store"
show "SELECT id, acting_role, command_tag, action, object_identity, details
        FROM planner_meta.changelog WHERE action NOT LIKE 'discovered%' ORDER BY id"
show "SELECT c->>'name' AS column, c->>'type' AS type FROM jsonb_array_elements(planner_meta.describe('review')->'columns') c"
show "SELECT count(*) AS differences FROM planner_meta.verify()"

if [ "${KEEP:-0}" = 1 ]; then
  echo
  echo "[demo] cluster left running: psql -h $dir -p $port -U postgres pagila"
fi

-- A low-privilege role sees only objects it holds some privilege on, and
-- cannot touch the cache.
CREATE SCHEMA app;
CREATE SCHEMA secret;
CREATE TABLE app.shown (id int PRIMARY KEY, label text);
CREATE TABLE app.hidden (id int PRIMARY KEY, shown_id int REFERENCES app.shown (id), pin text);
CREATE TABLE app.partial (id int PRIMARY KEY, public_name text, salary numeric);
CREATE TABLE app.write_only (id int);
CREATE TABLE secret.vault (id int);
CREATE ROLE pm_reader;
GRANT USAGE ON SCHEMA app TO pm_reader;
GRANT SELECT ON app.shown TO pm_reader;
GRANT SELECT (id, public_name) ON app.partial TO pm_reader;
GRANT INSERT ON app.write_only TO pm_reader;
GRANT SELECT ON secret.vault TO pm_reader;  -- but no USAGE on the schema
SELECT count(*) AS differences FROM planner_meta.verify();

SET ROLE pm_reader;
SELECT schema_name, relations FROM planner_meta.schemas() WHERE schema_name IN ('app', 'secret');
SELECT table_name, columns FROM planner_meta.tables('app');
SELECT planner_meta.tables('secret');
-- Column-level grants show only the granted columns.
SELECT jsonb_path_query_array(planner_meta.describe('app.partial'), '$.columns[*].name') AS columns;
-- The FK from the hidden table to a visible one is not revealed.
SELECT planner_meta.describe('app.shown') -> 'relationships' AS relationships;
SELECT planner_meta.describe('app.hidden');
\echo :LAST_ERROR_SQLSTATE
SELECT planner_meta.describe('secret.vault');
\echo :LAST_ERROR_SQLSTATE
SELECT jsonb_object_keys(planner_meta.metadata() -> current_database() -> 'schemas' -> 'app' -> 'tables') AS app_tables;
SELECT planner_meta.metadata() -> current_database() -> 'schemas' ? 'secret' AS sees_secret;
SELECT count(*) AS hidden_rows FROM planner_meta.visible_columns WHERE column_name IN ('pin', 'salary');
-- The cache and the refresh are out of reach.
SELECT count(*) FROM planner_meta.cache_relations;
DELETE FROM planner_meta.cache_columns;
INSERT INTO planner_meta.cache_state DEFAULT VALUES;
SELECT planner_meta.refresh();
SELECT count(*) FROM planner_meta.verify();
RESET ROLE;

DROP SCHEMA app CASCADE;
DROP SCHEMA secret CASCADE;
DROP ROLE pm_reader;
SELECT count(*) AS differences FROM planner_meta.verify();

-- Every kind of DDL updates the cache in its own transaction and writes the
-- change log; verify() stays empty throughout.
CREATE TEMP VIEW recent AS
SELECT command_tag, action, object_type, object_identity, details
  FROM planner_meta.changelog
 WHERE id > coalesce(current_setting('pm.mark', true), '0')::bigint
 ORDER BY id;
CREATE FUNCTION pg_temp.mark() RETURNS void LANGUAGE sql AS
$$ SELECT set_config('pm.mark', (SELECT coalesce(max(id), 0)::text FROM planner_meta.change_log), false) $$;
SELECT pg_temp.mark();

-- schemas and tables
CREATE SCHEMA track;
CREATE TABLE track.customers (id int PRIMARY KEY, name text, city text);
CREATE TABLE track.orders (id int PRIMARY KEY, customer_id int REFERENCES track.customers (id), total numeric);
SELECT command_tag, action, object_identity, details FROM recent;
SELECT pg_temp.mark();

-- ALTER TABLE in its forms
ALTER TABLE track.customers ADD COLUMN email text;
ALTER TABLE track.customers RENAME COLUMN city TO town;
ALTER TABLE track.customers ALTER COLUMN name SET NOT NULL;
ALTER TABLE track.customers ALTER COLUMN town SET DEFAULT 'Paris';
ALTER TABLE track.customers ALTER COLUMN id TYPE bigint;
ALTER TABLE track.customers DROP COLUMN email;
ALTER TABLE track.customers ADD CONSTRAINT name_len CHECK (length(name) < 100);
ALTER TABLE track.customers DROP CONSTRAINT name_len;
ALTER TABLE track.orders DROP CONSTRAINT orders_customer_id_fkey;
ALTER TABLE track.orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES track.customers (id) ON DELETE CASCADE;
SELECT command_tag, action, object_identity, details FROM recent;
SELECT count(*) AS differences FROM planner_meta.verify();
SELECT pg_temp.mark();

-- renames (an update, not drop + create), comments, indexes
ALTER TABLE track.orders RENAME TO purchases;
COMMENT ON TABLE track.purchases IS 'what customers bought';
COMMENT ON COLUMN track.customers.town IS 'where they live';
CREATE INDEX purchases_total_idx ON track.purchases (total);
ALTER INDEX track.purchases_total_idx RENAME TO purchases_by_total;
DROP INDEX track.purchases_by_total;
SELECT command_tag, action, object_identity, details FROM recent;
SELECT count(*) AS differences FROM planner_meta.verify();
SELECT pg_temp.mark();

-- views, materialized views, CREATE TABLE AS, SELECT INTO, SET SCHEMA
CREATE VIEW track.big_spenders AS SELECT customer_id, sum(total) AS spent FROM track.purchases GROUP BY customer_id;
CREATE MATERIALIZED VIEW track.spend AS SELECT * FROM track.big_spenders;
CREATE TABLE track.snapshot AS SELECT * FROM track.customers;
SELECT * INTO track.copy FROM track.customers;
CREATE SCHEMA archive;
ALTER TABLE track.copy SET SCHEMA archive;
ALTER TABLE track.purchases RENAME COLUMN total TO amount;
SELECT command_tag, action, object_type, object_identity FROM recent;
SELECT planner_meta.describe('track.big_spenders') ->> 'view_definition' AS view_follows_rename;
SELECT count(*) AS differences FROM planner_meta.verify();
SELECT pg_temp.mark();

-- enums, partitions, foreign tables
CREATE TYPE track.tier AS ENUM ('bronze', 'silver');
ALTER TYPE track.tier ADD VALUE 'gold';
ALTER TABLE track.customers ADD COLUMN tier track.tier;
ALTER TYPE track.tier RENAME TO level;
CREATE TABLE track.events (at date NOT NULL, what text) PARTITION BY RANGE (at);
CREATE TABLE track.events_2024 PARTITION OF track.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE track.events_2025 (at date NOT NULL, what text);
ALTER TABLE track.events ATTACH PARTITION track.events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE track.events DETACH PARTITION track.events_2024;
CREATE FOREIGN DATA WRAPPER track_fdw;
CREATE SERVER track_server FOREIGN DATA WRAPPER track_fdw;
CREATE FOREIGN TABLE track.remote (id int) SERVER track_server;
SELECT command_tag, action, object_type, object_identity, details FROM recent;
SELECT jsonb_path_query_array(planner_meta.describe('track.events'), '$.partitions[*].name') AS partitions;
SELECT count(*) AS differences FROM planner_meta.verify();
SELECT pg_temp.mark();

-- GRANT / REVOKE, schema rename, temp objects (ignored)
GRANT SELECT ON track.customers TO PUBLIC;
REVOKE SELECT ON track.customers FROM PUBLIC;
ALTER SCHEMA archive RENAME TO old_stuff;
CREATE TEMP TABLE scratch (x int);
DROP TABLE scratch;
SELECT command_tag, action, object_type, object_identity FROM recent;
SELECT count(*) AS differences FROM planner_meta.verify();
SELECT pg_temp.mark();

-- a rolled-back DDL leaves neither cache change nor log row
BEGIN;
CREATE TABLE track.ghost (id int);
ALTER TABLE track.customers ADD COLUMN ghost_col int;
ROLLBACK;
SELECT count(*) AS rows_after_rollback FROM recent;
SELECT count(*) AS ghost_in_cache FROM planner_meta.visible_relations WHERE rel_name = 'ghost';

-- DROP ... CASCADE logs every dependent
DROP SCHEMA track CASCADE;
SELECT command_tag, action, object_type, object_identity FROM recent;
DROP SCHEMA old_stuff CASCADE;
DROP SERVER track_server;
DROP FOREIGN DATA WRAPPER track_fdw;
SELECT count(*) AS differences FROM planner_meta.verify();
SELECT count(*) AS tracking_failures FROM planner_meta.tracking_errors;

-- The value index: built on demand, searched exactly, by case, by
-- containment and fuzzily, used by plan(), and private like the data.
CREATE SCHEMA vals;
CREATE TABLE vals.stores (id int PRIMARY KEY, city text, manager text, notes text);
COMMENT ON COLUMN vals.stores.manager IS 'store manager; planner: no_values';
-- 600 rows over 500 cities: rare cities are no most-common value, and with
-- this many distinct values plan() does not read the column's histogram.
INSERT INTO vals.stores
SELECT i, CASE WHEN i <= 500 THEN 'Town ' || i ELSE 'Springfield' END, 'manager ' || i, NULL
  FROM generate_series(1, 600) i;
UPDATE vals.stores SET city = 'Kalamazoo' WHERE id = 77;
ANALYZE vals.stores;
SELECT count(*) AS kalamazoo_in_mcv FROM pg_stats
 WHERE tablename = 'stores' AND attname = 'city' AND 'Kalamazoo' = ANY (most_common_vals::text::text[]);
SELECT planner_meta.plan('stores in Kalamazoo') ->> 'filtering_conditions' AS before_index;

SELECT planner_meta.refresh_values('vals.stores');
SELECT c.column_name, vc.distinct_values
  FROM planner_meta.cache_value_columns vc JOIN planner_meta.cache_columns c USING (rel_oid, attnum)
 WHERE vc.rel_oid = 'vals.stores'::regclass ORDER BY 1;
SELECT action, object_type, details -> 'columns_indexed' AS columns FROM planner_meta.changelog
 WHERE command_tag = 'REFRESH VALUES' ORDER BY id DESC LIMIT 1;

-- plan() links a value absent from pg_stats through the index.
SELECT p ->> 'filtering_conditions' AS filters, p -> 'filters' -> 0 ->> 'source' AS source
  FROM planner_meta.plan('stores in Kalamazoo') p;

SELECT * FROM planner_meta.find_values('Kalamazoo');
SELECT value, match_kind FROM planner_meta.find_values('kalamazoo');
SELECT value, match_kind FROM planner_meta.find_values('Kalamazo');
SELECT value, match_kind FROM planner_meta.find_values('Springfeld', 3);
SELECT count(*) AS pii_values FROM planner_meta.find_values('manager 1');
SELECT planner_meta.find_values(NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT planner_meta.find_values('x', 0);
\echo :LAST_ERROR_SQLSTATE

-- Too many distinct values, or no time left: skipped and reported.  (A
-- column whose statistics already count too many is no candidate at all:
-- plan() above copied the new statistics of vals.stores.  This one has
-- no statistics yet.)
CREATE TABLE vals.visits (id int PRIMARY KEY, city text);
INSERT INTO vals.visits SELECT i, 'Town ' || i FROM generate_series(1, 150) i;
SET planner_meta.values_max_distinct = 100;
SELECT planner_meta.refresh_values('vals.visits', force => true) -> 'skipped_too_many_values' AS too_many;
RESET planner_meta.values_max_distinct;
DROP TABLE vals.visits;
SET planner_meta.values_time_budget = 0;
SELECT planner_meta.refresh_values('vals.stores', force => true) -> 'skipped_out_of_time' AS out_of_time;
RESET planner_meta.values_time_budget;
SELECT planner_meta.refresh_values('vals.stores', force => true) -> 'columns_indexed' AS rebuilt;

-- A table without a page holds no values and is not read; once it has
-- rows it is read, whatever its statistics (still zero pages) say.
CREATE TABLE vals.empty_then_filled (id int PRIMARY KEY, kind text);
SELECT planner_meta.refresh_values('vals.empty_then_filled') - 'skipped_too_many_values' AS empty_indexed;
INSERT INTO vals.empty_then_filled VALUES (1, 'alpha'), (2, 'beta'), (3, 'alpha');
SELECT relpages FROM pg_class WHERE oid = 'vals.empty_then_filled'::regclass;
SELECT planner_meta.refresh_values('vals.empty_then_filled', force => true) -> 'values' AS values_read;
SELECT v.value, v.rows FROM planner_meta.cache_values v
 WHERE v.rel_oid = 'vals.empty_then_filled'::regclass ORDER BY 1;
DROP TABLE vals.empty_then_filled;

-- The index ages like statistics.  Fresh columns are not read again;
-- after an ANALYZE they are stale, refresh_values() re-reads them, and so
-- do readers (find_values(), plan()) within planner_meta.values_read_budget.
SELECT planner_meta.refresh_values('vals.stores') -> 'columns_fresh' AS fresh_skipped;
SELECT value_columns > 0 AS indexed, stale_value_columns FROM planner_meta.cache_status;
INSERT INTO vals.stores VALUES (601, 'Timbuktu', 'manager 601', NULL);
ANALYZE vals.stores;
SELECT stale_value_columns > 0 AS stale_after_analyze FROM planner_meta.cache_status;
SELECT planner_meta.refresh_stale_values() -> 'columns_indexed' AS reread;
SELECT stale_value_columns FROM planner_meta.cache_status;
SELECT planner_meta.refresh_stale_values() AS nothing_stale;
SELECT value FROM planner_meta.find_values('Timbuktu');
-- a new session reads stale columns on its first find_values()
INSERT INTO vals.stores VALUES (602, 'Ouagadougou', 'manager 602', NULL);
ANALYZE vals.stores;
\c -
SELECT value FROM planner_meta.find_values('Ouagadougou');
SELECT command_tag, details -> 'columns_indexed' AS columns FROM planner_meta.changelog
 WHERE command_tag LIKE 'REFRESH%VALUES' ORDER BY id DESC LIMIT 1;
-- max_age ages them too
SET planner_meta.max_age = 0;
SELECT stale_value_columns > 0 AS stale_by_age FROM planner_meta.cache_status;
RESET planner_meta.max_age;
-- a read budget of 0 turns refreshing on read off
INSERT INTO vals.stores VALUES (603, 'Nowhereville', 'manager 603', NULL);
ANALYZE vals.stores;
\c -
SET planner_meta.values_read_budget = 0;
SELECT count(*) AS found_with_reading_off FROM planner_meta.find_values('Nowhereville') WHERE value = 'Nowhereville';
RESET planner_meta.values_read_budget;
\c -
SELECT count(*) AS found_with_reading_on FROM planner_meta.find_values('Nowhereville') WHERE value = 'Nowhereville';

-- Only roles that may read the column see its values; RLS hides them.
CREATE ROLE pm_valuereader;
GRANT USAGE ON SCHEMA vals TO pm_valuereader;
GRANT SELECT (id, notes) ON vals.stores TO pm_valuereader;
SET ROLE pm_valuereader;
SELECT count(*) AS visible FROM planner_meta.find_values('Kalamazoo');
SELECT planner_meta.plan('stores in Kalamazoo') ->> 'filtering_conditions' AS filters;
SELECT planner_meta.refresh_values('vals.stores');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
GRANT SELECT (city) ON vals.stores TO pm_valuereader;
SET ROLE pm_valuereader;
SELECT count(*) AS visible_with_grant FROM planner_meta.find_values('Kalamazoo');
RESET ROLE;
ALTER TABLE vals.stores ENABLE ROW LEVEL SECURITY;
CREATE POLICY first_ten ON vals.stores FOR SELECT TO pm_valuereader USING (id < 10);
SET ROLE pm_valuereader;
SELECT count(*) AS visible_under_rls FROM planner_meta.find_values('Kalamazoo');
RESET ROLE;

DROP SCHEMA vals CASCADE;
DROP ROLE pm_valuereader;
SELECT count(*) AS values_left FROM planner_meta.cache_values;

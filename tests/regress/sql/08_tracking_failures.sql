-- A failure inside tracking never aborts the user's DDL: it becomes a
-- WARNING and a row in tracking_errors, the cache is marked stale, and a
-- refresh repairs it.  First a Rust panic, injected on purpose:
SET planner_meta.fault_injection = on;
CREATE TABLE survives (id int);
RESET planner_meta.fault_injection;
SELECT to_regclass('survives') IS NOT NULL AS ddl_committed;
SELECT command_tag, sqlstate, message FROM planner_meta.tracking_errors ORDER BY id;
SELECT stale FROM planner_meta.cache_status;
SELECT * FROM planner_meta.verify();
-- The next read repairs the cache and logs what it repaired.
SELECT table_name FROM planner_meta.tables('public') WHERE table_name = 'survives';
SELECT stale FROM planner_meta.cache_status;
SELECT command_tag, action, jsonb_path_query_array(details, '$.changes[*].object') AS repaired
  FROM planner_meta.changelog ORDER BY id DESC LIMIT 1;
SELECT count(*) AS differences FROM planner_meta.verify();

-- A real error inside tracking (a constraint on the cache refusing a row)
-- is caught the same way.
ALTER TABLE planner_meta.cache_columns ADD CONSTRAINT no_boom CHECK (column_name <> 'boom');
ALTER TABLE survives ADD COLUMN boom int;
SELECT count(*) AS boom_column_exists FROM pg_attribute WHERE attrelid = 'survives'::regclass AND attname = 'boom';
SELECT command_tag, sqlstate FROM planner_meta.tracking_errors ORDER BY id;
ALTER TABLE planner_meta.cache_columns DROP CONSTRAINT no_boom;

-- describe() repairs too.
SELECT jsonb_path_query_array(planner_meta.describe('survives'), '$.columns[*].name') AS columns;
SELECT stale FROM planner_meta.cache_status;
SELECT count(*) AS differences FROM planner_meta.verify();
DROP TABLE survives;
SELECT count(*) AS differences FROM planner_meta.verify();
TRUNCATE planner_meta.tracking_errors;

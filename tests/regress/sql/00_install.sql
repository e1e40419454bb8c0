-- Installing the extension discovers the catalog at once.
CREATE SCHEMA pre_existing;
CREATE TABLE pre_existing.t (id int PRIMARY KEY);
CREATE EXTENSION planner_meta;
SELECT extname, extrelocatable, n.nspname
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE extname = 'planner_meta';
SELECT schema_name, relations FROM planner_meta.schemas();
SELECT table_name, kind, columns FROM planner_meta.tables('pre_existing');
SELECT count(*) AS differences FROM planner_meta.verify();
SELECT database_name = current_database() AS named_after_db FROM planner_meta.cache_status;

-- What the extension offers.
SELECT p.proname, pg_get_function_identity_arguments(p.oid) AS args, p.provolatile, p.prosecdef
  FROM pg_proc p
 WHERE p.pronamespace = 'planner_meta'::regnamespace
 ORDER BY 1, 2;

-- Cache tables are private; readers get the privilege-filtered views.
CREATE ROLE pm_nobody;
SELECT c.relname,
       has_table_privilege('pm_nobody', c.oid, 'SELECT') AS can_read,
       has_table_privilege('pm_nobody', c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE') AS can_write
  FROM pg_class c
 WHERE c.relnamespace = 'planner_meta'::regnamespace AND c.relkind IN ('r', 'v')
 ORDER BY 1;
SELECT has_function_privilege('pm_nobody', 'planner_meta.refresh(boolean)', 'EXECUTE') AS may_refresh,
       has_function_privilege('pm_nobody', 'planner_meta.describe(regclass)', 'EXECUTE') AS may_describe;
DROP ROLE pm_nobody;
DROP SCHEMA pre_existing CASCADE;
SELECT count(*) AS differences FROM planner_meta.verify();

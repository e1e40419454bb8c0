-- Security review as tests.
-- Every SECURITY DEFINER function pins its search_path.
SELECT p.proname, p.proconfig
  FROM pg_proc p
 WHERE p.pronamespace = 'planner_meta'::regnamespace AND p.prosecdef
 ORDER BY 1;
SELECT count(*) AS definer_without_search_path
  FROM pg_proc p
 WHERE p.pronamespace = 'planner_meta'::regnamespace AND p.prosecdef
   AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%');
-- Which of them any role may run (the rest are the owner's).
SELECT p.proname FROM pg_proc p
 WHERE p.pronamespace = 'planner_meta'::regnamespace AND p.prosecdef
   AND has_function_privilege('public', p.oid, 'EXECUTE')
 ORDER BY 1;

-- A role sees nothing of a table it holds no privilege on: not in plan(),
-- context(), describe(), metadata(), sample(), erd() or the change log.
CREATE SCHEMA hidden_things;
CREATE TABLE hidden_things.payroll (id int PRIMARY KEY, employee text, salary numeric);
INSERT INTO hidden_things.payroll VALUES (1, 'Zelda Secretname', 99999);
ANALYZE hidden_things.payroll;
-- indexed by the owner, then stale: the outsider's first read refreshes it
SELECT planner_meta.refresh_values('hidden_things.payroll') -> 'columns_indexed' AS indexed;
INSERT INTO hidden_things.payroll VALUES (2, 'Yorick Othername', 1);
ANALYZE hidden_things.payroll;
CREATE ROLE pm_outsider;
GRANT USAGE ON SCHEMA hidden_things TO pm_outsider;
SET ROLE pm_outsider;
SELECT planner_meta.plan('salary of Zelda Secretname in payroll') -> 'tables' AS plan_tables;
SELECT position('payroll' IN planner_meta.context('payroll salary')) AS in_context;
SELECT planner_meta.describe('hidden_things.payroll');
\echo :LAST_ERROR_SQLSTATE
SELECT planner_meta.metadata('hidden_things') #> ARRAY[current_database()::text, 'schemas', 'hidden_things', 'tables'] AS tables;
SELECT planner_meta.sample('hidden_things.payroll');
\echo :LAST_ERROR_SQLSTATE
SELECT position('payroll' IN planner_meta.erd('hidden_things')) AS in_erd;
SELECT count(*) AS change_rows_about_payroll FROM planner_meta.changelog WHERE object_name = 'payroll';
SELECT count(*) AS values_seen FROM planner_meta.find_values('Zelda Secretname');
-- the refresh its read caused is logged for it with counts, never names
SELECT count(*) AS own_stale_refreshes, count(*) FILTER (WHERE details::text LIKE '%payroll%') AS naming_payroll
  FROM planner_meta.changelog WHERE command_tag = 'REFRESH STALE VALUES';
-- ... and can neither write the cache or the log nor run the owner's functions.
UPDATE planner_meta.cache_relations SET rel_name = 'x';
INSERT INTO planner_meta.change_log (acting_role, action, object_type) VALUES ('x', 'x', 'x');
DELETE FROM planner_meta.synonyms;
SELECT planner_meta.track_ddl_command_end('CREATE TABLE');
SELECT planner_meta.refresh_values();
RESET ROLE;
DROP SCHEMA hidden_things CASCADE;
DROP ROLE pm_outsider;

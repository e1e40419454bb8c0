-- Bad input gets a clear error with a proper SQLSTATE.
CREATE TABLE plain (id int PRIMARY KEY);
CREATE SEQUENCE plain_seq;
SELECT count(*) AS differences FROM planner_meta.verify();

SELECT planner_meta.describe(NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT planner_meta.describe('no_such_table');
\echo :LAST_ERROR_SQLSTATE
SELECT planner_meta.describe('no_such_schema.t');
\echo :LAST_ERROR_SQLSTATE
SELECT planner_meta.describe('pg_catalog.pg_class');
\echo :LAST_ERROR_SQLSTATE
SELECT planner_meta.describe('plain_pkey');
\echo :LAST_ERROR_SQLSTATE
SELECT planner_meta.describe('plain_seq');
\echo :LAST_ERROR_SQLSTATE
SELECT planner_meta.describe(0);
\echo :LAST_ERROR_SQLSTATE
SELECT planner_meta.tables('no_such_schema');
\echo :LAST_ERROR_SQLSTATE
SELECT planner_meta.tables('pg_catalog');
\echo :LAST_ERROR_SQLSTATE
SELECT planner_meta.metadata('no_such_schema');
\echo :LAST_ERROR_SQLSTATE
SELECT planner_meta.metadata('');
\echo :LAST_ERROR_SQLSTATE
-- NULL means "all" where a default of NULL is documented.
SELECT count(*) > 0 AS lists_all FROM planner_meta.tables(NULL);
SELECT planner_meta.metadata(NULL) -> current_database() -> 'schemas' ? 'public' AS has_public;
SELECT planner_meta.describe('plain') ->> 'name' AS name;
DROP TABLE plain;
DROP SEQUENCE plain_seq;
SELECT count(*) AS differences FROM planner_meta.verify();

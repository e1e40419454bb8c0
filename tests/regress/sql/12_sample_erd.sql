-- sample() reads as the caller; erd() draws what the caller can see.
CREATE SCHEMA lab;
CREATE TABLE lab.people (id int PRIMARY KEY, name text, salary numeric, team text);
CREATE TABLE lab.badges (id int PRIMARY KEY, person_id int REFERENCES lab.people (id), label text);
CREATE TABLE lab."Odd Name" (id int PRIMARY KEY, "Amount (EUR)" numeric(10,2));
INSERT INTO lab.people VALUES (1, 'Ada', 100, 'red'), (2, 'Bob', 200, 'blue'), (3, 'Cy', 300, 'red');
INSERT INTO lab.badges VALUES (1, 1, 'gold');

SELECT planner_meta.sample('lab.people', 2);
SELECT planner_meta.sample('lab.people') -> 'row_count' AS default_rows;
SELECT planner_meta.sample('lab.people', 0);
\echo :LAST_ERROR_SQLSTATE
SELECT planner_meta.sample('lab.people', 1001);
\echo :LAST_ERROR_SQLSTATE
SELECT planner_meta.sample(NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT planner_meta.sample('lab.nope');
\echo :LAST_ERROR_SQLSTATE

-- Privileges, column grants and row-level security apply.
CREATE ROLE pm_viewer;
GRANT USAGE ON SCHEMA lab TO pm_viewer;
GRANT SELECT (id, name, team) ON lab.people TO pm_viewer;
ALTER TABLE lab.people ENABLE ROW LEVEL SECURITY;
CREATE POLICY only_red ON lab.people FOR SELECT TO pm_viewer USING (team = 'red');
SET ROLE pm_viewer;
SELECT planner_meta.sample('lab.people', 10);
SELECT planner_meta.sample('lab.badges', 10);
\echo :LAST_ERROR_SQLSTATE
SELECT planner_meta.erd('lab');
RESET ROLE;

SELECT planner_meta.erd('lab');
SELECT planner_meta.erd('no_such_schema');
\echo :LAST_ERROR_SQLSTATE

DROP SCHEMA lab CASCADE;
DROP ROLE pm_viewer;

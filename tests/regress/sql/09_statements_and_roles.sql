-- Who changed what, and (only when asked for) with which statement text.
SELECT max(id) AS mark FROM planner_meta.change_log \gset

-- Statement text is off by default.
CREATE TABLE quiet (id int);
SELECT count(*) AS statements_logged FROM planner_meta.change_statements;

-- Switched on, a multi-statement string is stored once for its transaction.
SET planner_meta.log_statements = on;
CREATE TABLE loud_a (id int)\; CREATE TABLE loud_b (id int)\; COMMENT ON TABLE loud_a IS 'shouting';
RESET planner_meta.log_statements;
SELECT count(*) AS statements_logged FROM planner_meta.change_statements;
SELECT action, object_identity, statements
  FROM planner_meta.changelog WHERE id > :mark AND object_name LIKE 'loud%' ORDER BY id;

-- Ordinary roles cannot switch tracking off or statement logging on.
CREATE ROLE pm_dev;
GRANT CREATE ON SCHEMA public TO pm_dev;
SET ROLE pm_dev;
SET planner_meta.enabled = off;
SET planner_meta.log_statements = on;
-- A role with no privilege on planner_meta runs DDL; the log names it.
CREATE TABLE dev_table (id int PRIMARY KEY);
ALTER TABLE dev_table ADD COLUMN note text;
-- It reads its own changes, and none about objects it cannot see.
SELECT session_role, acting_role, action, object_identity FROM planner_meta.changelog WHERE id > :mark ORDER BY id;
RESET ROLE;
SELECT acting_role, action, object_identity FROM planner_meta.changelog
 WHERE id > :mark AND object_name = 'dev_table' ORDER BY id;

DROP TABLE dev_table, quiet, loud_a, loud_b;
REVOKE CREATE ON SCHEMA public FROM pm_dev;
DROP ROLE pm_dev;
TRUNCATE planner_meta.change_statements;
SELECT count(*) AS differences FROM planner_meta.verify();

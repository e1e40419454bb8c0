-- DDL in a transaction is noted per statement and synchronised once, at
-- commit: each change still gets its own row, command tag and statement
-- order; a rollback leaves nothing; a planner_meta reader inside the
-- transaction already sees the transaction's own DDL.
CREATE SCHEMA mig;
CREATE TABLE mig.readers (id int PRIMARY KEY);
SELECT max(id) AS mark FROM planner_meta.change_log \gset

-- A migration: each change under the statement that made it, in order.  A
-- table created in the transaction is logged once, as created, with the
-- structure it has at commit.
BEGIN;
CREATE TABLE mig.authors (id int PRIMARY KEY, name text);
CREATE TABLE mig.books (id int PRIMARY KEY, title text);
ALTER TABLE mig.books ADD COLUMN author_id int REFERENCES mig.authors (id);
CREATE INDEX books_title ON mig.books (title);
COMMENT ON TABLE mig.authors IS 'people who write';
ALTER TABLE mig.readers ADD COLUMN favourite_book int REFERENCES mig.books (id);
COMMENT ON TABLE mig.readers IS 'people who read';
-- Not yet in the log: the rows are written at commit.
SELECT count(*) AS logged_before_commit FROM planner_meta.change_log WHERE id > :mark;
-- A reader in the same transaction sees the new structure.
SELECT jsonb_path_query_array(planner_meta.describe('mig.books'), '$.columns[*].name') AS columns_seen;
SELECT jsonb_path_query_array(planner_meta.plan('titles of books by author name') -> 'tables', '$[*].table')
       AS planned_in_transaction;
COMMIT;
SELECT command_tag, action, object_identity
  FROM planner_meta.changelog WHERE id > :mark ORDER BY id;
SELECT count(*) AS differences FROM planner_meta.verify();

-- A rolled-back migration leaves no change row and no cache row.
SELECT max(id) AS mark FROM planner_meta.change_log \gset
BEGIN;
CREATE TABLE mig.ghost (id int);
ALTER TABLE mig.books DROP COLUMN title;
ROLLBACK;
SELECT count(*) AS logged_after_rollback FROM planner_meta.change_log WHERE id > :mark;
SELECT count(*) AS ghost_cached FROM planner_meta.visible_relations WHERE rel_name = 'ghost';
SELECT count(*) AS differences FROM planner_meta.verify();

-- A statement rolled back to a savepoint is not logged; the rest is.
BEGIN;
CREATE TABLE mig.kept (id int);
SAVEPOINT s;
CREATE TABLE mig.undone (id int);
ROLLBACK TO SAVEPOINT s;
ALTER TABLE mig.kept ADD COLUMN note text;
COMMIT;
SELECT command_tag, action, object_identity
  FROM planner_meta.changelog WHERE id > :mark ORDER BY id;
SELECT count(*) AS differences FROM planner_meta.verify();

-- A failure of the commit-time synchronisation is a WARNING, never a failed
-- commit: the DDL commits, the cache is marked stale and repaired on read.
ALTER TABLE planner_meta.cache_columns ADD CONSTRAINT no_late CHECK (column_name <> 'late');
BEGIN;
CREATE TABLE mig.late_a (id int);
ALTER TABLE mig.late_a ADD COLUMN late int;
COMMIT;
ALTER TABLE planner_meta.cache_columns DROP CONSTRAINT no_late;
SELECT count(*) AS late_column_committed FROM pg_attribute
 WHERE attrelid = 'mig.late_a'::regclass AND attname = 'late';
SELECT command_tag, sqlstate FROM planner_meta.tracking_errors ORDER BY id DESC LIMIT 1;
SELECT stale FROM planner_meta.cache_status;
SELECT table_name FROM planner_meta.tables('mig') WHERE table_name = 'late_a';
SELECT count(*) AS differences FROM planner_meta.verify();

-- The same for a role with no privilege on planner_meta: the failure is
-- still recorded and the cache still marked stale.
CREATE ROLE pm_migrator;
GRANT CREATE, USAGE ON SCHEMA mig TO pm_migrator;
ALTER TABLE planner_meta.cache_columns ADD CONSTRAINT no_later CHECK (column_name <> 'later');
SET ROLE pm_migrator;
BEGIN;
CREATE TABLE mig.late_b (id int);
ALTER TABLE mig.late_b ADD COLUMN later int;
COMMIT;
RESET ROLE;
ALTER TABLE planner_meta.cache_columns DROP CONSTRAINT no_later;
SELECT command_tag, sqlstate FROM planner_meta.tracking_errors ORDER BY id DESC LIMIT 1;
SELECT stale FROM planner_meta.cache_status;
SELECT table_name FROM planner_meta.tables('mig') WHERE table_name = 'late_b';
SELECT count(*) AS differences FROM planner_meta.verify();

DROP SCHEMA mig CASCADE;
DROP ROLE pm_migrator;

-- The extension drops cleanly (its event triggers with it), DDL keeps
-- working without it, and a new install discovers the current catalog.
CREATE TABLE before_drop (id int);
-- Dropped in the same transaction as tracked DDL: the commit has nothing
-- left to synchronise, and says nothing.
BEGIN;
CREATE TABLE dropped_with (id int);
DROP EXTENSION planner_meta;
COMMIT;
SELECT count(*) AS event_triggers FROM pg_event_trigger WHERE evtname LIKE 'planner_meta%';
CREATE TABLE without_extension (id int);
DROP TABLE before_drop;
CREATE EXTENSION planner_meta;
SELECT action, object_identity FROM planner_meta.changelog
 WHERE object_identity LIKE '%extension%' OR object_identity LIKE '%before_drop%' ORDER BY id;
SELECT count(*) AS differences FROM planner_meta.verify();
DROP TABLE without_extension, dropped_with;

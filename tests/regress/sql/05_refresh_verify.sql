-- With tracking switched off (as during a bulk restore) the cache drifts;
-- verify() lists every difference, refresh() repairs it, logs what it found
-- and moves last_updated only where knowledge changed.
CREATE SCHEMA drift;
CREATE TABLE drift.a (id int PRIMARY KEY);
CREATE TABLE drift.b (id int PRIMARY KEY);
SELECT count(*) AS differences FROM planner_meta.verify();

CREATE TEMP TABLE before AS
SELECT r.rel_name, r.last_updated FROM planner_meta.visible_relations r WHERE r.schema_name = 'drift';
SELECT max(id) AS mark FROM planner_meta.change_log \gset
SELECT pg_sleep(0.01);

SET planner_meta.enabled = off;
ALTER TABLE drift.a ADD COLUMN note text;
ALTER TABLE drift.a ALTER COLUMN id TYPE bigint;
CREATE TABLE drift.c (a_id bigint REFERENCES drift.a (id));
RESET planner_meta.enabled;
SELECT count(*) AS rows_logged_while_off FROM planner_meta.change_log WHERE id > :mark;
SELECT * FROM planner_meta.verify() ORDER BY 1, 2, 3, 4;

SELECT jsonb_pretty(r -> 'differences') AS found, r -> 'change_rows' AS change_rows
  FROM planner_meta.refresh() r;
SELECT count(*) AS differences FROM planner_meta.verify();
SELECT r.rel_name, r.last_updated > b.last_updated AS moved
  FROM planner_meta.visible_relations r JOIN before b USING (rel_name)
 ORDER BY 1;
SELECT command_tag, action, details -> 'differences' -> 'relations' AS relations,
       jsonb_path_query_array(details, '$.changes[*].action') AS changes
  FROM planner_meta.changelog WHERE id > :mark;
-- A second refresh finds nothing to do and logs nothing.
SELECT r -> 'in_sync_before' AS in_sync, r -> 'change_rows' AS change_rows FROM planner_meta.refresh() r;
-- force also rebuilds the derived knowledge; the cache stays exact.
SELECT planner_meta.refresh(force => true) -> 'rebuilt' AS rebuilt;
SELECT count(*) AS differences FROM planner_meta.verify();
DROP SCHEMA drift CASCADE;
SELECT count(*) AS differences FROM planner_meta.verify();

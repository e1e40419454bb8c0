-- refresh() repairs drift and moves last_updated only where knowledge
-- changed; verify() lists every difference until then.
CREATE SCHEMA drift;
CREATE TABLE drift.a (id int PRIMARY KEY);
CREATE TABLE drift.b (id int PRIMARY KEY);
SELECT planner_meta.refresh() -> 'differences' -> 'relations' AS relation_changes;
SELECT count(*) AS differences FROM planner_meta.verify();

CREATE TEMP TABLE before AS
SELECT r.rel_name, r.last_updated FROM planner_meta.visible_relations r WHERE r.schema_name = 'drift';
SELECT pg_sleep(0.01);

ALTER TABLE drift.a ADD COLUMN note text;
ALTER TABLE drift.a ALTER COLUMN id TYPE bigint;
CREATE TABLE drift.c (a_id bigint REFERENCES drift.a (id));
SELECT * FROM planner_meta.verify() ORDER BY 1, 2, 3, 4;

SELECT jsonb_pretty(planner_meta.refresh() -> 'differences') AS found;
SELECT count(*) AS differences FROM planner_meta.verify();
SELECT r.rel_name, r.last_updated > b.last_updated AS moved
  FROM planner_meta.visible_relations r JOIN before b USING (rel_name)
 ORDER BY 1;
-- A second refresh finds nothing to do.
SELECT planner_meta.refresh() -> 'in_sync_before' AS in_sync;
-- force rebuilds every row.
SELECT planner_meta.refresh(force => true) -> 'rebuilt' AS rebuilt;
SELECT count(*) AS differences FROM planner_meta.verify();
DROP SCHEMA drift CASCADE;
SELECT planner_meta.refresh() -> 'differences' -> 'relations' AS relation_changes;

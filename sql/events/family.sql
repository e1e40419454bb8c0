-- Inheritance children (all generations) and parents of the relations $1,
-- in the catalog now or in the cache from before the change: ALTER on a
-- parent recurses to every descendant (ADD COLUMN, RENAME COLUMN), and
-- ATTACH, DETACH and partitioned row estimates move parents and
-- partitions together.
WITH RECURSIVE descendants AS (
    SELECT i.inhrelid AS rel FROM pg_inherits i WHERE i.inhparent = ANY ($1::oid[])
    UNION
    SELECT i.inhrelid FROM descendants d JOIN pg_inherits i ON i.inhparent = d.rel
)
SELECT coalesce(jsonb_agg(DISTINCT rel::bigint), '[]'::jsonb)
  FROM (SELECT rel FROM descendants
        UNION SELECT i.inhparent FROM pg_inherits i WHERE i.inhrelid = ANY ($1::oid[])
        UNION SELECT r.rel_oid FROM planner_meta.cache_relations r
               WHERE r.parent_oid = ANY ($1::oid[])
        UNION SELECT r.parent_oid FROM planner_meta.cache_relations r
               WHERE r.rel_oid = ANY ($1::oid[])) x
 WHERE rel IS NOT NULL

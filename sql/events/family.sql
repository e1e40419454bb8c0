-- Partitions and parents of the relations $1 (in the catalog now, or in the
-- cache from before the change): ATTACH, DETACH and row estimates of a
-- partitioned table move them together.
SELECT coalesce(jsonb_agg(DISTINCT rel::bigint), '[]'::jsonb)
  FROM (SELECT i.inhrelid AS rel FROM pg_inherits i WHERE i.inhparent = ANY ($1::oid[])
        UNION SELECT i.inhparent FROM pg_inherits i WHERE i.inhrelid = ANY ($1::oid[])
        UNION SELECT r.rel_oid FROM planner_meta.cache_relations r
               WHERE r.parent_oid = ANY ($1::oid[])
        UNION SELECT r.parent_oid FROM planner_meta.cache_relations r
               WHERE r.rel_oid = ANY ($1::oid[])) x
 WHERE rel IS NOT NULL

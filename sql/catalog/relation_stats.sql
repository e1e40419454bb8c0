-- Refreshes data-level knowledge of cached relations from pg_class alone (no
-- table is scanned); $1 limits to these relation oids (NULL: all).  A
-- partitioned table has no rows of its own, so it sums its leaf partitions.
INSERT INTO planner_meta.cache_relation_stats AS s (rel_oid, row_estimate, total_bytes, stats_updated)
SELECT r.rel_oid,
       CASE WHEN c.relkind = 'p' THEN
                (SELECT sum(greatest(pc.reltuples, 0))::bigint
                   FROM pg_partition_tree(c.oid) pt JOIN pg_class pc ON pc.oid = pt.relid
                  WHERE pt.isleaf)
            WHEN c.reltuples < 0 THEN NULL
            ELSE c.reltuples::bigint END,
       CASE WHEN c.relkind = 'p' THEN
                (SELECT sum(pg_total_relation_size(pt.relid))::bigint
                   FROM pg_partition_tree(c.oid) pt WHERE pt.isleaf)
            WHEN c.relkind IN ('r', 'm') THEN pg_total_relation_size(c.oid) END,
       now()
  FROM planner_meta.cache_relations r
  JOIN pg_class c ON c.oid = r.rel_oid
 WHERE (/*scope*/ r.rel_oid = ANY ($1::oid[]))
ON CONFLICT (rel_oid) DO UPDATE
   SET row_estimate = excluded.row_estimate,
       total_bytes = excluded.total_bytes,
       stats_updated = excluded.stats_updated

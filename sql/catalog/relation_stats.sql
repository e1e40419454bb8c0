-- Refreshes data-level knowledge of cached relations from pg_class and the
-- statistics collector alone (no table is scanned); $1 limits to these
-- relation oids (see /*scope*/).  A partitioned table has no rows of its
-- own, so it sums its leaf partitions.  Returns the row-estimate changes.
WITH fresh AS (
    SELECT r.rel_oid,
           CASE WHEN c.relkind = 'p' THEN
                    (SELECT sum(greatest(pc.reltuples, 0))::bigint
                       FROM pg_partition_tree(c.oid) pt JOIN pg_class pc ON pc.oid = pt.relid
                      WHERE pt.isleaf)
                WHEN c.reltuples < 0 THEN NULL
                ELSE c.reltuples::bigint END AS row_estimate,
           CASE WHEN c.relkind = 'p' THEN
                    (SELECT sum(pg_total_relation_size(pt.relid))::bigint
                       FROM pg_partition_tree(c.oid) pt WHERE pt.isleaf)
                WHEN c.relkind IN ('r', 'm') THEN pg_total_relation_size(c.oid) END AS total_bytes,
           pg_stat_get_last_analyze_time(c.oid) AS last_analyze,
           pg_stat_get_last_autoanalyze_time(c.oid) AS last_autoanalyze,
           pg_stat_get_mod_since_analyze(c.oid) AS mod_since_analyze
      FROM planner_meta.cache_relations r
      JOIN pg_class c ON c.oid = r.rel_oid
     WHERE (/*scope*/ r.rel_oid = ANY ($1::oid[]))
), old AS (
    SELECT s.rel_oid, s.row_estimate FROM planner_meta.cache_relation_stats s
     WHERE s.rel_oid IN (SELECT rel_oid FROM fresh)
), written AS (
    INSERT INTO planner_meta.cache_relation_stats AS s
           (rel_oid, row_estimate, total_bytes, last_analyze, last_autoanalyze, mod_since_analyze,
            stats_updated)
    SELECT f.*, now() FROM fresh f
    ON CONFLICT (rel_oid) DO UPDATE
       SET row_estimate = excluded.row_estimate, total_bytes = excluded.total_bytes,
           last_analyze = excluded.last_analyze, last_autoanalyze = excluded.last_autoanalyze,
           mod_since_analyze = excluded.mod_since_analyze, stats_updated = excluded.stats_updated
    RETURNING s.rel_oid
)
-- (a data-modifying CTE runs whether or not it is read)
SELECT coalesce(jsonb_agg(jsonb_build_object('rel_oid', f.rel_oid::bigint,
                                             'from', o.row_estimate, 'to', f.row_estimate)), '[]'::jsonb)
  FROM fresh f
  JOIN old o USING (rel_oid)
 WHERE o.row_estimate IS DISTINCT FROM f.row_estimate

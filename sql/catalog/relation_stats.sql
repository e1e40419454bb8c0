-- Refreshes data-level knowledge of cached relations from pg_class and the
-- statistics collector alone (no table is scanned, no relation is locked);
-- $1 limits to these relation oids (see /*scope*/).  A partitioned table
-- has no rows of its own, so it sums its leaf partitions.  Returns the
-- row-estimate changes.
WITH RECURSIVE tree AS (
    -- Partitions under each relation, read from pg_inherits: unlike
    -- pg_partition_tree() this takes no lock on any partition.
    SELECT r.rel_oid AS root, r.rel_oid AS relid
      FROM planner_meta.cache_relations r
     WHERE (/*scope*/ r.rel_oid = ANY ($1::oid[]))
    UNION ALL
    SELECT t.root, i.inhrelid FROM tree t JOIN pg_inherits i ON i.inhparent = t.relid
), sizes AS (
    -- Sizes come from relpages of the relation, its indexes and its TOAST
    -- table: as of the last VACUUM or ANALYZE, and without the lock that
    -- pg_total_relation_size() would take on relations the DDL did not
    -- touch (a lock that could deadlock with other sessions' DDL).
    SELECT t.root,
           sum(CASE WHEN c.relkind IN ('r', 'm') AND c.reltuples >= 0 THEN c.reltuples END)::bigint AS leaf_rows,
           sum(c.relpages::bigint
               + coalesce((SELECT sum(ic.relpages) FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid
                            WHERE x.indrelid = c.oid), 0)
               + coalesce((SELECT tc.relpages FROM pg_class tc WHERE tc.oid = c.reltoastrelid), 0))
             * current_setting('block_size')::bigint AS total_bytes
      FROM tree t JOIN pg_class c ON c.oid = t.relid
     GROUP BY t.root
), fresh AS (
    SELECT r.rel_oid,
           CASE WHEN c.relkind = 'p' THEN sz.leaf_rows
                WHEN c.reltuples < 0 THEN NULL
                ELSE c.reltuples::bigint END AS row_estimate,
           CASE WHEN c.relkind IN ('r', 'm', 'p') THEN sz.total_bytes END AS total_bytes,
           pg_stat_get_last_analyze_time(c.oid) AS last_analyze,
           pg_stat_get_last_autoanalyze_time(c.oid) AS last_autoanalyze,
           pg_stat_get_mod_since_analyze(c.oid) AS mod_since_analyze
      FROM planner_meta.cache_relations r
      JOIN pg_class c ON c.oid = r.rel_oid
      JOIN sizes sz ON sz.root = r.rel_oid
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

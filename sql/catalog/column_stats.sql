-- Copies pg_stats of cached relations into cache_column_stats; $1 limits
-- to these relation oids (see /*scope*/).  Runs as the extension owner, so
-- every column's statistics are read; the visible_column_stats view decides
-- who may see them.  Columns that lost their statistics lose their row.
WITH scope AS (
    SELECT r.rel_oid, r.schema_name, r.rel_name, c.relkind
      FROM planner_meta.cache_relations r
      JOIN pg_class c ON c.oid = r.rel_oid
     WHERE (/*scope*/ r.rel_oid = ANY ($1::oid[]))
), fresh AS (
    SELECT sc.rel_oid, a.attnum, s.null_frac, s.n_distinct, s.avg_width,
           s.most_common_vals::text AS most_common_vals, s.most_common_freqs,
           s.histogram_bounds::text AS histogram_bounds, s.correlation
      FROM scope sc
      JOIN pg_stats s ON s.schemaname = sc.schema_name AND s.tablename = sc.rel_name
                     AND s.inherited = (sc.relkind = 'p')
      JOIN pg_attribute a ON a.attrelid = sc.rel_oid AND a.attname = s.attname
), gone AS (
    DELETE FROM planner_meta.cache_column_stats cs
     USING scope sc
     WHERE cs.rel_oid = sc.rel_oid
       AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.rel_oid = cs.rel_oid AND f.attnum = cs.attnum)
)
INSERT INTO planner_meta.cache_column_stats AS cs
SELECT f.*, now() FROM fresh f
ON CONFLICT (rel_oid, attnum) DO UPDATE
   SET null_frac = excluded.null_frac, n_distinct = excluded.n_distinct,
       avg_width = excluded.avg_width, most_common_vals = excluded.most_common_vals,
       most_common_freqs = excluded.most_common_freqs, histogram_bounds = excluded.histogram_bounds,
       correlation = excluded.correlation, stats_updated = excluded.stats_updated

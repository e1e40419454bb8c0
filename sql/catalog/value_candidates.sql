-- Columns the value index may cover, in relations $1 (NULL: all): text-like
-- columns of tables and materialized views, not hidden from the planner nor
-- excluded by a "planner: no_values" comment, whose estimated number of
-- distinct values (when statistics exist) is at most $2.  Names come
-- quoted by PostgreSQL, ready for the reading query.  Each says whether
-- the index holds it: not yet ('new'), older than planner_meta.max_age or
-- than the relation's last ANALYZE ('stale'), or 'fresh'; and whether its
-- relation is a plain table, whose pages the pass counts before reading.
-- Names are quoted from the cache once per relation (regclass output per
-- column cost a tenth of a second at 10,000 tables).
WITH rels AS MATERIALIZED (
    SELECT r.rel_oid, format('%I.%I', r.schema_name, r.rel_name) AS relation,
           r.kind = 'table' AS plain_table
      FROM planner_meta.cache_relations r
     WHERE ($1::oid[] IS NULL OR r.rel_oid = ANY ($1::oid[]))
       AND r.kind IN ('table', 'partitioned_table', 'materialized_view')
       AND r.parent_oid IS NULL
)
SELECT coalesce(jsonb_agg(jsonb_build_object(
           'rel_oid', c.rel_oid::bigint, 'attnum', c.attnum,
           'relation', r.relation, 'column', quote_ident(c.column_name),
           'state', CASE WHEN vc.built_at IS NULL THEN 'new'
                         WHEN planner_meta.relation_data_is_stale(c.rel_oid, vc.built_at)
                         THEN 'stale' ELSE 'fresh' END,
           'plain_table', r.plain_table)
           ORDER BY c.rel_oid, c.attnum), '[]'::jsonb)
  FROM rels r
  JOIN planner_meta.cache_columns c ON c.rel_oid = r.rel_oid
  LEFT JOIN planner_meta.cache_value_columns vc ON vc.rel_oid = c.rel_oid AND vc.attnum = c.attnum
  LEFT JOIN planner_meta.cache_column_stats s ON s.rel_oid = c.rel_oid AND s.attnum = c.attnum
  LEFT JOIN planner_meta.cache_relation_stats rs ON rs.rel_oid = c.rel_oid
 WHERE c.data_type ~ '^(text|character|name|citext)'
   AND coalesce(c.comment, '') !~* 'planner:.*(no_values|hide)'
   AND coalesce(CASE WHEN s.n_distinct >= 0 THEN s.n_distinct
                     ELSE -s.n_distinct * greatest(coalesce(rs.row_estimate, 0), 1) END, 0) <= $2

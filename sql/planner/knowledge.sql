-- What plan() and context() may use, for the calling role only: visible
-- relations (partitions folded under their parent) with columns and primary
-- keys, visible foreign keys, typical values of text-like columns the role
-- may read (pg_stats shows a column's statistics only to roles that may
-- SELECT it, and none under row-level security), enum labels, synonyms.
WITH rels AS (
    SELECT r.rel_oid, r.schema_name, r.rel_name, r.kind, r.comment
      FROM planner_meta.visible_relations r
     WHERE r.parent_oid IS NULL
), cols AS (
    SELECT c.rel_oid,
           jsonb_agg(jsonb_build_object('name', c.column_name, 'type', c.data_type, 'not_null', c.not_null,
                                        'comment', c.comment) ORDER BY c.attnum) AS columns
      FROM planner_meta.visible_columns c
     GROUP BY c.rel_oid
), pks AS (
    SELECT k.rel_oid, k.columns FROM planner_meta.visible_constraints k
     WHERE k.constraint_type = 'primary_key'
), text_stats AS (
    SELECT r.schema_name, r.rel_name, c.column_name, s.most_common_vals, s.histogram_bounds,
           -- distinct values, estimated the way the planner does
           -- (row count from pg_class, current as of the last ANALYZE)
           CASE WHEN s.n_distinct >= 0 THEN s.n_distinct
                ELSE -s.n_distinct * greatest(pc.reltuples, 1) END AS distinct_values
      FROM rels r
      JOIN pg_catalog.pg_class pc ON pc.oid = r.rel_oid
      JOIN planner_meta.visible_columns c ON c.rel_oid = r.rel_oid
      JOIN pg_catalog.pg_stats s
        ON s.schemaname = r.schema_name AND s.tablename = r.rel_name AND s.attname = c.column_name
     WHERE c.data_type ~ '^(text|character|name|citext)'
), stats_values AS (
    -- Most common values; and, for columns with few distinct values, the
    -- histogram bounds, which then hold nearly every other value (a column
    -- of distinct names has no most-common values at all).
    SELECT t.schema_name, t.rel_name, t.column_name, v.value
      FROM text_stats t
     CROSS JOIN LATERAL unnest(t.most_common_vals::text::text[]) AS v(value)
     WHERE length(v.value) BETWEEN 2 AND 100
    UNION
    SELECT t.schema_name, t.rel_name, t.column_name, v.value
      FROM text_stats t
     CROSS JOIN LATERAL unnest(t.histogram_bounds::text::text[]) AS v(value)
     WHERE t.distinct_values <= 200 AND length(v.value) BETWEEN 2 AND 100
), index_values AS (
    SELECT v.schema_name, v.table_name AS rel_name, v.column_name, v.value
      FROM planner_meta.visible_values v
      JOIN rels r ON r.rel_oid = v.rel_oid
     WHERE length(v.value) BETWEEN 2 AND 100
), enum_values AS (
    SELECT r.schema_name, r.rel_name, c.column_name, l.value
      FROM rels r
      JOIN planner_meta.visible_columns c ON c.rel_oid = r.rel_oid
      JOIN planner_meta.visible_enums e ON e.type_oid = c.type_oid
     CROSS JOIN LATERAL unnest(e.labels) AS l(value)
)
SELECT jsonb_build_object(
    'tables', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'schema', r.schema_name, 'name', r.rel_name, 'kind', r.kind, 'comment', r.comment,
                   'primary_key', coalesce(to_jsonb(p.columns), '[]'::jsonb),
                   'columns', coalesce(c.columns, '[]'::jsonb)) ORDER BY r.schema_name, r.rel_name), '[]'::jsonb)
                 FROM rels r LEFT JOIN cols c USING (rel_oid) LEFT JOIN pks p USING (rel_oid)),
    -- Keys declared on partitions are folded onto the partitioned parent,
    -- the table questions are planned against.
    'foreign_keys', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'name', k.constraint_name, 'from_schema', k.from_schema, 'from_table', k.from_table,
                   'from_columns', k.from_columns, 'to_schema', k.to_schema, 'to_table', k.to_table,
                   'to_columns', k.to_columns, 'one_to_one', k.one_to_one)
                   ORDER BY k.from_schema, k.from_table, k.constraint_name), '[]'::jsonb)
                 FROM (SELECT DISTINCT ON (fs, ft, f.from_columns, ts, tt, f.to_columns)
                              f.constraint_name, fs AS from_schema, ft AS from_table, f.from_columns,
                              ts AS to_schema, tt AS to_table, f.to_columns, f.one_to_one
                         FROM planner_meta.visible_relationships f
                         LEFT JOIN planner_meta.visible_relations fr ON fr.rel_oid = f.from_rel_oid
                         LEFT JOIN planner_meta.visible_relations fp ON fp.rel_oid = fr.parent_oid
                         LEFT JOIN planner_meta.visible_relations tr ON tr.rel_oid = f.to_rel_oid
                         LEFT JOIN planner_meta.visible_relations tp ON tp.rel_oid = tr.parent_oid
                        CROSS JOIN LATERAL (SELECT coalesce(fp.schema_name, f.from_schema) AS fs,
                                                   coalesce(fp.rel_name, f.from_table) AS ft,
                                                   coalesce(tp.schema_name, f.to_schema) AS ts,
                                                   coalesce(tp.rel_name, f.to_table) AS tt) n
                        ORDER BY fs, ft, f.from_columns, ts, tt, f.to_columns, f.constraint_name) k),
    'values', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'schema', x.schema_name, 'table', x.rel_name, 'column', x.column_name,
                   'value', x.value, 'source', x.source)), '[]'::jsonb)
                 FROM (SELECT *, 'pg_stats' AS source FROM stats_values
                       UNION ALL SELECT *, 'value index' FROM index_values
                       UNION ALL SELECT *, 'enum' FROM enum_values) x),
    'synonyms', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'term', s.term, 'schema', s.schema_name, 'table', s.table_name,
                   'column', s.column_name, 'value', s.value)), '[]'::jsonb)
                 FROM planner_meta.synonyms s))

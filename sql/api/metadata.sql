-- The cache as one document in the seed's shape, keyed by database name:
-- {db: {schemas: {s: {tables: {t: {columns, relationships, last_updated}},
--  last_updated}}, last_updated}}.  $1: one schema name, or NULL for all.
-- Partitions are folded under their parent table.
WITH rels AS (
    SELECT r.*
      FROM planner_meta.visible_relations r
     WHERE r.parent_oid IS NULL
       AND ($1::text IS NULL OR r.schema_name = $1::text)
), tables AS (
    SELECT r.schema_oid, r.rel_name, jsonb_build_object(
        'kind',         r.kind,
        'comment',      r.comment,
        'row_estimate', r.row_estimate,
        'columns', (
            SELECT coalesce(jsonb_agg(jsonb_build_object(
                       'name', c.column_name, 'type', c.data_type,
                       'nullable', NOT c.not_null, 'default', c.default_expr,
                       'comment', c.comment) ORDER BY c.attnum), '[]'::jsonb)
              FROM planner_meta.visible_columns c WHERE c.rel_oid = r.rel_oid),
        'primary_key', (
            SELECT k.columns FROM planner_meta.visible_constraints k
             WHERE k.rel_oid = r.rel_oid AND k.constraint_type = 'primary_key'),
        'relationships', (
            SELECT coalesce(jsonb_agg(x.rel ORDER BY x.rel->>'constraint'), '[]'::jsonb)
              FROM (SELECT jsonb_build_object(
                               'direction', 'outgoing', 'constraint', f.constraint_name,
                               'columns', f.from_columns,
                               'table', format('%I.%I', f.to_schema, f.to_table),
                               'table_columns', f.to_columns, 'one_to_one', f.one_to_one) AS rel
                      FROM planner_meta.visible_relationships f WHERE f.from_rel_oid = r.rel_oid
                    UNION ALL
                    SELECT jsonb_build_object(
                               'direction', 'incoming', 'constraint', f.constraint_name,
                               'columns', f.to_columns,
                               'table', format('%I.%I', f.from_schema, f.from_table),
                               'table_columns', f.from_columns, 'one_to_one', f.one_to_one)
                      FROM planner_meta.visible_relationships f WHERE f.to_rel_oid = r.rel_oid) x),
        'partitions', (
            SELECT jsonb_agg(p.rel_name ORDER BY p.rel_name)
              FROM planner_meta.visible_relations p WHERE p.parent_oid = r.rel_oid),
        'last_updated', r.last_updated) AS doc
      FROM rels r
), schemas AS (
    SELECT s.schema_name, jsonb_build_object(
        'tables', coalesce((SELECT jsonb_object_agg(t.rel_name, t.doc)
                              FROM tables t WHERE t.schema_oid = s.schema_oid), '{}'::jsonb),
        'comment', s.comment,
        'last_updated', s.last_updated) AS doc
      FROM planner_meta.visible_schemas s
     WHERE $1::text IS NULL OR s.schema_name = $1::text
)
SELECT jsonb_build_object(st.database_name, jsonb_build_object(
           'schemas', coalesce((SELECT jsonb_object_agg(s.schema_name, s.doc) FROM schemas s),
                               '{}'::jsonb),
           'last_updated', st.last_updated))
  FROM planner_meta.cache_status st

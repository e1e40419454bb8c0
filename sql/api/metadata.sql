-- The cache as one document in the seed's shape, keyed by database name:
-- {db: {schemas: {s: {tables: {t: {columns, relationships, last_updated}},
--  last_updated}}, last_updated}}.  $1: one schema name, or NULL for all.
-- Partitions are folded under their parent table.  Each part is aggregated
-- once for all relations (MATERIALIZED: never re-run per row) and then
-- joined, so the cost is linear in the size of the database.
WITH rels AS MATERIALIZED (
    SELECT r.*
      FROM planner_meta.visible_relations r
     WHERE $1::text IS NULL OR r.schema_name = $1::text
), cols AS MATERIALIZED (
    SELECT c.rel_oid,
           jsonb_agg(jsonb_build_object(
               'name', c.column_name, 'type', c.data_type, 'nullable', NOT c.not_null,
               'default', c.default_expr, 'comment', c.comment) ORDER BY c.attnum) AS columns
      FROM planner_meta.visible_columns c
     WHERE $1::text IS NULL OR c.rel_oid IN (SELECT rel_oid FROM rels)
     GROUP BY c.rel_oid
), pks AS MATERIALIZED (
    SELECT k.rel_oid, k.columns
      FROM planner_meta.visible_constraints k
     WHERE k.constraint_type = 'primary_key'
), links AS MATERIALIZED (
    SELECT f.from_rel_oid AS rel_oid, f.constraint_name,
           jsonb_build_object('direction', 'outgoing', 'constraint', f.constraint_name,
                              'columns', f.from_columns,
                              'table', format('%I.%I', f.to_schema, f.to_table),
                              'table_columns', f.to_columns, 'one_to_one', f.one_to_one) AS link
      FROM planner_meta.visible_relationships f
    UNION ALL
    SELECT f.to_rel_oid, f.constraint_name,
           jsonb_build_object('direction', 'incoming', 'constraint', f.constraint_name,
                              'columns', f.to_columns,
                              'table', format('%I.%I', f.from_schema, f.from_table),
                              'table_columns', f.from_columns, 'one_to_one', f.one_to_one)
      FROM planner_meta.visible_relationships f
), rel_links AS MATERIALIZED (
    SELECT l.rel_oid, jsonb_agg(l.link ORDER BY l.constraint_name, l.link->>'direction') AS relationships
      FROM links l
     GROUP BY l.rel_oid
), parts AS MATERIALIZED (
    SELECT p.parent_oid, jsonb_agg(p.rel_name ORDER BY p.rel_name) AS partitions
      FROM rels p
     WHERE p.parent_oid IS NOT NULL
     GROUP BY p.parent_oid
), tables AS (
    SELECT r.schema_oid, r.rel_name, jsonb_build_object(
               'kind',          r.kind,
               'comment',       r.comment,
               'row_estimate',  r.row_estimate,
               'columns',       coalesce(c.columns, '[]'::jsonb),
               'primary_key',   pk.columns,
               'relationships', coalesce(l.relationships, '[]'::jsonb),
               'partitions',    pa.partitions,
               'last_updated',  r.last_updated) AS doc
      FROM rels r
      LEFT JOIN cols c       ON c.rel_oid = r.rel_oid
      LEFT JOIN pks pk       ON pk.rel_oid = r.rel_oid
      LEFT JOIN rel_links l  ON l.rel_oid = r.rel_oid
      LEFT JOIN parts pa     ON pa.parent_oid = r.rel_oid
     WHERE r.parent_oid IS NULL
), schema_tables AS (
    SELECT t.schema_oid, jsonb_object_agg(t.rel_name, t.doc) AS tables
      FROM tables t
     GROUP BY t.schema_oid
), schemas AS (
    SELECT s.schema_name, jsonb_build_object(
               'tables',       coalesce(st.tables, '{}'::jsonb),
               'comment',      s.comment,
               'last_updated', s.last_updated) AS doc
      FROM planner_meta.visible_schemas s
      LEFT JOIN schema_tables st ON st.schema_oid = s.schema_oid
     WHERE $1::text IS NULL OR s.schema_name = $1::text
)
SELECT jsonb_build_object(cs.database_name, jsonb_build_object(
           'schemas', coalesce((SELECT jsonb_object_agg(s.schema_name, s.doc) FROM schemas s),
                               '{}'::jsonb),
           'last_updated', cs.last_updated))
  FROM planner_meta.cache_status cs

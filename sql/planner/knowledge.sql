-- What plan() and context() may use of the relations $1 (all relations
-- when the scope marker is lifted), for the calling role only: visible
-- relations (partitions folded under their parent) with columns and
-- primary keys, visible foreign keys between them, and their typical
-- values from the linking index: values from statistics and enum labels,
-- and of the value index those whose first stem is among the question's
-- stems $2 and a few per column to show as examples.  Synonyms are few
-- and user-written: all of them.
WITH rels AS (
    SELECT r.rel_oid, r.schema_name, r.rel_name, r.kind, r.comment
      FROM planner_meta.visible_relations r
     WHERE r.parent_oid IS NULL AND (/*scope*/ r.rel_oid = ANY ($1::oid[]))
), members AS (
    -- the relations and their partitions, each under the relation planned for
    SELECT r.rel_oid, r.schema_name, r.rel_name FROM rels r
    UNION ALL
    SELECT p.rel_oid, r.schema_name, r.rel_name
      FROM planner_meta.visible_relations p
      JOIN rels r ON r.rel_oid = p.parent_oid
     WHERE (/*scope*/ p.parent_oid = ANY ($1::oid[]))
), cols AS (
    -- Every read below filters by the relations' oids itself, so that it is
    -- an index probe per relation whatever the size of the database.
    SELECT c.rel_oid,
           jsonb_agg(jsonb_build_object('name', c.column_name, 'type', c.data_type, 'not_null', c.not_null,
                                        'comment', c.comment) ORDER BY c.attnum) AS columns
      FROM planner_meta.visible_columns c
     WHERE (/*scope*/ c.rel_oid = ANY ($1::oid[]))
     GROUP BY c.rel_oid
), pks AS (
    SELECT k.rel_oid, k.columns FROM planner_meta.visible_constraints k
     WHERE (/*scope*/ k.rel_oid = ANY ($1::oid[])) AND k.constraint_type = 'primary_key'
), linked_values AS (
    SELECT v.rel_oid, v.attnum, v.source, v.value, v.first_stem,
           row_number() OVER (PARTITION BY v.rel_oid, v.attnum, v.source ORDER BY v.value) AS nth
      FROM planner_meta.visible_link_values v
     WHERE (/*scope*/ v.rel_oid = ANY ($1::oid[]))
), shown_values AS (
    SELECT r.schema_name, r.rel_name, c.column_name, c.attnum, v.value, v.source,
           array_position(ARRAY['pg_stats', 'value index', 'enum'], v.source) AS source_rank
      FROM linked_values v
      JOIN rels r USING (rel_oid)
      JOIN planner_meta.visible_columns c USING (rel_oid, attnum)
     WHERE v.source <> 'value index' OR v.first_stem = ANY ($2::text[]) OR v.nth <= 3
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
                   'to_columns', k.to_columns, 'one_to_one', k.one_to_one, 'is_temporal', k.is_temporal)
                   ORDER BY k.from_schema, k.from_table, k.constraint_name), '[]'::jsonb)
                 FROM (SELECT DISTINCT ON (fm.schema_name, fm.rel_name, f.from_columns,
                                           tm.schema_name, tm.rel_name, f.to_columns)
                              f.constraint_name, fm.schema_name AS from_schema, fm.rel_name AS from_table,
                              f.from_columns, tm.schema_name AS to_schema, tm.rel_name AS to_table,
                              f.to_columns, f.one_to_one, f.is_temporal
                         FROM planner_meta.visible_relationships f
                         JOIN members fm ON fm.rel_oid = f.from_rel_oid
                         JOIN members tm ON tm.rel_oid = f.to_rel_oid
                        WHERE f.from_rel_oid = ANY (ARRAY(SELECT m.rel_oid FROM members m))
                        ORDER BY fm.schema_name, fm.rel_name, f.from_columns, tm.schema_name, tm.rel_name,
                                 f.to_columns, f.constraint_name) k),
    'values', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'schema', x.schema_name, 'table', x.rel_name, 'column', x.column_name,
                   'value', x.value, 'source', x.source)
                   ORDER BY x.source_rank, x.schema_name, x.rel_name, x.attnum, x.value), '[]'::jsonb)
                 FROM shown_values x),
    'synonyms', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'term', s.term, 'schema', s.schema_name, 'table', s.table_name,
                   'column', s.column_name, 'value', s.value)), '[]'::jsonb)
                 FROM planner_meta.synonyms s))

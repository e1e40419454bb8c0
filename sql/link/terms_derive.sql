-- The terms the cache rows of the relations $1 derive (rels, cols,
-- terms): the head of rewriting them where DDL changed them
-- (terms_sync.sql) and of a forced rebuild (terms_rebuild.sql).
WITH rels AS (
    SELECT r.rel_oid, r.rel_name, r.comment
      FROM planner_meta.cache_relations r
     WHERE (/*scope*/ r.rel_oid = ANY ($1::oid[])) AND r.parent_oid IS NULL
), cols AS (
    SELECT c.rel_oid, c.attnum, c.column_name, c.comment, c.type_oid
      FROM rels r
      JOIN planner_meta.cache_columns c USING (rel_oid)
), column_terms AS MATERIALIZED (
    -- once per distinct name and comment: many relations repeat the same
    -- columns (id, name, created_at), and deriving terms costs more than
    -- the join back (materialized, or the planner derives them per row
    -- again after the join)
    SELECT n.column_name, n.comment, t.kind, t.phrase
      FROM (SELECT DISTINCT c.column_name, c.comment FROM cols c) n
     CROSS JOIN LATERAL planner_meta.object_terms(n.column_name, n.comment, false) t
), terms AS (
    SELECT r.rel_oid, 0::int2 AS attnum, t.kind, t.phrase
      FROM rels r
     CROSS JOIN LATERAL planner_meta.object_terms(r.rel_name, r.comment, true) t
    UNION ALL
    SELECT c.rel_oid, c.attnum, t.kind, t.phrase
      FROM cols c
      JOIN column_terms t ON t.column_name = c.column_name
                         AND (t.comment = c.comment OR (t.comment IS NULL AND c.comment IS NULL))

-- Rewrites the terms (and enum-label values) of single objects of
-- relations, $1 relation oids and $2 attnums pairwise (0: the relation
-- itself), from their cache rows: what a statement that renamed, added,
-- dropped or re-commented a column or re-commented a table changed.  An
-- object no longer cached loses its terms.  Ends with terms_labels.sql and
-- terms_write.sql.
WITH objects AS (
    SELECT o.rel_oid, o.attnum FROM unnest($1::oid[], $2::int2[]) AS o(rel_oid, attnum)
), rels AS (
    SELECT r.rel_oid, r.rel_name, r.comment
      FROM planner_meta.cache_relations r
     WHERE r.rel_oid = ANY ($1::oid[]) AND r.parent_oid IS NULL
), cols AS (
    SELECT c.rel_oid, c.attnum, c.column_name, c.comment, c.type_oid
      FROM objects o
      JOIN rels r USING (rel_oid)
      JOIN planner_meta.cache_columns c ON c.rel_oid = o.rel_oid AND c.attnum = o.attnum
), terms AS (
    SELECT r.rel_oid, 0::int2 AS attnum, t.kind, t.phrase
      FROM rels r
      JOIN objects o ON o.rel_oid = r.rel_oid AND o.attnum = 0
     CROSS JOIN LATERAL planner_meta.object_terms(r.rel_name, r.comment, true) t
    UNION ALL
    SELECT c.rel_oid, c.attnum, t.kind, t.phrase
      FROM cols c
     CROSS JOIN LATERAL planner_meta.object_terms(c.column_name, c.comment, false) t
), gone AS (
    DELETE FROM planner_meta.link_terms l
     USING objects o
     WHERE l.rel_oid = ANY ($1::oid[]) AND l.rel_oid = o.rel_oid AND l.attnum = o.attnum
), gone_labels AS (
    DELETE FROM planner_meta.link_values l
     USING objects o
     WHERE l.rel_oid = ANY ($1::oid[]) AND l.rel_oid = o.rel_oid AND l.attnum = o.attnum
       AND l.source = 'enum'

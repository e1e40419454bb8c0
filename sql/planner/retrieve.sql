-- Candidate retrieval for one question: $1 the dictionary's phrases its
-- keys reached (see retrieve.rs), $2 its stems.  Per phrase and kind of
-- term, at most a few objects the caller may see: a
-- name shared by more tables than the cap is common, and then only counts
-- on tables found otherwise (the count of a capped phrase is the cap).
-- Values by first stem; synonyms whose words the question has.
WITH phrases AS (
    SELECT DISTINCT p.phrase FROM unnest($1::text[]) AS p(phrase)
), kinds (kind, on_relation, cap) AS (
    VALUES ('n', true, 201), ('n', false, 21), ('s', true, 201), ('s', false, 201),
           ('c', true, 21), ('c', false, 21)
), terms AS (
    SELECT t.rel_oid, t.attnum, k.kind, p.phrase
      FROM phrases p
     CROSS JOIN kinds k
     CROSS JOIN LATERAL (SELECT v.rel_oid, v.attnum FROM planner_meta.visible_link_terms v
                          WHERE v.phrase = p.phrase AND v.kind = k.kind
                            AND (v.attnum = 0) = k.on_relation
                          LIMIT k.cap) t
), value_relations AS (
    SELECT DISTINCT x.rel_oid
      FROM unnest($2::text[]) AS s(stem)
     CROSS JOIN LATERAL (SELECT v.rel_oid FROM planner_meta.visible_link_values v
                          WHERE v.first_stem = s.stem LIMIT 50) x
), synonym_relations AS (
    SELECT DISTINCT r.rel_oid
      FROM planner_meta.synonyms s
     CROSS JOIN LATERAL (SELECT to_regclass(format('%I.%I', s.schema_name, s.table_name))::oid
                           AS rel_oid) r
     WHERE planner_meta.content_stems(s.term) && $2::text[] AND r.rel_oid IS NOT NULL
)
SELECT jsonb_build_object(
    'terms', (SELECT coalesce(jsonb_agg(jsonb_build_array(t.rel_oid::bigint, t.attnum, t.kind, t.phrase)), '[]'::jsonb)
                FROM terms t),
    'value_relations', (SELECT coalesce(jsonb_agg(v.rel_oid::bigint), '[]'::jsonb) FROM value_relations v),
    'synonym_relations', (SELECT coalesce(jsonb_agg(s.rel_oid::bigint), '[]'::jsonb) FROM synonym_relations s))

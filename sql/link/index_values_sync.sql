-- Rewrites the values linked from the value index for the relations $1,
-- after refresh_values() (or a read's stale-value refresh) rewrote them.
WITH gone AS (
    DELETE FROM planner_meta.link_values l
     WHERE (/*scope*/ l.rel_oid = ANY ($1::oid[])) AND l.source = 'value index'
)
INSERT INTO planner_meta.link_values (rel_oid, attnum, source, first_stem, phrase, value)
SELECT v.rel_oid, v.attnum, 'value index', split_part(p.phrase, ' ', 1), p.phrase, v.value
  FROM planner_meta.cache_values v
 CROSS JOIN LATERAL (SELECT planner_meta.value_phrase(v.value) AS phrase) p
 WHERE (/*scope*/ v.rel_oid = ANY ($1::oid[]))
   AND length(v.value) BETWEEN 2 AND 100 AND p.phrase IS NOT NULL

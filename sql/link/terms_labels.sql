-- Enum labels of the columns rewritten (cols), after their old labels
-- were deleted (gone_labels): shared by every rewrite of the terms.
), labels AS (
    INSERT INTO planner_meta.link_values (rel_oid, attnum, source, first_stem, phrase, value)
    SELECT c.rel_oid, c.attnum, 'enum', split_part(p.phrase, ' ', 1), p.phrase, l.value
      FROM cols c
      JOIN planner_meta.cache_enums e ON e.type_oid = c.type_oid
     CROSS JOIN LATERAL unnest(e.labels) AS l(value)
     CROSS JOIN LATERAL (SELECT planner_meta.value_phrase(l.value) AS phrase) p
     WHERE length(l.value) BETWEEN 2 AND 100 AND p.phrase IS NOT NULL

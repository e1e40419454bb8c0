-- The end shared by terms_sync.sql and object_terms_sync.sql, which each
-- define what is rewritten (rels, cols, terms) and delete what was there
-- (gone, gone_labels): enum labels of the columns rewritten, new phrases
-- into the dictionary, then the terms.  New phrases enter the dictionary
-- in one order, so that concurrent DDL adding the same new names waits
-- instead of deadlocking.
), labels AS (
    INSERT INTO planner_meta.link_values (rel_oid, attnum, source, first_stem, phrase, value)
    SELECT c.rel_oid, c.attnum, 'enum', split_part(p.phrase, ' ', 1), p.phrase, l.value
      FROM cols c
      JOIN planner_meta.cache_enums e ON e.type_oid = c.type_oid
     CROSS JOIN LATERAL unnest(e.labels) AS l(value)
     CROSS JOIN LATERAL (SELECT planner_meta.value_phrase(l.value) AS phrase) p
     WHERE length(l.value) BETWEEN 2 AND 100 AND p.phrase IS NOT NULL
), phrases AS (
    INSERT INTO planner_meta.link_phrases (phrase, keys)
    SELECT n.phrase, planner_meta.phrase_keys(n.phrase)
      FROM (SELECT DISTINCT t.phrase FROM terms t) n
      -- a probe per new phrase: the plan is kept and generic, and must not
      -- turn into a scan of the whole dictionary for a statement's few terms
      LEFT JOIN LATERAL (SELECT true AS known FROM planner_meta.link_phrases x
                          WHERE x.phrase = n.phrase LIMIT 1) k ON true
     WHERE k.known IS NULL
     ORDER BY n.phrase
    ON CONFLICT DO NOTHING
)
INSERT INTO planner_meta.link_terms (rel_oid, attnum, kind, phrase)
SELECT t.rel_oid, t.attnum, t.kind, t.phrase FROM terms t

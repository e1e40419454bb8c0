-- The end shared by terms_sync.sql and object_terms_sync.sql, which each
-- define what is rewritten (rels, cols, terms) and delete what was there
-- (gone, gone_labels): new phrases into the dictionary, then the terms.
-- New phrases enter the dictionary in one order, so that concurrent DDL
-- adding the same new names waits instead of deadlocking.
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

-- A forced rebuild of the term index, its dictionary and the enum labels
-- from the cache, after terms_derive.sql over every relation and before
-- terms_labels.sql.  Only relations whose terms differ are rewritten, so
-- an index that was right costs one comparison instead of a rewrite of
-- every term (half a second at 10,000 tables).  The two sides are compared
-- as one sorted array per relation: joined on the relation alone, never on
-- phrases that thousands of tables share.  Phrases no term uses leave the
-- dictionary.  Returns how many terms were written.
), derived_sets AS MATERIALIZED (
    SELECT t.rel_oid, array_agg(ROW(t.attnum, t.kind, t.phrase)::text ORDER BY t.attnum, t.kind, t.phrase) AS terms
      FROM terms t GROUP BY t.rel_oid
), indexed_sets AS MATERIALIZED (
    SELECT l.rel_oid, array_agg(ROW(l.attnum, l.kind, l.phrase)::text ORDER BY l.attnum, l.kind, l.phrase) AS terms
      FROM planner_meta.link_terms l GROUP BY l.rel_oid
), differing AS MATERIALIZED (
    SELECT coalesce(d.rel_oid, i.rel_oid) AS rel_oid
      FROM derived_sets d FULL JOIN indexed_sets i ON i.rel_oid = d.rel_oid
     WHERE d.terms IS DISTINCT FROM i.terms
), gone AS (
    DELETE FROM planner_meta.link_terms l USING differing x WHERE l.rel_oid = x.rel_oid
), added AS (
    INSERT INTO planner_meta.link_terms (rel_oid, attnum, kind, phrase)
    SELECT t.rel_oid, t.attnum, t.kind, t.phrase FROM terms t JOIN differing x USING (rel_oid)
    RETURNING 1
), used_phrases AS MATERIALIZED (
    SELECT DISTINCT t.phrase FROM terms t
), unused_phrases AS (
    DELETE FROM planner_meta.link_phrases x
     WHERE NOT EXISTS (SELECT FROM used_phrases u WHERE u.phrase = x.phrase)
), new_phrases AS (
    INSERT INTO planner_meta.link_phrases (phrase, keys)
    SELECT u.phrase, planner_meta.phrase_keys(u.phrase) FROM used_phrases u
     WHERE NOT EXISTS (SELECT FROM planner_meta.link_phrases x WHERE x.phrase = u.phrase)
     ORDER BY u.phrase
    ON CONFLICT DO NOTHING
), gone_labels AS (
    DELETE FROM planner_meta.link_values l WHERE l.source = 'enum'

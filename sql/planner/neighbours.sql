-- The join neighbourhood of the candidate relations $1, for the join tree:
-- relations within $2 foreign keys of a candidate (either direction), and
-- relations a key convention joins them to where no key is declared: a
-- column with a candidate's key-like column name (paperid), named after
-- a candidate (customer_id, customerid, customer), or a table a
-- candidate's key-like column is named after.  At most $3 relations.
WITH RECURSIVE reach (rel_oid, depth) AS (
    SELECT c.rel_oid, 0 FROM unnest($1::oid[]) AS c(rel_oid)
    UNION
    SELECT n.rel_oid, r.depth + 1
      FROM reach r
     CROSS JOIN LATERAL (
         SELECT f.to_rel_oid AS rel_oid FROM planner_meta.visible_relationships f
          WHERE f.from_rel_oid = r.rel_oid
         UNION
         SELECT f.from_rel_oid FROM planner_meta.visible_relationships f
          WHERE f.to_rel_oid = r.rel_oid) n
     WHERE r.depth < $2
), own_terms AS (
    SELECT t.rel_oid, t.attnum, t.phrase
      FROM planner_meta.visible_link_terms t
     WHERE t.rel_oid = ANY ($1::oid[]) AND t.kind = 'n'
), key_phrases AS MATERIALIZED (
    SELECT o.phrase FROM own_terms o
     WHERE o.attnum > 0 AND o.phrase ~ '.(id|code)$'
    UNION
    SELECT f.phrase
      FROM own_terms o
     CROSS JOIN LATERAL (VALUES (o.phrase), (o.phrase || ' id'), (o.phrase || 'id')) AS f(phrase)
     WHERE o.attnum = 0
), by_column AS (
    SELECT x.rel_oid
      FROM key_phrases k
     CROSS JOIN LATERAL (SELECT v.rel_oid FROM planner_meta.visible_link_terms v
                          WHERE v.phrase = k.phrase AND v.kind = 'n' AND (v.attnum = 0) = false
                          LIMIT 21) x
), named_after AS (
    -- computed apart: the lookup below then compares plain values, which
    -- the privilege-filtering view lets through to its index
    SELECT DISTINCT regexp_replace(o.phrase, ' ?(id|code)$', '') AS phrase
      FROM own_terms o
     WHERE o.attnum > 0 AND o.phrase ~ '.(id|code)$'
), by_table AS (
    SELECT x.rel_oid
      FROM named_after k
     CROSS JOIN LATERAL (SELECT v.rel_oid FROM planner_meta.visible_link_terms v
                          WHERE v.phrase = k.phrase AND v.kind = 'n' AND (v.attnum = 0) = true
                          LIMIT 5) x
), found AS (
    (SELECT rel_oid FROM reach LIMIT $3)
    UNION
    (SELECT rel_oid FROM by_column LIMIT $3)
    UNION
    (SELECT rel_oid FROM by_table LIMIT $3)
)
SELECT coalesce(jsonb_agg(f.rel_oid::bigint), '[]'::jsonb)
  FROM (SELECT DISTINCT rel_oid FROM found LIMIT $3) f

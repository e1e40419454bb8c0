-- Rewrites the values linked from statistics of the relations $1, from
-- cache_column_stats as the last refresh copied them: most-common values
-- of text-like columns and, where a column has few distinct values (as
-- the planner estimates them from the row count), its histogram bounds,
-- which then hold nearly every other value.
WITH scope AS (
    SELECT r.rel_oid, greatest(pc.reltuples, 1) AS row_count
      FROM planner_meta.cache_relations r
      JOIN pg_catalog.pg_class pc ON pc.oid = r.rel_oid
     WHERE (/*scope*/ r.rel_oid = ANY ($1::oid[]))
), text_stats AS (
    SELECT cs.rel_oid, cs.attnum, cs.most_common_vals, cs.histogram_bounds,
           CASE WHEN cs.n_distinct >= 0 THEN cs.n_distinct
                ELSE -cs.n_distinct * sc.row_count END AS distinct_values
      FROM scope sc
      JOIN planner_meta.cache_column_stats cs USING (rel_oid)
      JOIN planner_meta.cache_columns c USING (rel_oid, attnum)
     WHERE c.data_type ~ '^(text|character|name|citext)'
), stats_values AS (
    SELECT t.rel_oid, t.attnum, v.value
      FROM text_stats t
     CROSS JOIN LATERAL unnest(t.most_common_vals::text[]) AS v(value)
    UNION
    SELECT t.rel_oid, t.attnum, v.value
      FROM text_stats t
     CROSS JOIN LATERAL unnest(t.histogram_bounds::text[]) AS v(value)
     WHERE t.distinct_values <= 200
), gone AS (
    DELETE FROM planner_meta.link_values l
     USING scope sc
     WHERE l.rel_oid = sc.rel_oid AND l.source = 'pg_stats'
)
INSERT INTO planner_meta.link_values (rel_oid, attnum, source, first_stem, phrase, value)
SELECT v.rel_oid, v.attnum, 'pg_stats', split_part(p.phrase, ' ', 1), p.phrase, v.value
  FROM stats_values v
 CROSS JOIN LATERAL (SELECT planner_meta.value_phrase(v.value) AS phrase) p
 WHERE length(v.value) BETWEEN 2 AND 100 AND p.phrase IS NOT NULL

-- Data knowledge: statistics from pg_class / pg_stats, aging with
-- planner_meta.max_age and ANALYZE, refreshed on read, logged, and shown
-- only to roles that may read the column.
CREATE SCHEMA stats;
CREATE TABLE stats.items (id int PRIMARY KEY, colour text, secret text);
INSERT INTO stats.items SELECT i, (ARRAY['red', 'green', 'blue'])[1 + i % 3], 'pin ' || (i % 5)
  FROM generate_series(1, 600) i;

-- Never analyzed: no statistics yet.
SELECT d -> 'data' -> 'row_estimate' AS rows, d -> 'data' -> 'columns' AS column_stats
  FROM planner_meta.describe('stats.items') d;
ANALYZE stats.items;
-- ANALYZE makes the knowledge stale; the next describe() refreshes it.
SELECT stats_stale FROM planner_meta.visible_relations WHERE rel_name = 'items';
SELECT d -> 'data' -> 'row_estimate' AS rows, d -> 'data' -> 'stale' AS stale,
       (d -> 'data' -> 'last_analyze') IS NOT NULL AS analyzed
  FROM planner_meta.describe('stats.items') d;
SELECT c ->> 'name' AS col, c -> 'null_frac' AS null_frac, c -> 'n_distinct' AS n_distinct,
       c ->> 'most_common_vals' AS mcv
  FROM jsonb_array_elements(planner_meta.describe('stats.items') -> 'data' -> 'columns') c;
SELECT action, object_type, details -> 'row_estimates' AS row_estimates
  FROM planner_meta.changelog WHERE command_tag = 'REFRESH STATS' ORDER BY id DESC LIMIT 1;

-- Age: with a max_age of zero everything is stale at once.
SET planner_meta.max_age = 0;
SELECT stats_stale FROM planner_meta.visible_relations WHERE rel_name = 'items';
RESET planner_meta.max_age;
SHOW planner_meta.max_age;
SELECT stats_stale FROM planner_meta.visible_relations WHERE rel_name = 'items';

-- refresh_stats() of everything logs only what moved.
INSERT INTO stats.items SELECT i, 'red', 'x' FROM generate_series(601, 900) i;
ANALYZE stats.items;
SELECT planner_meta.refresh_stats() AS refreshed;
SELECT details -> 'row_estimates' AS row_estimates
  FROM planner_meta.changelog WHERE command_tag = 'REFRESH STATS' ORDER BY id DESC LIMIT 1;

-- Statistics, like values, are shown only where the role may read them.
CREATE ROLE pm_statsreader;
GRANT USAGE ON SCHEMA stats TO pm_statsreader;
GRANT SELECT (id, colour) ON stats.items TO pm_statsreader;
SET ROLE pm_statsreader;
SELECT c ->> 'name' AS visible_stats FROM jsonb_array_elements(planner_meta.describe('stats.items') -> 'data' -> 'columns') c;
RESET ROLE;
ALTER TABLE stats.items ENABLE ROW LEVEL SECURITY;
CREATE POLICY reds ON stats.items FOR SELECT TO pm_statsreader USING (colour = 'red');
SET ROLE pm_statsreader;
SELECT jsonb_array_length(planner_meta.describe('stats.items') -> 'data' -> 'columns') AS stats_under_rls;
RESET ROLE;

-- A READ ONLY transaction cannot refresh: stale knowledge is reported as
-- stale, and neither describe() nor plan() fails for trying to write.
INSERT INTO stats.items SELECT i, 'blue', 'x' FROM generate_series(1000, 1100) i;
ANALYZE stats.items;
BEGIN READ ONLY;
SELECT planner_meta.describe('stats.items') -> 'data' ->> 'stale' AS stale_in_read_only;
SELECT planner_meta.plan('how many items') ->> 'primary_table_or_datasource' AS planned_in_read_only;
COMMIT;
SELECT planner_meta.describe('stats.items') -> 'data' ->> 'stale' AS stale_after;

DROP SCHEMA stats CASCADE;
DROP ROLE pm_statsreader;
SELECT count(*) AS column_stats_left FROM planner_meta.cache_column_stats cs
 WHERE NOT EXISTS (SELECT 1 FROM planner_meta.cache_relations r WHERE r.rel_oid = cs.rel_oid);

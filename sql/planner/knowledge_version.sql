-- What the planner's in-memory index depends on: the role, the change log
-- position, the last ANALYZE anywhere and the synonyms.  While this value
-- stays the same, a backend reuses the index it built.
SELECT jsonb_build_object(
    'role', current_user,
    'last_change_id', (SELECT last_change_id FROM planner_meta.cache_status),
    'last_updated', (SELECT last_updated FROM planner_meta.cache_status),
    'analyzed', (SELECT max(greatest(last_analyze, last_autoanalyze)) FROM pg_catalog.pg_stat_user_tables),
    'synonyms', (SELECT jsonb_build_array(count(*), max(id)) FROM planner_meta.synonyms))

-- The cache position a plan was made against, shown in its answer.
SELECT jsonb_build_object(
    'last_change_id', (SELECT last_change_id FROM planner_meta.cache_status),
    'last_updated', (SELECT last_updated FROM planner_meta.cache_status))

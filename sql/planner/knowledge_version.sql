-- What the planner's in-memory index depends on, cheap to read on every
-- call: the role, the change log position and the synonyms.  (The last
-- ANALYZE is read separately and less often: see planner_api.rs.)
SELECT jsonb_build_object(
    'role', current_user,
    'last_change_id', (SELECT last_change_id FROM planner_meta.cache_status),
    'last_updated', (SELECT last_updated FROM planner_meta.cache_status),
    'synonyms', (SELECT jsonb_build_array(count(*), max(id)) FROM planner_meta.synonyms))

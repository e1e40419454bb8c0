-- What the DROP now running removes, mapped to cached objects.  Dropped
-- catalog rows are gone, so indexes and constraints are traced through the
-- cache to their relations.  Temporary objects are ignored.
-- Must run inside an sql_drop event trigger.
WITH dropped AS (
    SELECT classid, objid
      FROM pg_event_trigger_dropped_objects()
     WHERE NOT is_temporary
), rels AS (
    SELECT objid AS rel FROM dropped WHERE classid = 'pg_class'::regclass
    UNION SELECT i.rel_oid FROM dropped d JOIN planner_meta.cache_indexes i
        ON d.classid = 'pg_class'::regclass AND i.index_oid = d.objid
    UNION SELECT t.rel_oid FROM dropped d JOIN planner_meta.cache_triggers t
        ON d.classid = 'pg_trigger'::regclass AND t.trigger_oid = d.objid
    UNION SELECT p.rel_oid FROM dropped d JOIN planner_meta.cache_policies p
        ON d.classid = 'pg_policy'::regclass AND p.policy_oid = d.objid
    UNION SELECT k.rel_oid FROM dropped d JOIN planner_meta.cache_constraints k
        ON d.classid = 'pg_constraint'::regclass AND k.constraint_oid = d.objid
    UNION SELECT f.from_rel_oid FROM dropped d JOIN planner_meta.cache_relationships f
        ON d.classid = 'pg_constraint'::regclass AND f.constraint_oid = d.objid
), family AS (
    SELECT rel FROM rels
    UNION SELECT r.parent_oid FROM rels JOIN planner_meta.cache_relations r ON r.rel_oid = rels.rel
)
SELECT jsonb_build_object(
    'relations', coalesce((SELECT jsonb_agg(rel::bigint) FROM family WHERE rel IS NOT NULL), '[]'),
    'schemas',   coalesce((SELECT jsonb_agg(objid::bigint) FROM dropped
                            WHERE classid = 'pg_namespace'::regclass), '[]'),
    'types',     coalesce((SELECT jsonb_agg(d.objid::bigint) FROM dropped d
                            JOIN planner_meta.cache_enums e ON e.type_oid = d.objid
                           WHERE d.classid = 'pg_type'::regclass), '[]'))

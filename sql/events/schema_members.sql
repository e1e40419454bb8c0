-- Relations and enum types in the schemas $1, in the catalog and in the
-- cache: renaming a schema renames everything in it.
SELECT jsonb_build_object(
    'relations', coalesce((SELECT jsonb_agg(DISTINCT rel::bigint) FROM (
            SELECT c.oid AS rel FROM pg_class c WHERE c.relnamespace = ANY ($1::oid[])
            UNION SELECT r.rel_oid FROM planner_meta.cache_relations r
                   WHERE r.schema_oid = ANY ($1::oid[])) x), '[]'::jsonb),
    'types', coalesce((SELECT jsonb_agg(DISTINCT typ::bigint) FROM (
            SELECT t.oid AS typ FROM pg_type t
             WHERE t.typnamespace = ANY ($1::oid[]) AND t.typtype = 'e'
            UNION SELECT e.type_oid FROM planner_meta.cache_enums e
                   WHERE e.schema_oid = ANY ($1::oid[])) x), '[]'::jsonb))

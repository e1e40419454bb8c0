-- Objects that belong (or belonged, per the cache) to the extensions $1:
-- CREATE / ALTER EXTENSION changes which objects are flagged as theirs.
WITH ext AS (
    SELECT x.oid, x.extname FROM pg_extension x WHERE x.oid = ANY ($1::oid[])
), members AS (
    SELECT d.classid, d.objid FROM ext
      JOIN pg_depend d ON d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid
                      AND d.deptype = 'e'
)
SELECT jsonb_build_object(
    'relations', coalesce((SELECT jsonb_agg(DISTINCT rel::bigint) FROM (
            SELECT m.objid AS rel FROM members m WHERE m.classid = 'pg_class'::regclass
            UNION SELECT r.rel_oid FROM ext JOIN planner_meta.cache_relations r
                   ON r.extension_name = ext.extname) x), '[]'::jsonb),
    'schemas', coalesce((SELECT jsonb_agg(DISTINCT nsp::bigint) FROM (
            SELECT m.objid AS nsp FROM members m WHERE m.classid = 'pg_namespace'::regclass
            UNION SELECT s.schema_oid FROM ext JOIN planner_meta.cache_schemas s
                   ON s.extension_name = ext.extname) x), '[]'::jsonb),
    'types', coalesce((SELECT jsonb_agg(DISTINCT typ::bigint) FROM (
            SELECT m.objid AS typ FROM members m WHERE m.classid = 'pg_type'::regclass
            UNION SELECT e.type_oid FROM ext JOIN planner_meta.cache_enums e
                   ON e.extension_name = ext.extname) x), '[]'::jsonb))

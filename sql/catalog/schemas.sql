-- Tracked schemas; $1 limits to these schema oids (NULL: all).
SELECT n.oid                                   AS schema_oid,
       n.nspname                               AS schema_name,
       pg_get_userbyid(n.nspowner)             AS owner,
       (SELECT ds.description FROM pg_description ds WHERE ds.objoid = n.oid AND ds.classoid = 'pg_namespace'::regclass AND ds.objsubid = 0)  AS comment,
       (SELECT x.extname FROM pg_depend d JOIN pg_extension x ON x.oid = d.refobjid
         WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e'
           AND d.refclassid = 'pg_extension'::regclass LIMIT 1) AS extension_name
  FROM pg_namespace n
 WHERE planner_meta.is_tracked_schema(n.nspname)
   AND (/*scope*/ n.oid = ANY ($1::oid[]))

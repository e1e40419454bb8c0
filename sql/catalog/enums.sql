-- Enum types in tracked schemas; $1 limits to these type oids (NULL: all).
SELECT t.oid                           AS type_oid,
       t.typnamespace                  AS schema_oid,
       n.nspname                       AS schema_name,
       t.typname                       AS type_name,
       ARRAY(SELECT l.enumlabel::text FROM pg_enum l
              WHERE l.enumtypid = t.oid ORDER BY l.enumsortorder) AS labels,
       pg_get_userbyid(t.typowner)     AS owner,
       (SELECT ds.description FROM pg_description ds WHERE ds.objoid = t.oid AND ds.classoid = 'pg_type'::regclass AND ds.objsubid = 0) AS comment,
       (SELECT x.extname FROM pg_depend d JOIN pg_extension x ON x.oid = d.refobjid
         WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
           AND d.refclassid = 'pg_extension'::regclass LIMIT 1) AS extension_name
  FROM pg_type t
  JOIN pg_namespace n ON n.oid = t.typnamespace
 WHERE t.typtype = 'e'
   AND planner_meta.is_tracked_schema(n.nspname)
   AND (/*scope*/ t.oid = ANY ($1::oid[]))

-- Tracked relations; $1 limits to these relation oids (NULL: all).
SELECT c.oid                                 AS rel_oid,
       c.relnamespace                        AS schema_oid,
       n.nspname                             AS schema_name,
       c.relname                             AS rel_name,
       CASE c.relkind WHEN 'r' THEN 'table'
                      WHEN 'p' THEN 'partitioned_table'
                      WHEN 'v' THEN 'view'
                      WHEN 'm' THEN 'materialized_view'
                      WHEN 'f' THEN 'foreign_table' END AS kind,
       pg_get_userbyid(c.relowner)           AS owner,
       CASE c.relpersistence WHEN 'u' THEN 'unlogged' ELSE 'permanent' END AS persistence,
       (SELECT ds.description FROM pg_description ds WHERE ds.objoid = c.oid AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = 0)    AS comment,
       CASE WHEN c.relispartition THEN
            (SELECT i.inhparent FROM pg_inherits i WHERE i.inhrelid = c.oid LIMIT 1)
       END                                   AS parent_oid,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid, true) END
                                             AS partition_bound,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END
                                             AS view_definition,
       (SELECT s.srvname FROM pg_foreign_table ft
          JOIN pg_foreign_server s ON s.oid = ft.ftserver
         WHERE ft.ftrelid = c.oid)           AS foreign_server,
       (SELECT x.extname FROM pg_depend d JOIN pg_extension x ON x.oid = d.refobjid
         WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
           AND d.refclassid = 'pg_extension'::regclass LIMIT 1) AS extension_name,
       CASE WHEN c.relforcerowsecurity AND c.relrowsecurity THEN 'forced'
            WHEN c.relrowsecurity THEN 'enabled' END AS row_security
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
   AND planner_meta.is_tracked_schema(n.nspname)
   AND (/*scope*/ c.oid = ANY ($1::oid[]))

-- Tracked schemas; $1 limits to these schema oids (NULL: all).
SELECT coalesce(jsonb_agg(to_jsonb(s) ORDER BY s.schema_oid), '[]'::jsonb)
  FROM (SELECT n.oid                                   AS schema_oid,
               n.nspname                               AS schema_name,
               pg_get_userbyid(n.nspowner)             AS owner,
               obj_description(n.oid, 'pg_namespace')  AS comment,
               planner_meta.extension_of('pg_namespace', n.oid) AS extension_name
          FROM pg_namespace n
         WHERE planner_meta.is_tracked_schema(n.nspname)
           AND (/*scope*/ n.oid = ANY ($1::oid[]))) s

-- Row-level security policies of tracked relations; $1 limits to these
-- relation oids (NULL: all).
SELECT pol.oid        AS policy_oid,
       pol.polrelid   AS rel_oid,
       pol.polname    AS policy_name,
       CASE pol.polcmd WHEN '*' THEN 'ALL' WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT'
                       WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' END AS command,
       pol.polpermissive AS permissive,
       ARRAY(SELECT CASE WHEN r.role = 0 THEN 'public' ELSE pg_get_userbyid(r.role) END
               FROM unnest(pol.polroles) AS r (role) ORDER BY 1) AS roles,
       pg_get_expr(pol.polqual, pol.polrelid, true)      AS using_expr,
       pg_get_expr(pol.polwithcheck, pol.polrelid, true) AS check_expr,
       (SELECT ds.description FROM pg_description ds
         WHERE ds.objoid = pol.oid AND ds.classoid = 'pg_policy'::regclass) AS comment
  FROM pg_policy pol
  JOIN pg_class c     ON c.oid = pol.polrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
   AND planner_meta.is_tracked_schema(n.nspname)
   AND (/*scope*/ pol.polrelid = ANY ($1::oid[]))

-- Why describe($1) found nothing: is the relation of a tracked kind in a
-- tracked schema (then the caller lacks privileges), or not tracked at all?
SELECT jsonb_build_object(
           'name', format('%I.%I', n.nspname, c.relname),
           'tracked', c.relkind IN ('r', 'p', 'v', 'm', 'f')
                      AND planner_meta.is_tracked_schema(n.nspname))
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.oid = $1

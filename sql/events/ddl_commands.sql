-- The objects the DDL command(s) now ending created or altered, as
-- (classid, objid) pairs.  GRANT and similar commands report no single
-- object (objid 0).  Must run inside a ddl_command_end event trigger.
SELECT coalesce(jsonb_agg(DISTINCT jsonb_build_array(classid::bigint, objid::bigint)), '[]'::jsonb)
  FROM pg_event_trigger_ddl_commands()
 WHERE objid <> 0

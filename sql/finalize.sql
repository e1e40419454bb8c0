-- Privileges, the event triggers, then the first discovery of the catalog.

-- Readers use the schema, the visible_* views, the change log view and the
-- discovery functions; the cache_* tables, change_log and tracking_errors
-- stay private to the owner.
GRANT USAGE ON SCHEMA planner_meta TO PUBLIC;
GRANT SELECT ON planner_meta.visible_schemas, planner_meta.visible_relations,
                planner_meta.visible_columns, planner_meta.visible_constraints,
                planner_meta.visible_relationships, planner_meta.visible_indexes,
                planner_meta.visible_triggers, planner_meta.visible_policies,
                planner_meta.visible_enums, planner_meta.visible_column_stats, planner_meta.visible_values,
                planner_meta.cache_status, planner_meta.changelog,
                planner_meta.synonyms
   TO PUBLIC;

-- Writing the cache and comparing it with the whole catalog are for the
-- administrator; grant these to a role explicitly if it should run them.
REVOKE EXECUTE ON FUNCTION planner_meta.refresh(boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION planner_meta.verify() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION planner_meta.refresh_values(regclass, boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION planner_meta.track_ddl_command_end(text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION planner_meta.track_sql_drop(text) FROM PUBLIC;

-- The event triggers' wrapper.  SECURITY DEFINER so that any role's DDL can
-- update the cache; the exception block is a subtransaction, so whatever
-- goes wrong in tracking (an error or a Rust panic) is rolled back alone,
-- reported as a WARNING and recorded, and the user's DDL still commits.
CREATE FUNCTION record_tracking_failure(tag text, state text, message text, detail text,
                                        context text) RETURNS void
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    INSERT INTO planner_meta.tracking_errors (command_tag, sqlstate, message, detail, context)
    VALUES (tag, state, message, detail, context);
    UPDATE planner_meta.cache_state SET stale = true;
END;
REVOKE EXECUTE ON FUNCTION planner_meta.record_tracking_failure(text, text, text, text, text)
    FROM PUBLIC;

CREATE FUNCTION on_ddl_event() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    state text; message text; detail text; context text;
BEGIN
    IF tg_event = 'sql_drop' THEN
        PERFORM planner_meta.track_sql_drop(tg_tag);
    ELSE
        PERFORM planner_meta.track_ddl_command_end(tg_tag);
    END IF;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL, context = PG_EXCEPTION_CONTEXT;
    PERFORM planner_meta.record_tracking_failure(tg_tag, state, message, detail, context);
    RAISE WARNING 'planner_meta could not track %: %', tg_tag, message
          USING HINT = 'The statement succeeded; the cache is marked stale and is repaired by the next read or planner_meta.refresh().';
END
$fn$;

CREATE EVENT TRIGGER planner_meta_ddl_command_end ON ddl_command_end
    EXECUTE FUNCTION planner_meta.on_ddl_event();
CREATE EVENT TRIGGER planner_meta_sql_drop ON sql_drop
    EXECUTE FUNCTION planner_meta.on_ddl_event();

-- pg_dump keeps what users wrote or cannot rebuild: the change log,
-- statement texts and synonyms.  The cache is rebuilt from
-- the restored catalog by refresh().
SELECT pg_catalog.pg_extension_config_dump('planner_meta.change_log', '');
SELECT pg_catalog.pg_extension_config_dump('planner_meta.change_statements', '');
SELECT pg_catalog.pg_extension_config_dump('planner_meta.synonyms', '');
SELECT pg_catalog.pg_extension_config_dump('planner_meta.synonyms_id_seq', '');

INSERT INTO planner_meta.cache_state DEFAULT VALUES;
-- The lexicon is public knowledge; loading it reads server files.
GRANT SELECT ON planner_meta.lexicon TO PUBLIC;
REVOKE EXECUTE ON FUNCTION planner_meta.load_lexicon(text, boolean) FROM PUBLIC;
SELECT planner_meta.load_lexicon(missing_ok => true);

SELECT planner_meta.refresh();

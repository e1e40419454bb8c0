-- Privileges, then the first discovery of the whole catalog.

-- Readers use the schema, the visible_* views and the discovery functions;
-- the cache_* tables stay private to the owner (no grant is made on them).
GRANT USAGE ON SCHEMA planner_meta TO PUBLIC;
GRANT SELECT ON planner_meta.visible_schemas, planner_meta.visible_relations,
                planner_meta.visible_columns, planner_meta.visible_constraints,
                planner_meta.visible_relationships, planner_meta.visible_indexes,
                planner_meta.visible_enums, planner_meta.cache_status
   TO PUBLIC;

-- Writing the cache and comparing it with the whole catalog are for the
-- administrator; grant these to a role explicitly if it should run them.
REVOKE EXECUTE ON FUNCTION planner_meta.refresh(boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION planner_meta.verify() FROM PUBLIC;

INSERT INTO planner_meta.cache_state DEFAULT VALUES;
SELECT planner_meta.refresh(true);

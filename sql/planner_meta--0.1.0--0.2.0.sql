-- planner_meta 0.1.0 -> 0.2.0.
--
-- Runs inside ALTER EXTENSION planner_meta UPDATE with search_path set to
-- the extension's schema.  It calls no function of the library: in a chain
-- of updates the library is already the newest release while these objects
-- are not.  The cache is marked stale instead, so the first read after the
-- update re-reads the whole catalog (filling what this release adds and
-- logging any DDL made while the library and the SQL objects differed).

-- Triggers, row-level security and policies join the cache.
ALTER TABLE cache_relations
    ADD COLUMN row_security text CHECK (row_security IN ('enabled', 'forced'));

CREATE TABLE cache_triggers (
    trigger_oid    oid PRIMARY KEY,
    rel_oid        oid     NOT NULL,
    trigger_name   name    NOT NULL,
    timing         text    NOT NULL CHECK (timing IN ('BEFORE', 'AFTER', 'INSTEAD OF')),
    events         text[]  NOT NULL,
    level          text    NOT NULL CHECK (level IN ('ROW', 'STATEMENT')),
    function_name  text    NOT NULL,
    enabled        text    NOT NULL CHECK (enabled IN ('enabled', 'disabled', 'replica', 'always')),
    is_constraint  boolean NOT NULL,
    comment        text,
    definition     text    NOT NULL
);
CREATE INDEX ON cache_triggers (rel_oid);

CREATE TABLE cache_policies (
    policy_oid   oid PRIMARY KEY,
    rel_oid      oid     NOT NULL,
    policy_name  name    NOT NULL,
    command      text    NOT NULL CHECK (command IN ('ALL', 'SELECT', 'INSERT', 'UPDATE', 'DELETE')),
    permissive   boolean NOT NULL,
    roles        text[]  NOT NULL,
    using_expr   text,
    check_expr   text,
    comment      text
);
CREATE INDEX ON cache_policies (rel_oid);

-- Data knowledge of relation rel read at updated_at: stale by max_age or
-- by an ANALYZE since (statistics and the value index age alike).
CREATE FUNCTION relation_data_is_stale(rel oid, updated_at timestamptz) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
RETURN data_is_stale(updated_at, greatest(pg_catalog.pg_stat_get_last_analyze_time(rel),
                                          pg_catalog.pg_stat_get_last_autoanalyze_time(rel)));

CREATE OR REPLACE VIEW visible_relations WITH (security_barrier) AS
SELECT r.rel_oid, r.schema_oid, r.schema_name, r.rel_name, r.kind, r.owner, r.persistence,
       r.comment, r.parent_oid, r.partition_bound, r.partition_key, r.view_definition,
       r.foreign_server, r.extension_name, st.row_estimate, st.total_bytes, st.stats_updated,
       st.last_analyze, st.last_autoanalyze, st.mod_since_analyze,
       relation_data_is_stale(r.rel_oid, st.stats_updated) AS stats_stale,
       r.last_updated, r.row_security
  FROM cache_relations r
  LEFT JOIN cache_relation_stats st USING (rel_oid)
 WHERE can_see_schema(r.schema_oid) AND can_see_relation(r.rel_oid);

CREATE VIEW visible_triggers WITH (security_barrier) AS
SELECT t.*
  FROM cache_triggers t
  JOIN cache_relations r ON r.rel_oid = t.rel_oid
 WHERE can_see_schema(r.schema_oid) AND can_see_relation(t.rel_oid);

CREATE VIEW visible_policies WITH (security_barrier) AS
SELECT p.*
  FROM cache_policies p
  JOIN cache_relations r ON r.rel_oid = p.rel_oid
 WHERE can_see_schema(r.schema_oid) AND can_see_relation(p.rel_oid);

GRANT SELECT ON visible_triggers, visible_policies TO PUBLIC;

-- The value index ages like statistics: refresh_values() re-reads new and
-- stale columns (all with force), and readers refresh stale ones within a
-- small budget through refresh_stale_values().
DROP FUNCTION refresh_values(regclass);
CREATE FUNCTION refresh_values(rel regclass DEFAULT NULL, force boolean DEFAULT false)
    RETURNS jsonb
    VOLATILE PARALLEL UNSAFE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET datestyle = 'ISO, YMD' SET intervalstyle = 'postgres' SET extra_float_digits = 1
    LANGUAGE c AS 'MODULE_PATHNAME', 'refresh_values_wrapper';
COMMENT ON FUNCTION refresh_values(regclass, boolean) IS
    'Builds the value index (distinct values of text columns with few of them): new and stale columns, or all with force.';
REVOKE EXECUTE ON FUNCTION refresh_values(regclass, boolean) FROM PUBLIC;

CREATE FUNCTION refresh_stale_values() RETURNS jsonb
    VOLATILE PARALLEL UNSAFE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET datestyle = 'ISO, YMD' SET intervalstyle = 'postgres' SET extra_float_digits = 1
    LANGUAGE c AS 'MODULE_PATHNAME', 'refresh_stale_values_wrapper';
COMMENT ON FUNCTION refresh_stale_values() IS
    'Re-reads stale columns of the value index within planner_meta.values_read_budget.';

CREATE OR REPLACE VIEW cache_status AS
SELECT database_name,
       greatest(last_updated, (SELECT max(at) FROM change_log)) AS last_updated,
       last_refresh, stale,
       (SELECT max(id) FROM change_log) AS last_change_id,
       -- the value index: columns it holds, and how many are stale
       (SELECT count(*) FROM cache_value_columns) AS value_columns,
       (SELECT count(*) FROM cache_value_columns vc
         WHERE relation_data_is_stale(vc.rel_oid, vc.built_at)) AS stale_value_columns
  FROM cache_state;

UPDATE cache_state SET stale = true;

-- planner_meta bootstrap: the cache tables, the privilege-filtered views
-- readers use, and the row-returning discovery functions.
--
-- The cache_* tables are written only by the extension's own functions and
-- hold every tracked object.  PUBLIC gets nothing on them; readers go through
-- the visible_* views, which run with the owner's rights but filter every row
-- by the *caller's* privileges (current_user is not changed by a view).

CREATE TABLE cache_state (
    singleton      boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    database_name  name        NOT NULL DEFAULT current_database(),
    last_updated   timestamptz NOT NULL DEFAULT now(),
    last_refresh   timestamptz,
    -- Set when tracking a DDL statement failed; the next read repairs.
    stale          boolean     NOT NULL DEFAULT false,
    -- Added to change-log ids, so that after pg_restore into another
    -- cluster (lower transaction ids) new rows still sort after old ones.
    id_base        bigint      NOT NULL DEFAULT 0
);

CREATE TABLE cache_schemas (
    schema_oid      oid PRIMARY KEY,
    schema_name     name NOT NULL,
    owner           name NOT NULL,
    comment         text,
    extension_name  name,
    last_updated    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cache_relations (
    rel_oid          oid PRIMARY KEY,
    schema_oid       oid  NOT NULL,
    schema_name      name NOT NULL,
    rel_name         name NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('table', 'partitioned_table', 'view',
                                                   'materialized_view', 'foreign_table')),
    owner            name NOT NULL,
    persistence      text NOT NULL,
    comment          text,
    parent_oid       oid,
    partition_bound  text,
    partition_key    text,
    view_definition  text,
    foreign_server   name,
    extension_name   name,
    last_updated     timestamptz NOT NULL DEFAULT now(),
    -- Added in 0.2.0; kept after last_updated so that updated and fresh
    -- installs have the same column order.
    row_security     text CHECK (row_security IN ('enabled', 'forced'))
);
CREATE INDEX ON cache_relations (schema_oid);
CREATE INDEX ON cache_relations (parent_oid) WHERE parent_oid IS NOT NULL;

CREATE TABLE cache_columns (
    rel_oid         oid      NOT NULL,
    attnum          smallint NOT NULL,
    column_name     name     NOT NULL,
    data_type       text     NOT NULL,
    type_oid        oid      NOT NULL,
    not_null        boolean  NOT NULL,
    default_expr    text,
    identity        text,
    generated_expr  text,
    collation_name  name,
    comment         text,
    generated_kind  text CHECK (generated_kind IN ('STORED', 'VIRTUAL')),
    PRIMARY KEY (rel_oid, attnum)
);

CREATE TABLE cache_constraints (
    constraint_oid   oid PRIMARY KEY,
    rel_oid          oid     NOT NULL,
    constraint_name  name    NOT NULL,
    constraint_type  text    NOT NULL CHECK (constraint_type IN ('primary_key', 'unique',
                                                                  'check', 'exclusion',
                                                                  'not_null')),
    columns          name[]  NOT NULL,
    definition       text    NOT NULL,
    is_deferrable       boolean NOT NULL,
    is_validated        boolean NOT NULL,
    is_enforced         boolean NOT NULL,
    is_temporal         boolean NOT NULL,
    is_inherited        boolean NOT NULL,
    no_inherit          boolean NOT NULL
);
CREATE INDEX ON cache_constraints (rel_oid);

-- Foreign keys, stored once and read in both directions.
CREATE TABLE cache_relationships (
    constraint_oid   oid PRIMARY KEY,
    constraint_name  name    NOT NULL,
    from_rel_oid     oid     NOT NULL,
    from_columns     name[]  NOT NULL,
    to_rel_oid       oid     NOT NULL,
    to_columns       name[]  NOT NULL,
    on_update        text    NOT NULL,
    on_delete        text    NOT NULL,
    match_type       text    NOT NULL,
    one_to_one       boolean NOT NULL,
    is_deferrable       boolean NOT NULL,
    is_validated        boolean NOT NULL,
    is_enforced         boolean NOT NULL,
    is_temporal         boolean NOT NULL
);
CREATE INDEX ON cache_relationships (from_rel_oid);
CREATE INDEX ON cache_relationships (to_rel_oid);

CREATE TABLE cache_indexes (
    index_oid        oid PRIMARY KEY,
    rel_oid          oid     NOT NULL,
    index_name       name    NOT NULL,
    method           name    NOT NULL,
    is_unique        boolean NOT NULL,
    is_primary       boolean NOT NULL,
    is_valid         boolean NOT NULL,
    key_columns      text[]  NOT NULL,
    include_columns  text[]  NOT NULL,
    predicate        text,
    constraint_name  name,
    definition       text    NOT NULL
);
CREATE INDEX ON cache_indexes (rel_oid);

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

CREATE TABLE cache_enums (
    type_oid        oid PRIMARY KEY,
    schema_oid      oid    NOT NULL,
    schema_name     name   NOT NULL,
    type_name       name   NOT NULL,
    labels          text[] NOT NULL,
    owner           name   NOT NULL,
    comment         text,
    extension_name  name
);

-- Data-level knowledge ages differently from structure, so it lives apart
-- and changing it never counts as a structural change.
CREATE TABLE cache_relation_stats (
    rel_oid            oid PRIMARY KEY,
    row_estimate       bigint,
    total_bytes        bigint,
    last_analyze       timestamptz,
    last_autoanalyze   timestamptz,
    mod_since_analyze  bigint,
    stats_updated      timestamptz NOT NULL DEFAULT now()
);

-- Per-column statistics as pg_stats had them at stats_updated (values as
-- text).  Readers see a column's row only where pg_stats would show it to
-- them: with SELECT on the column and no row-level security in force.
CREATE TABLE cache_column_stats (
    rel_oid            oid      NOT NULL,
    attnum             smallint NOT NULL,
    null_frac          real,
    n_distinct         real,
    avg_width          integer,
    -- array literals as pg_stats prints them (any element type)
    most_common_vals   text,
    most_common_freqs  real[],
    histogram_bounds   text,
    correlation        real,
    stats_updated      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (rel_oid, attnum)
);

-- The value index: distinct values of text-like columns with few enough
-- of them, built on demand by refresh_values() (which reads the table as
-- the extension owner).  Readers see a column's values only where they may
-- SELECT the column and no row-level security is in force.
CREATE TABLE cache_value_columns (
    rel_oid          oid      NOT NULL,
    attnum           smallint NOT NULL,
    distinct_values  integer  NOT NULL,
    built_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (rel_oid, attnum)
);
CREATE TABLE cache_values (
    rel_oid  oid      NOT NULL,
    attnum   smallint NOT NULL,
    value    text     NOT NULL,
    rows     bigint   NOT NULL,
    PRIMARY KEY (rel_oid, attnum, value)
);
CREATE INDEX ON cache_values (lower(value));

-- When data knowledge counts as stale: older than planner_meta.max_age, or
-- older than the relation's last ANALYZE.
CREATE FUNCTION data_is_stale(stats_updated timestamptz, last_analyzed timestamptz) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
RETURN stats_updated IS NULL
    OR stats_updated < now() - coalesce(nullif(current_setting('planner_meta.max_age', true), ''), '1d')::interval
    OR coalesce(last_analyzed > stats_updated, false);

-- Data knowledge of relation rel read at updated_at: stale by max_age or
-- by an ANALYZE since (statistics and the value index age alike).
CREATE FUNCTION relation_data_is_stale(rel oid, updated_at timestamptz) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
RETURN data_is_stale(updated_at, greatest(pg_catalog.pg_stat_get_last_analyze_time(rel),
                                          pg_catalog.pg_stat_get_last_autoanalyze_time(rel)));

-- The change log: one row per structural change or knowledge refresh,
-- written in the same transaction as the DDL (a rolled-back DDL leaves no
-- row), plus where tracking failures are recorded.
CREATE TABLE change_log (
    -- Not from a sequence: taking a value from one would change what the
    -- DDL's session gets from lastval().  Ids are ranges per transaction
    -- (see sql/events/record_changes.sql): unique, and increasing with
    -- transaction ids.
    id               bigint      PRIMARY KEY,
    at               timestamptz NOT NULL DEFAULT clock_timestamp(),
    database_name    name        NOT NULL DEFAULT current_database(),
    txid             bigint      NOT NULL DEFAULT txid_current(),
    session_role     name        NOT NULL DEFAULT session_user,
    -- current_user of the statement that made the change (the tracking code
    -- itself runs as the extension owner).
    acting_role      name        NOT NULL,
    command_tag      text,
    action           text        NOT NULL,
    object_type      text        NOT NULL,
    schema_name      name,
    object_name      name,
    object_identity  text,
    -- Keys deciding who may read the row; see the changelog view.
    rel_oid          oid,
    schema_oid       oid,
    details          jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX ON change_log (at);
-- (txid, id): the last id of a transaction is one index probe (see
-- sql/events/record_changes.sql).
CREATE INDEX ON change_log (txid, id);
-- Schema and database last_updated are read from here (see the views).
CREATE INDEX ON change_log (schema_oid, at);

-- Statement text, only when planner_meta.log_statements is on, once per
-- distinct statement string in a transaction.
CREATE TABLE change_statements (
    txid           bigint NOT NULL,
    statement_md5  text   NOT NULL,
    statement      text   NOT NULL,
    PRIMARY KEY (txid, statement_md5)
);

CREATE TABLE tracking_errors (
    id           bigserial   PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    txid         bigint      NOT NULL DEFAULT txid_current(),
    command_tag  text,
    sqlstate     text,
    message      text,
    detail       text,
    context      text
);

-- Privilege predicates.  "Any privilege" is what lets a role know an object
-- exists, so that is what decides visibility.  SQL-standard bodies bind
-- their names when created (no search_path lookup at run time), and having
-- no SET clause lets the planner inline them into the views.
CREATE FUNCTION can_see_schema(schema_oid oid) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
RETURN coalesce(has_schema_privilege(schema_oid, 'USAGE'), false);

-- MAINTAIN (PostgreSQL 17) is a table privilege too; older servers reject
-- the word, so the list is built for the server the extension is created on.
DO $$
BEGIN
    EXECUTE format($f$
        CREATE FUNCTION can_see_relation(rel_oid oid) RETURNS boolean
        LANGUAGE sql STABLE PARALLEL SAFE
        RETURN coalesce(has_table_privilege(rel_oid, %L)
                        OR has_any_column_privilege(rel_oid, 'SELECT, INSERT, UPDATE, REFERENCES'), false)
        $f$, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER'
             || CASE WHEN current_setting('server_version_num')::int >= 170000 THEN ', MAINTAIN' ELSE '' END);
END
$$;

-- A privilege on the table covers its columns; testing it first spares the
-- per-column test, whose catalog lookups would stay in the backend's cache
-- for every column a reader ever passed.
CREATE FUNCTION can_see_column(rel_oid oid, attnum smallint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
RETURN coalesce(has_table_privilege(rel_oid, 'SELECT, INSERT, UPDATE, REFERENCES')
                OR has_column_privilege(rel_oid, attnum, 'SELECT, INSERT, UPDATE, REFERENCES'), false);

-- Whether the caller may read a column's values (as can_see_column).
CREATE FUNCTION can_read_column(rel_oid oid, attnum smallint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
RETURN coalesce(has_table_privilege(rel_oid, 'SELECT')
                OR has_column_privilege(rel_oid, attnum, 'SELECT'), false);

-- A schema's knowledge last changed when its row did or when the last
-- change row about something in it was written; deriving it keeps DDL in
-- one schema from contending on the schema's cache row.
CREATE VIEW visible_schemas WITH (security_barrier) AS
SELECT s.schema_oid, s.schema_name, s.owner, s.comment, s.extension_name,
       greatest(s.last_updated,
                (SELECT max(l.at) FROM change_log l WHERE l.schema_oid = s.schema_oid))
           AS last_updated
  FROM cache_schemas s
 WHERE can_see_schema(s.schema_oid);

CREATE VIEW visible_relations WITH (security_barrier) AS
SELECT r.rel_oid, r.schema_oid, r.schema_name, r.rel_name, r.kind, r.owner, r.persistence,
       r.comment, r.parent_oid, r.partition_bound, r.partition_key, r.view_definition,
       r.foreign_server, r.extension_name, st.row_estimate, st.total_bytes, st.stats_updated,
       st.last_analyze, st.last_autoanalyze, st.mod_since_analyze,
       relation_data_is_stale(r.rel_oid, st.stats_updated) AS stats_stale,
       r.last_updated, r.row_security
  FROM cache_relations r
  LEFT JOIN cache_relation_stats st USING (rel_oid)
 WHERE can_see_schema(r.schema_oid) AND can_see_relation(r.rel_oid);

-- The views below test privileges on each row's own keys and join
-- cache_relations only for names, so a lookup by key stays an index probe.
CREATE VIEW visible_columns WITH (security_barrier) AS
SELECT c.*
  FROM cache_columns c
  JOIN cache_relations r ON r.rel_oid = c.rel_oid
 WHERE can_see_schema(r.schema_oid) AND can_see_column(c.rel_oid, c.attnum);

CREATE VIEW visible_constraints WITH (security_barrier) AS
SELECT k.*
  FROM cache_constraints k
  JOIN cache_relations r ON r.rel_oid = k.rel_oid
 WHERE can_see_schema(r.schema_oid) AND can_see_relation(k.rel_oid);

-- A relationship is shown only when both ends are visible: otherwise it
-- would reveal a table the caller may not know about.
CREATE VIEW visible_relationships WITH (security_barrier) AS
SELECT f.constraint_oid, f.constraint_name,
       f.from_rel_oid, fr.schema_name AS from_schema, fr.rel_name AS from_table, f.from_columns,
       f.to_rel_oid, tr.schema_name AS to_schema, tr.rel_name AS to_table, f.to_columns,
       f.on_update, f.on_delete, f.match_type, f.one_to_one, f.is_deferrable, f.is_validated,
       f.is_enforced, f.is_temporal
  FROM cache_relationships f
  JOIN cache_relations fr ON fr.rel_oid = f.from_rel_oid
  JOIN cache_relations tr ON tr.rel_oid = f.to_rel_oid
 WHERE can_see_relation(f.from_rel_oid) AND can_see_relation(f.to_rel_oid)
   AND can_see_schema(fr.schema_oid) AND can_see_schema(tr.schema_oid);

CREATE VIEW visible_column_stats WITH (security_barrier) AS
SELECT cs.rel_oid, c.column_name, cs.attnum, cs.null_frac, cs.n_distinct, cs.avg_width,
       cs.most_common_vals, cs.most_common_freqs, cs.histogram_bounds, cs.correlation,
       cs.stats_updated
  FROM cache_column_stats cs
  JOIN cache_columns c USING (rel_oid, attnum)
  JOIN cache_relations r ON r.rel_oid = cs.rel_oid
 WHERE can_see_schema(r.schema_oid)
   AND can_read_column(cs.rel_oid, cs.attnum)
   AND NOT coalesce(pg_catalog.row_security_active(cs.rel_oid), true);

CREATE VIEW visible_values WITH (security_barrier) AS
SELECT r.schema_name, r.rel_name AS table_name, c.column_name, v.value, v.rows,
       v.rel_oid, v.attnum
  FROM cache_values v
  JOIN cache_columns c USING (rel_oid, attnum)
  JOIN cache_relations r ON r.rel_oid = v.rel_oid
 WHERE can_see_schema(r.schema_oid)
   AND can_read_column(v.rel_oid, v.attnum)
   AND NOT coalesce(pg_catalog.row_security_active(v.rel_oid), true);

CREATE VIEW visible_indexes WITH (security_barrier) AS
SELECT i.*
  FROM cache_indexes i
  JOIN cache_relations r ON r.rel_oid = i.rel_oid
 WHERE can_see_schema(r.schema_oid) AND can_see_relation(i.rel_oid);

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

CREATE VIEW visible_enums WITH (security_barrier) AS
SELECT e.*
  FROM cache_enums e
 WHERE can_see_schema(e.schema_oid);

-- Level 1 of progressive discovery.  Like every read, it first repairs a
-- cache that tracking left stale.
CREATE FUNCTION schemas()
RETURNS TABLE (schema_name name, owner name, relations bigint, comment text,
               extension_name name, last_updated timestamptz)
LANGUAGE plpgsql VOLATILE
SET search_path = planner_meta, pg_catalog
AS $fn$
BEGIN
    IF (SELECT stale FROM cache_status) THEN
        PERFORM repair_if_stale();
    END IF;
    RETURN QUERY
    SELECT s.schema_name, s.owner,
           (SELECT count(*) FROM visible_relations r
             WHERE r.schema_oid = s.schema_oid AND r.parent_oid IS NULL),
           s.comment, s.extension_name, s.last_updated
      FROM visible_schemas s
     ORDER BY s.schema_name;
END
$fn$;
COMMENT ON FUNCTION schemas() IS
    'Schemas the caller may use, with the number of top-level relations in each.';

-- Level 2: relations of one schema (or all), partitions folded under their parent.
CREATE FUNCTION tables(schema text DEFAULT NULL)
RETURNS TABLE (schema_name name, table_name name, kind text, row_estimate bigint,
               columns bigint, partitions bigint, comment text, extension_name name,
               last_updated timestamptz)
LANGUAGE plpgsql VOLATILE
SET search_path = planner_meta, pg_catalog
AS $fn$
BEGIN
    IF (SELECT stale FROM cache_status) THEN
        PERFORM repair_if_stale();
    END IF;
    IF tables.schema IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM visible_schemas s WHERE s.schema_name = tables.schema) THEN
        RAISE EXCEPTION 'schema "%" does not exist or is not visible', tables.schema
              USING ERRCODE = 'invalid_schema_name';
    END IF;
    RETURN QUERY
    SELECT r.schema_name, r.rel_name, r.kind, r.row_estimate,
           (SELECT count(*) FROM visible_columns c WHERE c.rel_oid = r.rel_oid),
           (SELECT count(*) FROM visible_relations p WHERE p.parent_oid = r.rel_oid),
           r.comment, r.extension_name, r.last_updated
      FROM visible_relations r
     WHERE r.parent_oid IS NULL
       AND (tables.schema IS NULL OR r.schema_name = tables.schema)
     ORDER BY r.schema_name, r.rel_name;
END
$fn$;
COMMENT ON FUNCTION tables(text) IS
    'Top-level relations the caller can see, in one schema or all; partitions are counted under their parent.';

-- Which schemas the cache tracks: everything but the system's, temp and
-- toast schemas (all reserved under the pg_ prefix) and our own.
CREATE FUNCTION is_tracked_schema(schema_name name) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN schema_name NOT LIKE 'pg\_%' AND schema_name NOT IN ('information_schema', 'planner_meta');


CREATE FUNCTION fk_action(action "char") RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE action WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL'
                   WHEN 'd' THEN 'SET DEFAULT' ELSE 'NO ACTION' END;

-- Database-level freshness; nothing in it is secret.
CREATE VIEW cache_status AS
SELECT database_name,
       greatest(last_updated, (SELECT max(at) FROM change_log)) AS last_updated,
       last_refresh, stale,
       (SELECT max(id) FROM change_log) AS last_change_id,
       -- the value index: columns it holds, and how many are stale
       (SELECT count(*) FROM cache_value_columns) AS value_columns,
       (SELECT count(*) FROM cache_value_columns vc
         WHERE relation_data_is_stale(vc.rel_oid, vc.built_at)) AS stale_value_columns
  FROM cache_state;

-- Words users want the planner to understand: a term standing for a table,
-- a column, or a value of a column ('New York' -> 'NY').  Written by the
-- owner (grant INSERT to delegate), read by everyone; the planner ignores
-- entries about objects the caller cannot see.
CREATE TABLE synonyms (
    id           serial PRIMARY KEY,
    term         text NOT NULL CHECK (btrim(term) <> ''),
    schema_name  name NOT NULL DEFAULT 'public',
    table_name   name NOT NULL,
    column_name  name,
    value        text,
    CHECK (value IS NULL OR column_name IS NOT NULL)
);

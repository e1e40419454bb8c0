-- planner_meta 0.2.0 -> 0.3.0.
--
-- Runs inside ALTER EXTENSION planner_meta UPDATE with search_path set to
-- the extension's schema.  The linking index that plan() reads joins the
-- extension; its tables start empty and the cache is marked stale, so the
-- first read after the update repairs the cache and builds the index from
-- it (nothing here calls the library's functions).

-- What PostgreSQL 18 adds to the catalog rows (see src/knowledge/pg_major.rs): the
-- kind of a generated column, NOT NULL as a named constraint, NOT ENFORCED
-- and temporal keys; and inheritance of constraints.  Filled here for the
-- rows already cached, so that the repair after the update finds no
-- difference that did not happen.
ALTER TABLE cache_columns
    ADD COLUMN generated_kind text CHECK (generated_kind IN ('STORED', 'VIRTUAL'));
UPDATE cache_columns SET generated_kind = 'STORED' WHERE generated_expr IS NOT NULL;

ALTER TABLE cache_constraints DROP CONSTRAINT cache_constraints_constraint_type_check;
ALTER TABLE cache_constraints
    ADD CONSTRAINT cache_constraints_constraint_type_check
        CHECK (constraint_type IN ('primary_key', 'unique', 'check', 'exclusion', 'not_null')),
    ADD COLUMN is_enforced  boolean NOT NULL DEFAULT true,
    ADD COLUMN is_temporal  boolean NOT NULL DEFAULT false,
    ADD COLUMN is_inherited boolean NOT NULL DEFAULT false,
    ADD COLUMN no_inherit   boolean NOT NULL DEFAULT false;
ALTER TABLE cache_constraints
    ALTER COLUMN is_enforced DROP DEFAULT, ALTER COLUMN is_temporal DROP DEFAULT,
    ALTER COLUMN is_inherited DROP DEFAULT, ALTER COLUMN no_inherit DROP DEFAULT;
UPDATE cache_constraints k
   SET is_inherited = con.coninhcount > 0, no_inherit = con.connoinherit AND con.contype = 'c'
  FROM pg_catalog.pg_constraint con
 WHERE con.oid = k.constraint_oid;

ALTER TABLE cache_relationships
    ADD COLUMN is_enforced boolean NOT NULL DEFAULT true,
    ADD COLUMN is_temporal boolean NOT NULL DEFAULT false;
ALTER TABLE cache_relationships
    ALTER COLUMN is_enforced DROP DEFAULT, ALTER COLUMN is_temporal DROP DEFAULT;

CREATE OR REPLACE VIEW visible_columns WITH (security_barrier) AS
SELECT c.*
  FROM cache_columns c
  JOIN cache_relations r ON r.rel_oid = c.rel_oid
 WHERE can_see_schema(r.schema_oid) AND can_see_column(c.rel_oid, c.attnum);

CREATE OR REPLACE VIEW visible_constraints WITH (security_barrier) AS
SELECT k.*
  FROM cache_constraints k
  JOIN cache_relations r ON r.rel_oid = k.rel_oid
 WHERE can_see_schema(r.schema_oid) AND can_see_relation(k.rel_oid);

CREATE OR REPLACE VIEW visible_relationships WITH (security_barrier) AS
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

-- Column privileges: the table privilege is tested first (see bootstrap.sql).
CREATE OR REPLACE FUNCTION can_see_column(rel_oid oid, attnum smallint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
RETURN coalesce(has_table_privilege(rel_oid, 'SELECT, INSERT, UPDATE, REFERENCES')
                OR has_column_privilege(rel_oid, attnum, 'SELECT, INSERT, UPDATE, REFERENCES'), false);

CREATE FUNCTION can_read_column(rel_oid oid, attnum smallint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
RETURN coalesce(has_table_privilege(rel_oid, 'SELECT')
                OR has_column_privilege(rel_oid, attnum, 'SELECT'), false);

CREATE OR REPLACE VIEW visible_column_stats WITH (security_barrier) AS
SELECT cs.rel_oid, c.column_name, cs.attnum, cs.null_frac, cs.n_distinct, cs.avg_width,
       cs.most_common_vals, cs.most_common_freqs, cs.histogram_bounds, cs.correlation,
       cs.stats_updated
  FROM cache_column_stats cs
  JOIN cache_columns c USING (rel_oid, attnum)
  JOIN cache_relations r ON r.rel_oid = cs.rel_oid
 WHERE can_see_schema(r.schema_oid)
   AND can_read_column(cs.rel_oid, cs.attnum)
   AND NOT coalesce(pg_catalog.row_security_active(cs.rel_oid), true);

CREATE OR REPLACE VIEW visible_values WITH (security_barrier) AS
SELECT r.schema_name, r.rel_name AS table_name, c.column_name, v.value, v.rows,
       v.rel_oid, v.attnum
  FROM cache_values v
  JOIN cache_columns c USING (rel_oid, attnum)
  JOIN cache_relations r ON r.rel_oid = v.rel_oid
 WHERE can_see_schema(r.schema_oid)
   AND can_read_column(v.rel_oid, v.attnum)
   AND NOT coalesce(pg_catalog.row_security_active(v.rel_oid), true);

CREATE FUNCTION "object_terms"(
	"name" TEXT, /* & str */
	"comment" TEXT, /* Option < & str > */
	"is_relation" bool /* bool */
) RETURNS TABLE (
	"kind" TEXT,  /* String */
	"phrase" TEXT  /* String */
)
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'object_terms_wrapper';

CREATE FUNCTION "phrase_keys"(
	"phrase" TEXT /* & str */
) RETURNS TEXT[] /* Vec < String > */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'phrase_keys_wrapper';

CREATE FUNCTION "value_phrase"(
	"value" TEXT /* & str */
) RETURNS TEXT /* Option < String > */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'value_phrase_wrapper';

CREATE FUNCTION "content_stems"(
	"text" TEXT /* & str */
) RETURNS TEXT[] /* Vec < String > */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'content_stems_wrapper';

CREATE FUNCTION refresh_stale_stats(rels oid[] DEFAULT NULL) RETURNS jsonb
VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET datestyle = 'ISO, YMD' SET intervalstyle = 'postgres' SET extra_float_digits = 1
LANGUAGE c AS 'MODULE_PATHNAME', 'refresh_stale_stats_wrapper';
COMMENT ON FUNCTION refresh_stale_stats(oid[]) IS
    'Re-reads statistics of relations analyzed since the cache last copied them.';

-- Readers name the relations whose stale value-index columns they need.
DROP FUNCTION refresh_stale_values();
CREATE FUNCTION refresh_stale_values(rels oid[] DEFAULT NULL) RETURNS jsonb
VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET datestyle = 'ISO, YMD' SET intervalstyle = 'postgres' SET extra_float_digits = 1
LANGUAGE c AS 'MODULE_PATHNAME', 'refresh_stale_values_wrapper';
COMMENT ON FUNCTION refresh_stale_values(oid[]) IS
    'Re-reads stale columns of the value index (of rels, or all) within planner_meta.values_read_budget.';

-- Every phrase an object is known by: a table or column name (as stems),
-- a synonym from a comment directive, or comment words.  attnum 0 is the
-- relation itself.  kind: 'n' name, 's' synonym, 'c' comment.
CREATE TABLE link_terms (
    rel_oid  oid      NOT NULL,
    attnum   smallint NOT NULL,
    kind     text     NOT NULL,
    phrase   text     NOT NULL
);
CREATE INDEX ON link_terms (rel_oid);
CREATE INDEX ON link_terms (phrase, kind, (attnum = 0));

-- Each distinct phrase once, with the keys it is found by (its stems and
-- the beginnings of long stems): a question reaches a few phrases here,
-- then their objects by phrase, however many tables share a column name.
-- Only plan() reads it, as the owner, and shows nobody its phrases; what
-- a reader gets is the visible terms they lead to (see retrieve.rs).
-- Phrases are never removed by DDL (one no object uses finds nothing);
-- refresh(force => true) rebuilds the table.
CREATE TABLE link_phrases (
    phrase  text   PRIMARY KEY,
    keys    text[] NOT NULL
);
-- A small pending list: every lookup scans the list whole until it is
-- merged, which the default 4 MB made milliseconds per plan() after a
-- rebuild; without one (fastupdate off), each DDL's new phrases go into
-- the tree one by one and concurrent DDL lost a third of its throughput.
CREATE INDEX ON link_phrases USING gin (keys) WITH (gin_pending_list_limit = 64);

-- Typical values of text-like columns: most-common values and, for columns
-- with few distinct values, histogram bounds ('pg_stats', from
-- cache_column_stats), the value index ('value index') and enum labels
-- ('enum'), each with its stems and first stem.
CREATE TABLE link_values (
    rel_oid     oid      NOT NULL,
    attnum      smallint NOT NULL,
    source      text     NOT NULL,
    first_stem  text     NOT NULL,
    phrase      text     NOT NULL,
    value       text     NOT NULL
);
CREATE INDEX ON link_values (first_stem);
CREATE INDEX ON link_values (rel_oid, attnum);

-- Readers find only what they could see through the other visible_*
-- views: terms of visible relations and columns (partitions are folded
-- under their parent and have no terms), values where pg_stats would show
-- the column's statistics (SELECT on it, no row-level security in force),
-- enum labels with the column.
CREATE VIEW visible_link_terms WITH (security_barrier) AS
SELECT t.rel_oid, t.attnum, t.kind, t.phrase
  FROM link_terms t
  JOIN cache_relations r ON r.rel_oid = t.rel_oid
 WHERE can_see_schema(r.schema_oid)
   AND CASE WHEN t.attnum = 0 THEN can_see_relation(t.rel_oid)
            ELSE can_see_column(t.rel_oid, t.attnum) END;

CREATE VIEW visible_link_values WITH (security_barrier) AS
SELECT v.rel_oid, v.attnum, v.source, v.first_stem, v.phrase, v.value
  FROM link_values v
  JOIN cache_relations r ON r.rel_oid = v.rel_oid
 WHERE can_see_schema(r.schema_oid)
   AND CASE WHEN v.source = 'enum' THEN can_see_column(v.rel_oid, v.attnum)
            ELSE can_read_column(v.rel_oid, v.attnum)
                 AND NOT coalesce(pg_catalog.row_security_active(v.rel_oid), true) END;

GRANT SELECT ON visible_link_terms, visible_link_values TO PUBLIC;

-- The lexicon: phrases (stems joined by spaces, as in link_phrases) and
-- the phrases of related meaning a question's words may stand for, with
-- how they relate and how strongly.  load_lexicon() fills it from
-- WordNet's files; anything another source writes keeps its own name and
-- survives a reload.  Public knowledge, readable by every role.
CREATE TABLE lexicon (
    phrase    text NOT NULL,
    related   text NOT NULL,
    relation  text NOT NULL
              CHECK (relation IN ('synonym', 'broader', 'narrower', 'derived', 'inflection')),
    weight    real NOT NULL CHECK (weight > 0 AND weight <= 1),
    source    text NOT NULL,
    PRIMARY KEY (phrase, related)
);

CREATE FUNCTION "load_lexicon"(
	"folder" TEXT DEFAULT NULL,
	"missing_ok" bool DEFAULT false
) RETURNS bigint
VOLATILE PARALLEL UNSAFE
LANGUAGE c
AS 'MODULE_PATHNAME', 'load_lexicon_wrapper';
GRANT SELECT ON lexicon TO PUBLIC;
REVOKE EXECUTE ON FUNCTION load_lexicon(text, boolean) FROM PUBLIC;
SELECT load_lexicon(missing_ok => true);

-- The whole-catalog reads run longer JIT-compiled than interpreted (JIT
-- took 3-4 s of refresh(force) at 10,000 tables).
ALTER FUNCTION refresh(boolean) SET jit = off;
ALTER FUNCTION verify() SET jit = off;
ALTER FUNCTION repair_if_stale() SET jit = off;
ALTER FUNCTION refresh_stats(regclass) SET jit = off;
ALTER FUNCTION refresh_values(regclass, boolean) SET jit = off;

-- DDL is synchronised once per transaction, at pre-commit (see
-- src/tracking/pending.rs); any role's commit calls this.
CREATE FUNCTION track_pending() RETURNS void
VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET datestyle = 'ISO, YMD' SET intervalstyle = 'postgres' SET extra_float_digits = 1
SET plan_cache_mode = force_generic_plan
LANGUAGE c AS 'MODULE_PATHNAME', 'track_pending_wrapper';

UPDATE cache_state SET stale = true;

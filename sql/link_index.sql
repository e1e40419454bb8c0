-- The linking index: what plan() finds a question's words in.  Kept up to
-- date in the DDL's own transaction for the relations it touched, and by
-- the statistics and value-index refreshes for the columns they read, so
-- no reader ever rebuilds it.  Ordinary tables: it replicates with the WAL.

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

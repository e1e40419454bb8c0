-- What the DDL command(s) now ending touched, and every cached object whose
-- text the change can alter: the relation behind an index, constraint,
-- trigger, rule, policy or default; relations that render the touched
-- objects' names (views, defaults, checks, foreign keys, columns of a type,
-- through pg_depend); members of a touched schema or extension; partitions
-- and parents of touched relations.  All lookups go through catalog indexes,
-- so the cost follows the size of the change, not of the database.
-- Must run inside a ddl_command_end event trigger.
WITH cmd AS (
    SELECT DISTINCT classid, objid
      FROM pg_event_trigger_ddl_commands()
     WHERE objid <> 0
), direct AS (
    SELECT c.oid AS rel FROM cmd JOIN pg_class c
        ON cmd.classid = 'pg_class'::regclass AND c.oid = cmd.objid
    UNION SELECT i.indrelid FROM cmd JOIN pg_index i
        ON cmd.classid = 'pg_class'::regclass AND i.indexrelid = cmd.objid
    UNION SELECT k.conrelid FROM cmd JOIN pg_constraint k
        ON cmd.classid = 'pg_constraint'::regclass AND k.oid = cmd.objid
    UNION SELECT k.confrelid FROM cmd JOIN pg_constraint k
        ON cmd.classid = 'pg_constraint'::regclass AND k.oid = cmd.objid
    UNION SELECT t.tgrelid FROM cmd JOIN pg_trigger t
        ON cmd.classid = 'pg_trigger'::regclass AND t.oid = cmd.objid
    UNION SELECT r.ev_class FROM cmd JOIN pg_rewrite r
        ON cmd.classid = 'pg_rewrite'::regclass AND r.oid = cmd.objid
    UNION SELECT p.polrelid FROM cmd JOIN pg_policy p
        ON cmd.classid = 'pg_policy'::regclass AND p.oid = cmd.objid
    UNION SELECT a.adrelid FROM cmd JOIN pg_attrdef a
        ON cmd.classid = 'pg_attrdef'::regclass AND a.oid = cmd.objid
), schemas AS (
    SELECT objid AS nsp FROM cmd WHERE classid = 'pg_namespace'::regclass
), extensions AS (
    SELECT x.oid, x.extname FROM cmd JOIN pg_extension x
        ON cmd.classid = 'pg_extension'::regclass AND x.oid = cmd.objid
), members AS (
    SELECT d.classid, d.objid FROM extensions x
      JOIN pg_depend d ON d.refclassid = 'pg_extension'::regclass AND d.refobjid = x.oid
                      AND d.deptype = 'e'
), base AS (
    SELECT rel FROM direct
    UNION SELECT c.oid FROM schemas s JOIN pg_class c ON c.relnamespace = s.nsp
    UNION SELECT r.rel_oid FROM schemas s JOIN planner_meta.cache_relations r ON r.schema_oid = s.nsp
    UNION SELECT m.objid FROM members m WHERE m.classid = 'pg_class'::regclass
    UNION SELECT r.rel_oid FROM extensions x JOIN planner_meta.cache_relations r
        ON r.extension_name = x.extname
), types AS (
    SELECT t.oid FROM cmd JOIN pg_type t ON cmd.classid = 'pg_type'::regclass AND t.oid = cmd.objid
    UNION SELECT t.oid FROM schemas s JOIN pg_type t ON t.typnamespace = s.nsp AND t.typtype = 'e'
    UNION SELECT e.type_oid FROM schemas s JOIN planner_meta.cache_enums e ON e.schema_oid = s.nsp
    UNION SELECT m.objid FROM members m WHERE m.classid = 'pg_type'::regclass
    UNION SELECT e.type_oid FROM extensions x JOIN planner_meta.cache_enums e
        ON e.extension_name = x.extname
), sources AS (
    -- Objects whose names other objects' text may embed.
    SELECT classid, objid FROM cmd
    UNION SELECT 'pg_class'::regclass::oid, rel FROM base
    UNION SELECT 'pg_type'::regclass::oid, oid FROM types
), dependents AS (
    SELECT coalesce(r.ev_class, a.adrelid, k.conrelid, ix.indrelid, c.oid) AS rel
      FROM sources src
      JOIN pg_depend d ON d.refclassid = src.classid AND d.refobjid = src.objid
      LEFT JOIN pg_rewrite r    ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid
      LEFT JOIN pg_attrdef a    ON d.classid = 'pg_attrdef'::regclass AND a.oid = d.objid
      LEFT JOIN pg_constraint k ON d.classid = 'pg_constraint'::regclass AND k.oid = d.objid
      LEFT JOIN pg_index ix     ON d.classid = 'pg_class'::regclass AND ix.indexrelid = d.objid
      LEFT JOIN pg_class c      ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
), rels AS (
    SELECT rel FROM base
    UNION SELECT rel FROM dependents
), family AS (
    SELECT rel FROM rels
    UNION SELECT i.inhrelid FROM rels JOIN pg_inherits i ON i.inhparent = rels.rel
    UNION SELECT i.inhparent FROM rels JOIN pg_inherits i ON i.inhrelid = rels.rel
    UNION SELECT r.rel_oid FROM rels JOIN planner_meta.cache_relations r ON r.parent_oid = rels.rel
    UNION SELECT r.parent_oid FROM rels JOIN planner_meta.cache_relations r ON r.rel_oid = rels.rel
), all_schemas AS (
    SELECT nsp FROM schemas
    UNION SELECT m.objid FROM members m WHERE m.classid = 'pg_namespace'::regclass
    UNION SELECT s.schema_oid FROM extensions x JOIN planner_meta.cache_schemas s
        ON s.extension_name = x.extname
)
SELECT jsonb_build_object(
    'relations', coalesce((SELECT jsonb_agg(rel::bigint) FROM family WHERE rel IS NOT NULL AND rel <> 0), '[]'),
    'schemas',   coalesce((SELECT jsonb_agg(nsp::bigint) FROM all_schemas), '[]'),
    'types',     coalesce((SELECT jsonb_agg(oid::bigint) FROM types), '[]'),
    'commands',  (SELECT count(*) FROM pg_event_trigger_ddl_commands()))

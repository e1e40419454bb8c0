-- Relations a set of touched objects ($1 classids, $2 objids, pairwise)
-- lead to: the relation itself, or the relation behind an index,
-- constraint, trigger, rule, policy or column default (a foreign key is
-- read with the table that holds it: pulling in the referenced table would
-- re-read every key pointing at it); and every relation
-- whose cached text renders the objects' names (views, defaults, checks,
-- foreign keys, columns of a type, triggers naming a function, policies),
-- found through pg_depend.  Every lookup
-- is an index probe, so the cost follows the size of the change.
WITH objects AS (
    SELECT * FROM unnest($1::oid[], $2::oid[]) AS o(classid, objid)
), direct AS (
    SELECT o.objid AS rel FROM objects o WHERE o.classid = 'pg_class'::regclass
    UNION SELECT i.indrelid FROM objects o JOIN pg_index i
        ON o.classid = 'pg_class'::regclass AND i.indexrelid = o.objid
    UNION SELECT k.conrelid FROM objects o JOIN pg_constraint k
        ON o.classid = 'pg_constraint'::regclass AND k.oid = o.objid
    UNION SELECT t.tgrelid FROM objects o JOIN pg_trigger t
        ON o.classid = 'pg_trigger'::regclass AND t.oid = o.objid
    UNION SELECT r.ev_class FROM objects o JOIN pg_rewrite r
        ON o.classid = 'pg_rewrite'::regclass AND r.oid = o.objid
    UNION SELECT p.polrelid FROM objects o JOIN pg_policy p
        ON o.classid = 'pg_policy'::regclass AND p.oid = o.objid
    UNION SELECT a.adrelid FROM objects o JOIN pg_attrdef a
        ON o.classid = 'pg_attrdef'::regclass AND a.oid = o.objid
), sources AS (
    SELECT classid, objid FROM objects
    UNION SELECT 'pg_class'::regclass::oid, rel FROM direct
    -- a composite type reported as its pg_class row: its columns' users
    -- (typed tables, columns of the type) depend on the pg_type row
    UNION SELECT 'pg_type'::regclass::oid, c.reltype FROM direct d
      JOIN pg_class c ON c.oid = d.rel AND c.relkind = 'c'
), dependents AS (
    SELECT coalesce(r.ev_class, a.adrelid, k.conrelid, ix.indrelid, tg.tgrelid, po.polrelid,
                    d.objid) AS rel
      FROM sources s
      JOIN pg_depend d ON d.refclassid = s.classid AND d.refobjid = s.objid
      LEFT JOIN pg_rewrite r    ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid
      LEFT JOIN pg_attrdef a    ON d.classid = 'pg_attrdef'::regclass AND a.oid = d.objid
      -- A foreign key of another table is cached with that table and
      -- names the touched one by oid only: re-reading that table would
      -- lock it (expressions are deparsed under AccessShareLock) and could
      -- deadlock with DDL on it in another session.
      LEFT JOIN pg_constraint k ON d.classid = 'pg_constraint'::regclass AND k.oid = d.objid
                               AND k.contype <> 'f'
      LEFT JOIN pg_index ix     ON d.classid = 'pg_class'::regclass AND ix.indexrelid = d.objid
      LEFT JOIN pg_trigger tg   ON d.classid = 'pg_trigger'::regclass AND tg.oid = d.objid
      LEFT JOIN pg_policy po    ON d.classid = 'pg_policy'::regclass AND po.oid = d.objid
     -- classid is compared as an expression so that only the reference index
     -- is probed (the depender index would match every object of a class).
     WHERE d.classid::bigint IN ('pg_rewrite'::regclass::oid::bigint, 'pg_attrdef'::regclass::oid::bigint,
                                 'pg_constraint'::regclass::oid::bigint, 'pg_class'::regclass::oid::bigint,
                                 'pg_trigger'::regclass::oid::bigint, 'pg_policy'::regclass::oid::bigint)
)
SELECT coalesce(jsonb_agg(DISTINCT rel::bigint), '[]'::jsonb)
  FROM (SELECT rel FROM direct UNION SELECT rel FROM dependents) x
 WHERE rel IS NOT NULL AND rel <> 0

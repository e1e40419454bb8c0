-- Foreign keys between tracked relations; $1 limits to those touching these
-- relation oids on either side (NULL: all).  Copies that PostgreSQL makes on
-- each partition (conparentid <> 0) are folded into the parent's key.  A key
-- is one-to-one when its columns contain a unique, non-partial key of the
-- referencing table.  A temporal key (PERIOD, PostgreSQL 18) matches its
-- last columns by range containment, the others by equality.
SELECT con.oid       AS constraint_oid,
       con.conname   AS constraint_name,
       con.conrelid  AS from_rel_oid,
       ARRAY(SELECT a.attname
               FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
              ORDER BY k.ord) AS from_columns,
       con.confrelid AS to_rel_oid,
       ARRAY(SELECT a.attname
               FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
              ORDER BY k.ord) AS to_columns,
       planner_meta.fk_action(con.confupdtype) AS on_update,
       planner_meta.fk_action(con.confdeltype) AS on_delete,
       CASE con.confmatchtype WHEN 'f' THEN 'FULL' WHEN 'p' THEN 'PARTIAL'
                              ELSE 'SIMPLE' END AS match_type,
       EXISTS (SELECT 1 FROM pg_index i
                WHERE i.indrelid = con.conrelid AND i.indisunique
                  AND i.indpred IS NULL AND i.indexprs IS NULL
                  AND i.indkey::int2[] <@ con.conkey) AS one_to_one,
       con.condeferrable AS is_deferrable,
       con.convalidated  AS is_validated,
       con.conenforced   AS is_enforced,
       con.conperiod     AS is_temporal
  FROM pg_constraint con
  JOIN pg_class fc     ON fc.oid = con.conrelid
  JOIN pg_namespace fn ON fn.oid = fc.relnamespace
  JOIN pg_class tc     ON tc.oid = con.confrelid
  JOIN pg_namespace tn ON tn.oid = tc.relnamespace
 WHERE con.contype = 'f' AND con.conparentid = 0
   AND planner_meta.is_tracked_schema(fn.nspname)
   AND planner_meta.is_tracked_schema(tn.nspname)
   AND (/*scope*/ con.oid = ANY (ARRAY(
           -- pg_constraint has no index on confrelid; pg_depend
           -- finds the keys referencing a relation by index.
           SELECT k.oid FROM pg_constraint k WHERE k.conrelid = ANY ($1::oid[])
           UNION ALL
           SELECT d.objid FROM pg_depend d
            WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = ANY ($1::oid[])
              -- compared as an expression so that only the reference
              -- index is probed, never every constraint's entry
              AND d.classid::bigint = 'pg_constraint'::regclass::oid::bigint)))

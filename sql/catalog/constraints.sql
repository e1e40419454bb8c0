-- Primary key, unique, check and exclusion constraints of tracked
-- relations; $1 limits to these relation oids (NULL: all).
SELECT con.oid      AS constraint_oid,
       con.conrelid AS rel_oid,
       con.conname  AS constraint_name,
       CASE con.contype WHEN 'p' THEN 'primary_key' WHEN 'u' THEN 'unique'
                        WHEN 'c' THEN 'check'       WHEN 'x' THEN 'exclusion' END
                    AS constraint_type,
       ARRAY(SELECT a.attname
               FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
              ORDER BY k.ord) AS columns,
       pg_get_constraintdef(con.oid, true) AS definition,
       con.condeferrable AS is_deferrable,
       con.convalidated  AS is_validated
  FROM pg_constraint con
  JOIN pg_class c     ON c.oid = con.conrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE con.contype IN ('p', 'u', 'c', 'x')
   AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
   AND planner_meta.is_tracked_schema(n.nspname)
   AND (/*scope*/ con.conrelid = ANY ($1::oid[]))

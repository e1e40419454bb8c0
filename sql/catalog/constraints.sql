-- Primary key, unique, check, exclusion and (since PostgreSQL 18, when
-- NOT NULL became a named constraint) not-null constraints of tracked
-- relations; $1 limits to these relation oids (NULL: all).  Columns that
-- older majors lack are mapped in src/knowledge/pg_major.rs.
SELECT con.oid      AS constraint_oid,
       con.conrelid AS rel_oid,
       con.conname  AS constraint_name,
       CASE con.contype WHEN 'p' THEN 'primary_key' WHEN 'u' THEN 'unique'
                        WHEN 'c' THEN 'check'       WHEN 'x' THEN 'exclusion'
                        WHEN 'n' THEN 'not_null' END
                    AS constraint_type,
       ARRAY(SELECT a.attname
               FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
              ORDER BY k.ord) AS columns,
       pg_get_constraintdef(con.oid, true) AS definition,
       con.condeferrable AS is_deferrable,
       con.convalidated  AS is_validated,
       con.conenforced   AS is_enforced,
       -- a temporal key: its last column WITHOUT OVERLAPS
       con.conperiod     AS is_temporal,
       con.coninhcount > 0 AS is_inherited,
       -- only check and not-null constraints are ever inherited; the
       -- catalog marks every other kind NO INHERIT
       con.connoinherit AND con.contype IN ('c', 'n') AS no_inherit
  FROM pg_constraint con
  JOIN pg_class c     ON c.oid = con.conrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE con.contype IN ('p', 'u', 'c', 'x', 'n')
   AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
   AND planner_meta.is_tracked_schema(n.nspname)
   AND (/*scope*/ con.conrelid = ANY ($1::oid[]))

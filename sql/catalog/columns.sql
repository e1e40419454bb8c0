-- Columns of tracked relations; $1 limits to these relation oids (NULL: all).
-- Collation is shown only where it differs from the type's, as \d does.
-- A default naming no column is deparsed without its relation:
-- pg_get_expr opens and locks the relation it is given, which cost a third
-- of reading every column of 10,000 tables (and a lock each until commit).
SELECT a.attrelid                                AS rel_oid,
       a.attnum                                  AS attnum,
       a.attname                                 AS column_name,
       format_type(a.atttypid, a.atttypmod)      AS data_type,
       a.atttypid                                AS type_oid,
       a.attnotnull                              AS not_null,
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, CASE WHEN d.adbin::text LIKE '%{VAR %' THEN d.adrelid ELSE 0 END, true) END
                                                 AS default_expr,
       CASE a.attidentity WHEN 'a' THEN 'ALWAYS' WHEN 'd' THEN 'BY DEFAULT' END
                                                 AS identity,
       CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid, true) END
                                                 AS generated_expr,
       (SELECT co.collname FROM pg_collation co
         WHERE co.oid = a.attcollation AND a.attcollation <> t.typcollation)
                                                 AS collation_name,
       (SELECT ds.description FROM pg_description ds WHERE ds.objoid = a.attrelid AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = a.attnum)     AS comment,
       -- virtual ('v') since PostgreSQL 18: computed when read, never stored
       CASE a.attgenerated WHEN 's' THEN 'STORED' WHEN 'v' THEN 'VIRTUAL' END
                                                 AS generated_kind
  FROM pg_attribute a
  JOIN pg_class c      ON c.oid = a.attrelid
  JOIN pg_namespace n  ON n.oid = c.relnamespace
  JOIN pg_type t       ON t.oid = a.atttypid
  LEFT JOIN pg_attrdef d   ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE a.attnum > 0 AND NOT a.attisdropped
   AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
   AND planner_meta.is_tracked_schema(n.nspname)
   AND (/*scope*/ a.attrelid = ANY ($1::oid[]))

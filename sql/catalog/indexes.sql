-- Indexes of tracked relations; $1 limits to these relation oids (NULL: all).
SELECT i.indexrelid   AS index_oid,
       i.indrelid     AS rel_oid,
       ic.relname     AS index_name,
       am.amname      AS method,
       i.indisunique  AS is_unique,
       i.indisprimary AS is_primary,
       i.indisvalid   AS is_valid,
       -- a plain column reads as its quoted name, as pg_get_indexdef would
       -- print it, without deparsing the index once per column
       ARRAY(SELECT coalesce(quote_ident(a.attname), pg_get_indexdef(i.indexrelid, k, true))
               FROM generate_series(1, i.indnkeyatts) AS k
               LEFT JOIN pg_attribute a
                      ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1] AND i.indkey[k - 1] <> 0
              ORDER BY k) AS key_columns,
       ARRAY(SELECT coalesce(quote_ident(a.attname), pg_get_indexdef(i.indexrelid, k, true))
               FROM generate_series(i.indnkeyatts + 1, i.indnatts) AS k
               LEFT JOIN pg_attribute a
                      ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1] AND i.indkey[k - 1] <> 0
              ORDER BY k) AS include_columns,
       pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       (SELECT con.conname FROM pg_constraint con
         WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
           AND con.contype IN ('p', 'u', 'x')
         LIMIT 1)     AS constraint_name,
       pg_get_indexdef(i.indexrelid) AS definition
  FROM pg_index i
  JOIN pg_class ic    ON ic.oid = i.indexrelid
  JOIN pg_am am       ON am.oid = ic.relam
  JOIN pg_class c     ON c.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
   AND planner_meta.is_tracked_schema(n.nspname)
   AND (/*scope*/ i.indrelid = ANY ($1::oid[]))

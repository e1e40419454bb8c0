-- User triggers of tracked relations (internal ones, such as those behind
-- foreign keys, are the constraint's business); $1 limits to these
-- relation oids (NULL: all).
SELECT t.oid          AS trigger_oid,
       t.tgrelid      AS rel_oid,
       t.tgname       AS trigger_name,
       CASE WHEN t.tgtype & 2 <> 0 THEN 'BEFORE'
            WHEN t.tgtype & 64 <> 0 THEN 'INSTEAD OF'
            ELSE 'AFTER' END AS timing,
       ARRAY(SELECT e.event FROM (VALUES (4, 'INSERT', 1), (16, 'UPDATE', 2),
                                         (8, 'DELETE', 3), (32, 'TRUNCATE', 4))
                                 AS e (bit, event, ord)
              WHERE t.tgtype & e.bit <> 0 ORDER BY e.ord) AS events,
       CASE WHEN t.tgtype & 1 <> 0 THEN 'ROW' ELSE 'STATEMENT' END AS level,
       pn.nspname || '.' || p.proname AS function_name,
       CASE t.tgenabled WHEN 'O' THEN 'enabled' WHEN 'D' THEN 'disabled'
                        WHEN 'R' THEN 'replica' WHEN 'A' THEN 'always' END AS enabled,
       t.tgconstraint <> 0 AS is_constraint,
       (SELECT ds.description FROM pg_description ds
         WHERE ds.objoid = t.oid AND ds.classoid = 'pg_trigger'::regclass) AS comment,
       pg_get_triggerdef(t.oid, true) AS definition
  FROM pg_trigger t
  JOIN pg_proc p       ON p.oid = t.tgfoid
  JOIN pg_namespace pn ON pn.oid = p.pronamespace
  JOIN pg_class c      ON c.oid = t.tgrelid
  JOIN pg_namespace n  ON n.oid = c.relnamespace
 WHERE NOT t.tgisinternal
   AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
   AND planner_meta.is_tracked_schema(n.nspname)
   AND (/*scope*/ t.tgrelid = ANY ($1::oid[]))

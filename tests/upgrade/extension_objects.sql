-- Everything that defines the installed extension, free of oids and of the
-- order objects were created in: one line per object property, sorted.
-- A fresh install and an updated one must print the same lines.
WITH ext AS (
    SELECT oid, extconfig, extcondition FROM pg_extension WHERE extname = 'planner_meta'
), member AS (
    SELECT d.classid, d.objid
      FROM pg_depend d, ext
     WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
), line AS (
    -- every member, with its comment
    SELECT pg_describe_object(m.classid, m.objid, 0) || ' comment=' ||
           coalesce(obj_description(m.objid, m.classid::regclass::text), '-') AS text
      FROM member m
    UNION ALL
    -- relations: kind, persistence, options, privileges
    SELECT format('relation %s kind=%s persistence=%s options=%s acl=%s',
                  c.oid::regclass, c.relkind, c.relpersistence, c.reloptions, c.relacl)
      FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
    UNION ALL
    -- columns, in their physical order
    SELECT format('column %s #%s %s %s notnull=%s default=%s identity=%s generated=%s acl=%s comment=%s',
                  c.oid::regclass, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),
                  a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid), a.attidentity, a.attgenerated,
                  a.attacl, col_description(c.oid, a.attnum))
      FROM member m
      JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
    UNION ALL
    -- constraints and indexes of member tables
    SELECT format('constraint %s %s %s', c.oid::regclass, co.conname, pg_get_constraintdef(co.oid))
      FROM member m
      JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
      JOIN pg_constraint co ON co.conrelid = c.oid
    UNION ALL
    SELECT format('index %s', pg_get_indexdef(i.indexrelid))
      FROM member m
      JOIN pg_index i ON m.classid = 'pg_class'::regclass AND i.indrelid = m.objid
    UNION ALL
    SELECT format('trigger %s %s', t.tgrelid::regclass, pg_get_triggerdef(t.oid))
      FROM member m
      JOIN pg_trigger t ON m.classid = 'pg_class'::regclass AND t.tgrelid = m.objid
    UNION ALL
    -- views' queries
    SELECT format('view %s %s', c.oid::regclass, pg_get_viewdef(c.oid))
      FROM member m
      JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
     WHERE c.relkind IN ('v', 'm')
    UNION ALL
    -- functions: the whole definition (body, settings, security), privileges
    SELECT format('function %s %s acl=%s', p.oid::regprocedure,
                  CASE WHEN p.prokind IN ('f', 'p', 'w') THEN pg_get_functiondef(p.oid) END, p.proacl)
      FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
    UNION ALL
    SELECT format('event trigger %s on %s tags=%s calls %s enabled=%s', e.evtname, e.evtevent,
                  e.evttags, e.evtfoid::regproc, e.evtenabled)
      FROM member m JOIN pg_event_trigger e ON m.classid = 'pg_event_trigger'::regclass AND e.oid = m.objid
    UNION ALL
    SELECT format('type %s kind=%s labels=%s', t.oid::regtype, t.typtype,
                  (SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = t.oid))
      FROM member m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
    UNION ALL
    -- the schema's privileges, and what pg_dump keeps of the extension's tables
    SELECT format('schema planner_meta acl=%s', n.nspacl)
      FROM pg_namespace n WHERE n.nspname = 'planner_meta'
    UNION ALL
    SELECT format('dumped %s where %s', cfg.rel::regclass, cfg.cond)
      FROM ext, unnest(ext.extconfig, ext.extcondition) AS cfg(rel, cond)
)
SELECT text FROM line ORDER BY text COLLATE "C";

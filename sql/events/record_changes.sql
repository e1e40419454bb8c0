-- Writes change rows ($1: jsonb array of ChangeRow) for acting role $2 and
-- command tag $3; when $4, notifies channel planner_meta once per row, or
-- once for the whole batch when it is large (payloads stay far below 8000
-- bytes either way).  Notifications are delivered at commit.
-- Ids: each transaction owns the range id_base + txid * 2^24 .. + 2^24 - 1
-- and continues after its own last row, so concurrent transactions never
-- collide and no sequence is touched.
WITH start AS (
    SELECT coalesce((SELECT max(l.id) FROM planner_meta.change_log l WHERE l.txid = txid_current()),
                    (SELECT s.id_base FROM planner_meta.cache_state s) + txid_current() * 16777216)
           AS last_id
), ins AS (
    INSERT INTO planner_meta.change_log
           (id, acting_role, command_tag, action, object_type, schema_name, object_name,
            object_identity, rel_oid, schema_oid, details)
    SELECT (SELECT last_id FROM start) + r.ord, $2::name, $3::text, r.action, r.object_type,
           r.schema_name, r.object_name, r.object_identity, r.rel_oid, r.schema_oid,
           coalesce(r.details, '{}'::jsonb)
      FROM ROWS FROM (jsonb_to_recordset($1::jsonb)
                      AS (action text, object_type text, schema_name name, object_name name,
                          object_identity text, rel_oid oid, schema_oid oid, details jsonb))
           WITH ORDINALITY AS r(action, object_type, schema_name, object_name, object_identity,
                                rel_oid, schema_oid, details, ord)
    RETURNING id, action, object_identity
)
SELECT count(*)
  FROM (SELECT pg_notify('planner_meta',
                         jsonb_build_object('id', id, 'action', action,
                                            'object', left(object_identity, 2000))::text)
          FROM ins
         WHERE $4::boolean AND (SELECT count(*) FROM ins) <= 100
        UNION ALL
        SELECT pg_notify('planner_meta',
                         jsonb_build_object('action', 'batch', 'first_id', min(id),
                                            'last_id', max(id), 'count', count(*))::text)
          FROM ins
        HAVING $4::boolean AND count(*) > 100) n

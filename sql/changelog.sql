-- The change log as readers see it (its tables are in bootstrap.sql).

-- What a reader may see of the log: changes to objects it can see now, and
-- every change made by a role it belongs to.
CREATE VIEW changelog WITH (security_barrier) AS
SELECT l.id, l.at, l.database_name AS database, l.txid, l.session_role, l.acting_role,
       l.command_tag, l.action, l.object_type, l.schema_name, l.object_name,
       l.object_identity, l.details,
       (SELECT array_agg(s.statement) FROM change_statements s WHERE s.txid = l.txid) AS statements
  FROM change_log l
 WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
                WHERE r.rolname = l.acting_role AND pg_catalog.pg_has_role(r.oid, 'MEMBER'))
    OR (l.rel_oid IS NOT NULL AND can_see_relation(l.rel_oid) AND can_see_schema(l.schema_oid))
    OR (l.rel_oid IS NULL AND l.schema_oid IS NOT NULL AND can_see_schema(l.schema_oid));

-- The change log: one row per structural change or knowledge refresh,
-- written in the same transaction as the DDL (a rolled-back DDL leaves no
-- row), plus where tracking failures are recorded.

CREATE TABLE change_log (
    id               bigserial   PRIMARY KEY,
    at               timestamptz NOT NULL DEFAULT clock_timestamp(),
    database_name    name        NOT NULL DEFAULT current_database(),
    txid             bigint      NOT NULL DEFAULT txid_current(),
    session_role     name        NOT NULL DEFAULT session_user,
    -- current_user of the statement that made the change (the tracking code
    -- itself runs as the extension owner).
    acting_role      name        NOT NULL,
    command_tag      text,
    action           text        NOT NULL,
    object_type      text        NOT NULL,
    schema_name      name,
    object_name      name,
    object_identity  text,
    -- Keys deciding who may read the row; see the changelog view.
    rel_oid          oid,
    schema_oid       oid,
    details          jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX ON change_log (at);
CREATE INDEX ON change_log (txid);

-- Statement text, only when planner_meta.log_statements is on, once per
-- distinct statement string in a transaction.
CREATE TABLE change_statements (
    txid           bigint NOT NULL,
    statement_md5  text   NOT NULL,
    statement      text   NOT NULL,
    PRIMARY KEY (txid, statement_md5)
);

CREATE TABLE tracking_errors (
    id           bigserial   PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    txid         bigint      NOT NULL DEFAULT txid_current(),
    command_tag  text,
    sqlstate     text,
    message      text,
    detail       text,
    context      text
);

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

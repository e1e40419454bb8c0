//! The SQL behind each tool and resource: thin calls of the extension's
//! functions, every argument bound.  What the connecting role may see is
//! decided by those functions, exactly as for any other client.

pub const LIST_SCHEMAS: &str =
    "SELECT coalesce(jsonb_agg(to_jsonb(s) ORDER BY s.schema_name), '[]') FROM planner_meta.schemas() s";

/// $1 schema (NULL: all), $2 detail: names, summary or columns.
pub const LIST_TABLES: &str = "
SELECT coalesce(jsonb_agg(
         CASE $2::text
           WHEN 'names' THEN jsonb_build_object('schema', t.schema_name, 'table', t.table_name,
                                                'kind', t.kind)
           WHEN 'columns' THEN to_jsonb(t) || jsonb_build_object('column_list',
               (SELECT jsonb_agg(c.column_name || ' ' || c.data_type ORDER BY c.attnum)
                  FROM planner_meta.visible_relations r
                  JOIN planner_meta.visible_columns c ON c.rel_oid = r.rel_oid
                 WHERE r.schema_name = t.schema_name AND r.rel_name = t.table_name))
           ELSE to_jsonb(t)
         END ORDER BY t.schema_name, t.table_name), '[]')
  FROM planner_meta.tables($1::text) t";

/// The parts of describe() an agent writing SQL rarely needs.
pub const DESCRIBE_TABLE: &str = "
SELECT CASE $3::text WHEN 'full' THEN d
       ELSE d - ARRAY['triggers', 'policies', 'indexes', 'row_security', 'owner',
                      'persistence', 'total_bytes', 'view_definition', 'partition_key']
       END
  FROM planner_meta.describe(format('%I.%I', $1::text, $2::text)::regclass) d";

pub const PLAN_QUESTION: &str =
    "SELECT planner_meta.plan($1::text, jsonb_build_object('max_tables', $2::int))";

pub const SCHEMA_CONTEXT: &str = "SELECT planner_meta.context($1::text, $2::int)";

pub const FIND_VALUES: &str =
    "SELECT coalesce(jsonb_agg(to_jsonb(v)), '[]') FROM planner_meta.find_values($1::text, $2::int) v";

pub const SAMPLE_ROWS: &str =
    "SELECT planner_meta.sample(format('%I.%I', $1::text, $2::text)::regclass, $3::int)";

/// $1 since id (exclusive), $2 since time (inclusive), $3 rows; one more
/// row than asked tells whether there are more.
pub const RECENT_CHANGES: &str = "
SELECT coalesce(jsonb_agg(to_jsonb(c) ORDER BY c.id), '[]')
  FROM (SELECT l.id, l.at, l.acting_role, l.command_tag, l.action, l.object_type,
               l.schema_name, l.object_name, l.object_identity, l.details
          FROM planner_meta.changelog l
         WHERE ($1::bigint IS NULL OR l.id > $1::bigint)
           AND ($2::text IS NULL OR l.at >= $2::text::timestamptz)
         ORDER BY l.id DESC
         LIMIT $3::int + 1) c";

/// The relations a committed change touched, for notifications: ids listed
/// ($1) or a range ($2..$3) as a batch notification gives it.
pub const CHANGED_OBJECTS: &str = "
SELECT l.id, l.action, l.schema_name::text, l.object_name::text
  FROM planner_meta.changelog l
 WHERE l.id = ANY($1::bigint[]) OR l.id BETWEEN $2::bigint AND $3::bigint";

pub const RESOURCE_TABLES: &str = "
SELECT t.schema_name::text, t.table_name::text, t.kind, t.comment
  FROM planner_meta.tables() t
 ORDER BY t.schema_name, t.table_name
 OFFSET $1::bigint LIMIT $2::bigint";

/// The end of every run_query and explain_query: the transaction rolled
/// back, and what a query could leave in the session that a rollback does
/// not undo (session advisory locks) released.
pub const ROLLBACK_AND_RESET: &str =
    "ROLLBACK; RESET ALL; SELECT pg_catalog.pg_advisory_unlock_all()";

/// What the connecting role could do beyond reading its own tables: a
/// superuser, or a member of a role that reads or writes server files or
/// runs programs, can escape any read-only transaction (`COPY ... TO
/// PROGRAM`, `pg_read_file`), so such a role gets no `run_query`.
pub const PRIVILEGED_ROLES: &str = "
SELECT coalesce(string_agg(r.rolname, ', ' ORDER BY r.rolname), '')
  FROM pg_catalog.pg_roles r
 WHERE (r.rolsuper OR r.rolname IN ('pg_read_server_files', 'pg_write_server_files',
                                    'pg_execute_server_program'))
   AND pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER')";

/// The installed release of the extension, none when it is not installed.
pub const EXTENSION_VERSION: &str =
    "SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'planner_meta'";

-- One relation's structure as jsonb, from the privilege-filtered views only.
-- $1: relation oid.  No row when the caller cannot see the relation.
SELECT jsonb_build_object(
    'schema',        r.schema_name,
    'name',          r.rel_name,
    'identity',      format('%I.%I', r.schema_name, r.rel_name),
    'kind',          r.kind,
    'owner',         r.owner,
    'persistence',   r.persistence,
    'comment',       r.comment,
    'extension',     r.extension_name,
    'row_estimate',  r.row_estimate,
    'total_bytes',   r.total_bytes,
    'columns', (
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'name',       c.column_name,
                   'ordinal',    c.attnum,
                   'type',       c.data_type,
                   'nullable',   NOT c.not_null,
                   'default',    c.default_expr,
                   'identity',   c.identity,
                   'generated',  c.generated_expr,
                   'generated_kind', c.generated_kind,
                   'collation',  c.collation_name,
                   'comment',    c.comment,
                   'enum_labels', (SELECT e.labels FROM planner_meta.visible_enums e
                                    WHERE e.type_oid = c.type_oid))
                   ORDER BY c.attnum), '[]'::jsonb)
          FROM planner_meta.visible_columns c
         WHERE c.rel_oid = r.rel_oid),
    'primary_key', (
        SELECT jsonb_build_object('name', k.constraint_name, 'columns', k.columns)
          FROM planner_meta.visible_constraints k
         WHERE k.rel_oid = r.rel_oid AND k.constraint_type = 'primary_key'),
    'constraints', (
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'name',       k.constraint_name,
                   'type',       k.constraint_type,
                   'columns',    k.columns,
                   'definition', k.definition,
                   'deferrable', k.is_deferrable,
                   'validated',  k.is_validated,
                   'enforced',   k.is_enforced,
                   'temporal',   k.is_temporal,
                   'inherited',  k.is_inherited,
                   'no_inherit', k.no_inherit)
                   ORDER BY k.constraint_type, k.constraint_name), '[]'::jsonb)
          FROM planner_meta.visible_constraints k
         WHERE k.rel_oid = r.rel_oid),
    'relationships', jsonb_build_object(
        'outgoing', (
            SELECT coalesce(jsonb_agg(jsonb_build_object(
                       'name',       f.constraint_name,
                       'columns',    f.from_columns,
                       'references', jsonb_build_object('schema', f.to_schema,
                                                        'table', f.to_table,
                                                        'columns', f.to_columns),
                       'on_update',  f.on_update,
                       'on_delete',  f.on_delete,
                       'match',      f.match_type,
                       'one_to_one', f.one_to_one,
                       'enforced',   f.is_enforced,
                       'temporal',   f.is_temporal)
                       ORDER BY f.constraint_name), '[]'::jsonb)
              FROM planner_meta.visible_relationships f
             WHERE f.from_rel_oid = r.rel_oid),
        'incoming', (
            SELECT coalesce(jsonb_agg(jsonb_build_object(
                       'name',       f.constraint_name,
                       'columns',    f.to_columns,
                       'referenced_by', jsonb_build_object('schema', f.from_schema,
                                                           'table', f.from_table,
                                                           'columns', f.from_columns),
                       'on_update',  f.on_update,
                       'on_delete',  f.on_delete,
                       'match',      f.match_type,
                       'one_to_one', f.one_to_one,
                       'enforced',   f.is_enforced,
                       'temporal',   f.is_temporal)
                       ORDER BY f.from_schema, f.from_table, f.constraint_name), '[]'::jsonb)
              FROM planner_meta.visible_relationships f
             WHERE f.to_rel_oid = r.rel_oid)),
    'indexes', (
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'name',       i.index_name,
                   'method',     i.method,
                   'unique',     i.is_unique,
                   'primary',    i.is_primary,
                   'valid',      i.is_valid,
                   'columns',    i.key_columns,
                   'include',    i.include_columns,
                   'predicate',  i.predicate,
                   'constraint', i.constraint_name,
                   'definition', i.definition)
                   ORDER BY i.is_primary DESC, i.index_name), '[]'::jsonb)
          FROM planner_meta.visible_indexes i
         WHERE i.rel_oid = r.rel_oid),
    'triggers', (
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'name',       t.trigger_name,
                   'timing',     t.timing,
                   'events',     t.events,
                   'level',      t.level,
                   'function',   t.function_name,
                   'enabled',    t.enabled,
                   'constraint', t.is_constraint,
                   'comment',    t.comment,
                   'definition', t.definition)
                   ORDER BY t.trigger_name), '[]'::jsonb)
          FROM planner_meta.visible_triggers t
         WHERE t.rel_oid = r.rel_oid),
    'row_security',  r.row_security,
    'policies', (
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'name',       p.policy_name,
                   'command',    p.command,
                   'permissive', p.permissive,
                   'roles',      p.roles,
                   'using',      p.using_expr,
                   'check',      p.check_expr,
                   'comment',    p.comment)
                   ORDER BY p.policy_name), '[]'::jsonb)
          FROM planner_meta.visible_policies p
         WHERE p.rel_oid = r.rel_oid),
    'partition_key',   r.partition_key,
    'partition_of', (
        SELECT jsonb_build_object('schema', p.schema_name, 'name', p.rel_name,
                                  'bound', r.partition_bound)
          FROM planner_meta.visible_relations p
         WHERE p.rel_oid = r.parent_oid),
    'partitions', (
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'schema', p.schema_name, 'name', p.rel_name,
                   'kind', p.kind, 'bound', p.partition_bound)
                   ORDER BY p.schema_name, p.rel_name), '[]'::jsonb)
          FROM planner_meta.visible_relations p
         WHERE p.parent_oid = r.rel_oid),
    'data', jsonb_build_object(
        'row_estimate',      r.row_estimate,
        'total_bytes',       r.total_bytes,
        'last_analyze',      greatest(r.last_analyze, r.last_autoanalyze),
        'mod_since_analyze', r.mod_since_analyze,
        'stats_updated',     r.stats_updated,
        'stale',             r.stats_stale,
        'columns', (
            SELECT coalesce(jsonb_agg(jsonb_build_object(
                       'name',              s.column_name,
                       'null_frac',         s.null_frac,
                       'n_distinct',        s.n_distinct,
                       'avg_width',         s.avg_width,
                       'most_common_vals',  s.most_common_vals,
                       'most_common_freqs', s.most_common_freqs,
                       'histogram_bounds',  s.histogram_bounds,
                       'correlation',       s.correlation) ORDER BY s.attnum), '[]'::jsonb)
              FROM planner_meta.visible_column_stats s
             WHERE s.rel_oid = r.rel_oid)),
    'view_definition', r.view_definition,
    'foreign_server',  r.foreign_server,
    'last_updated',    r.last_updated)
  FROM planner_meta.visible_relations r
 WHERE r.rel_oid = $1

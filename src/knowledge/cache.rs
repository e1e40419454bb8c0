//! Reading and writing the cache tables.  Only changed rows are written, so
//! `last_updated` moves exactly where knowledge changed.
//!
//! Table and column names in the SQL below come from `CacheRow` constants,
//! never from callers; row contents travel as bound jsonb parameters.

use pgrx::JsonB;

use crate::error::Result;
use crate::knowledge::catalog::Scope;
use crate::tracking::diff::{Delta, RowDelta, Snapshot};
use std::sync::OnceLock;

use crate::knowledge::catalog::{scope_args, scope_param};
use crate::knowledge::rows::{
    CacheRow, ColumnRow, ConstraintRow, EnumRow, IndexRow, KeyParts, PolicyRow, RelationRow,
    RelationshipRow, SchemaRow, TriggerRow,
};
use crate::spi::{
    execute, execute_kept, oid_array, select_json, select_json_kept, update_json_kept,
};

const RELATION_STATS_SQL: &str = include_str!("../../sql/catalog/relation_stats.sql");
const COLUMN_STATS_SQL: &str = include_str!("../../sql/catalog/column_stats.sql");

const TOUCH_RELATIONS_SQL: &str =
    "UPDATE planner_meta.cache_relations SET last_updated = now() WHERE rel_oid = ANY ($1::oid[])";
const TOUCH_SCHEMAS_SQL: &str =
    "UPDATE planner_meta.cache_schemas SET last_updated = now() WHERE schema_oid = ANY ($1::oid[])";
const TOUCH_DATABASE_SQL: &str = "\
    INSERT INTO planner_meta.cache_state AS s (last_updated) VALUES (now()) \
    ON CONFLICT (singleton) DO UPDATE SET last_updated = now(), database_name = current_database()";
const DROP_STATS_SQL: &str = "\
    WITH c AS (DELETE FROM planner_meta.cache_column_stats WHERE rel_oid = ANY ($1::oid[])), \
         v AS (DELETE FROM planner_meta.cache_values WHERE rel_oid = ANY ($1::oid[])), \
         vc AS (DELETE FROM planner_meta.cache_value_columns WHERE rel_oid = ANY ($1::oid[])), \
         lv AS (DELETE FROM planner_meta.link_values WHERE rel_oid = ANY ($1::oid[])) \
    DELETE FROM planner_meta.cache_relation_stats WHERE rel_oid = ANY ($1::oid[])";
const ANALYZE_SQL: &str = "\
    ANALYZE planner_meta.cache_schemas, planner_meta.cache_relations, planner_meta.cache_columns, \
            planner_meta.cache_constraints, planner_meta.cache_relationships, \
            planner_meta.cache_indexes, planner_meta.cache_enums, planner_meta.cache_relation_stats";

/// Rows written beyond which fresh planner statistics on the cache tables
/// may be worth an ANALYZE (lookups by key must stay index probes).
const ANALYZE_THRESHOLD: usize = 500;

/// The cache's size as the planner last saw it.
const CACHE_ROWS_SQL: &str = "\
    SELECT to_jsonb(coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint) FROM pg_catalog.pg_class c \
     WHERE c.oid IN ('planner_meta.cache_columns'::regclass, 'planner_meta.cache_relations'::regclass)";

/// True when `rows_written` would move the cache tables' statistics: more
/// than ANALYZE_THRESHOLD rows and more than a tenth of what the planner
/// believes the cache holds (autovacuum's own scale).  A migration adding a
/// hundred tables to a cache of ten thousand leaves the plans as they are
/// and does not pay for an ANALYZE at its commit.
pub fn worth_analyzing(rows_written: usize) -> Result<bool> {
    if rows_written <= ANALYZE_THRESHOLD {
        return Ok(false);
    }
    let known = select_json_kept(CACHE_ROWS_SQL, &[])?.as_u64().unwrap_or(0);
    Ok(rows_written as u64 * 10 > known)
}

/// Cached rows of one table within scope.
pub fn read<T: CacheRow>(scope: &Scope) -> Result<Vec<T>> {
    let select = format!(
        "SELECT coalesce(jsonb_agg(to_jsonb(t) - 'last_updated'), '[]'::jsonb) \
           FROM planner_meta.{table} t",
        table = T::TABLE
    );
    let json = match scope.list(T::SCOPE) {
        Some([]) => return Ok(Vec::new()),
        Some(oids) => {
            let sql = format!("{select} WHERE {filter}", filter = T::SCOPE_FILTER);
            select_json_kept(&sql, &[oid_array(Some(oids))])?
        }
        None => select_json(&select, &[])?,
    };
    Ok(serde_json::from_value(json)?)
}

fn scoped_read_sql<T: CacheRow>() -> String {
    format!(
        "SELECT coalesce(jsonb_agg(to_jsonb(t) - 'last_updated'), '[]'::jsonb) \
           FROM planner_meta.{table} t WHERE {filter}",
        table = T::TABLE,
        filter = T::SCOPE_FILTER.replace("$1", scope_param(T::SCOPE))
    )
}

/// One statement reading every kind for a partial scope (see
/// `catalog::snapshot`).
fn combined_sql() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| {
        format!(
            "SELECT jsonb_build_object('schemas', ({}), 'relations', ({}), 'columns', ({}), \
                    'constraints', ({}), 'relationships', ({}), 'indexes', ({}), \
                    'triggers', ({}), 'policies', ({}), 'enums', ({}))",
            scoped_read_sql::<SchemaRow>(),
            scoped_read_sql::<RelationRow>(),
            scoped_read_sql::<ColumnRow>(),
            scoped_read_sql::<ConstraintRow>(),
            scoped_read_sql::<RelationshipRow>(),
            scoped_read_sql::<IndexRow>(),
            scoped_read_sql::<TriggerRow>(),
            scoped_read_sql::<PolicyRow>(),
            scoped_read_sql::<EnumRow>(),
        )
    })
}

/// Everything the cache holds within a partial scope (DDL tracking), in one
/// statement.  The whole database is compared in the server instead
/// (`full_diff`).
pub fn snapshot(scope: &Scope) -> Result<Snapshot> {
    debug_assert!(
        scope.is_partial(),
        "whole-database comparisons go through full_diff"
    );
    let json = select_json_kept(combined_sql(), &scope_args(scope))?;
    Ok(serde_json::from_value(json)?)
}

/// Deletes rows by key.  Keys travel as arrays so that the kept, generic
/// plan is an index probe per key whatever the table's size.
fn delete_rows<T: CacheRow>(rows: &[T]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let (oids, attnums): (Vec<u32>, Vec<Option<i16>>) =
        rows.iter().map(|r| r.key().parts()).unzip();
    let table = T::TABLE;
    match T::KEY_COLUMNS {
        [oid_col] => {
            let sql = format!("DELETE FROM planner_meta.{table} WHERE {oid_col} = ANY ($1::oid[])");
            execute_kept(&sql, &[oid_array(Some(&oids))])?;
        }
        [oid_col, num_col] => {
            let nums: Vec<i16> = attnums.into_iter().map(|n| n.unwrap_or(0)).collect();
            let sql = format!(
                "DELETE FROM planner_meta.{table} c \
                  USING unnest($1::oid[], $2::int2[]) AS k(o, n) \
                  WHERE c.{oid_col} = k.o AND c.{num_col} = k.n"
            );
            execute_kept(&sql, &[oid_array(Some(&oids)), nums.into()])?;
        }
        _ => unreachable!("cache keys have one or two columns"),
    }
    Ok(())
}

fn insert_rows<T: CacheRow>(rows: &[T]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    // Rows carry no last_updated; tables that have one get now().
    let sql = format!(
        "INSERT INTO planner_meta.{table} \
         SELECT r.* FROM jsonb_array_elements($1) e, \
                LATERAL jsonb_populate_record(NULL::planner_meta.{table}, \
                        jsonb_build_object('last_updated', now()) || e) r",
        table = T::TABLE
    );
    execute_kept(&sql, &[JsonB(serde_json::to_value(rows)?).into()])?;
    Ok(())
}

fn delete_stale<T: CacheRow>(delta: &RowDelta<T>) -> Result<()> {
    delete_rows(&delta.stale_rows())
}

fn insert_fresh<T: CacheRow>(delta: &RowDelta<T>) -> Result<()> {
    insert_rows(&delta.fresh_rows())
}

/// Writes a delta: stale rows out first (keys may be reused), fresh rows in,
/// then `last_updated` of every touched relation.  Schema and database
/// dates follow from the change log; an explicit refresh, which may log a
/// single summary row, dates them here (`touch_schemas`).
pub fn apply(
    delta: &Delta,
    touched_relations: &[u32],
    touched_schemas: &[u32],
    touch_schemas: bool,
) -> Result<()> {
    if delta.is_empty() {
        return Ok(());
    }
    delete_stale(&delta.schemas)?;
    delete_stale(&delta.relations)?;
    delete_stale(&delta.columns)?;
    delete_stale(&delta.constraints)?;
    delete_stale(&delta.relationships)?;
    delete_stale(&delta.indexes)?;
    delete_stale(&delta.triggers)?;
    delete_stale(&delta.policies)?;
    delete_stale(&delta.enums)?;
    insert_fresh(&delta.schemas)?;
    insert_fresh(&delta.relations)?;
    insert_fresh(&delta.columns)?;
    insert_fresh(&delta.constraints)?;
    insert_fresh(&delta.relationships)?;
    insert_fresh(&delta.indexes)?;
    insert_fresh(&delta.triggers)?;
    insert_fresh(&delta.policies)?;
    insert_fresh(&delta.enums)?;
    let dropped: Vec<u32> = delta.relations.removed.iter().map(|r| r.rel_oid).collect();
    execute_kept(DROP_STATS_SQL, &[oid_array(Some(&dropped))])?;
    crate::knowledge::link_index::sync_delta(delta)?;
    execute_kept(TOUCH_RELATIONS_SQL, &[oid_array(Some(touched_relations))])?;
    if touch_schemas {
        execute(TOUCH_SCHEMAS_SQL, &[oid_array(Some(touched_schemas))])?;
        execute(TOUCH_DATABASE_SQL, &[])?;
    }
    Ok(())
}

/// A relation's row estimate before and after a statistics refresh.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct RowEstimateChange {
    pub rel_oid: u32,
    pub from: Option<i64>,
    pub to: Option<i64>,
}

/// The scoped or full variant of a statistics statement and its argument.
fn stats_statement(
    sql: &'static str,
    scope: &Scope,
) -> Option<(std::borrow::Cow<'static, str>, Option<Vec<u32>>)> {
    match scope.relations.as_deref() {
        Some([]) => None,
        Some(oids) => Some((sql.into(), Some(oids.to_vec()))),
        None => Some((crate::knowledge::catalog::full_scope_sql(sql).into(), None)),
    }
}

/// Re-reads row estimates, sizes and ANALYZE times for relations in scope;
/// returns the row estimates that moved.
pub fn refresh_stats(scope: &Scope) -> Result<Vec<RowEstimateChange>> {
    let Some((sql, oids)) = stats_statement(RELATION_STATS_SQL, scope) else {
        return Ok(Vec::new());
    };
    let changes = update_json_kept(&sql, &[oid_array(oids.as_deref())])?;
    Ok(serde_json::from_value(changes)?)
}

/// Copies pg_stats of the relations in scope.  Not done for every DDL
/// statement: statistics change with ANALYZE, not with DDL.
pub fn refresh_column_stats(scope: &Scope) -> Result<()> {
    if let Some((sql, oids)) = stats_statement(COLUMN_STATS_SQL, scope) {
        execute(&sql, &[oid_array(oids.as_deref())])?;
        crate::knowledge::link_index::sync_stats_values(oids.as_deref())?;
    }
    Ok(())
}

/// Gives the planner statistics on the cache tables and the linking index
/// after a bulk write: their statements run on kept generic plans, which
/// must see the tables' real sizes.
pub fn analyze() -> Result<()> {
    execute(ANALYZE_SQL, &[])?;
    crate::knowledge::link_index::settle()
}

//! The SQL-facing functions written in Rust.  Row-returning discovery
//! (schemas(), tables()) is plain SQL in sql/bootstrap.sql.

use pgrx::pg_sys::panic::ErrorReport;
use pgrx::prelude::*;
use pgrx::JsonB;

use crate::error::{raise, PlannerError};
use crate::knowledge::catalog::Scope;
use crate::spi::{execute, select_json, select_json_kept, update_json};
use crate::tracking::changelog::Origin;
use crate::tracking::sync;

const DESCRIBE_SQL: &str = include_str!("../sql/api/describe.sql");
const METADATA_SQL: &str = include_str!("../sql/api/metadata.sql");
const RELATION_STATUS_SQL: &str = include_str!("../sql/api/relation_status.sql");
const SCHEMA_VISIBLE_SQL: &str =
    "SELECT to_jsonb(EXISTS (SELECT 1 FROM planner_meta.visible_schemas WHERE schema_name = $1))";

const FIRST_DISCOVERY_SQL: &str =
    "SELECT to_jsonb(coalesce((SELECT last_refresh IS NULL FROM planner_meta.cache_state), true))";
/// After a restore from another cluster the restored ids may lie above the
/// range of this cluster's transactions; lift the base above them.
const LIFT_ID_BASE_SQL: &str = "\
    UPDATE planner_meta.cache_state \
       SET id_base = greatest(id_base, coalesce((SELECT max(id) FROM planner_meta.change_log), 0) \
                                       + 1 - txid_current() * 16777216)";
const MARK_REFRESHED_SQL: &str = "\
    UPDATE planner_meta.cache_state SET last_refresh = now(), stale = false";

const STALE_SQL: &str = "SELECT to_jsonb(stale) FROM planner_meta.cache_status";
const REPAIR_SQL: &str = "SELECT to_jsonb(planner_meta.repair_if_stale())";
const STATE_SQL: &str = "\
    SELECT jsonb_build_object('stale', stale, 'in_recovery', pg_is_in_recovery()) \
      FROM planner_meta.cache_state";
const LOCK_STATE_SQL: &str = "\
    SELECT jsonb_build_object('stale', stale) FROM planner_meta.cache_state FOR UPDATE";

const STATS_STALE_SQL: &str = "\
    SELECT to_jsonb(r.stats_stale) \
      FROM planner_meta.visible_relations r WHERE r.rel_oid = $1";
const REFRESH_STATS_SQL: &str = "SELECT planner_meta.refresh_stats($1)";
const REFRESH_VALUES_SQL: &str = "SELECT planner_meta.refresh_values(NULL, true)";

type ApiResult<T> = Result<T, ErrorReport>;

/// Structure of one relation from the cache: columns, keys, relationships in
/// both directions, indexes, partitions, comment.  Reads only the cache and
/// only what the caller may see.  Declared with a regclass argument, which
/// is an oid on the wire, so a name resolves without opening the relation;
/// its one query is planned generically once per backend (a lookup by key).
#[pg_extern(sql = "
    CREATE FUNCTION describe(rel regclass) RETURNS jsonb
    VOLATILE PARALLEL UNSAFE SET plan_cache_mode = force_generic_plan
    LANGUAGE c AS 'MODULE_PATHNAME', 'describe_wrapper';
    COMMENT ON FUNCTION describe(regclass) IS
        'Structure of one relation from the cache: columns, keys, relationships, indexes, partitions.';
")]
fn describe(rel: Option<pg_sys::Oid>) -> ApiResult<JsonB> {
    let rel = rel.ok_or(PlannerError::NullArgument("rel"))?;
    crate::tracking::pending::ready_to_read()?;
    let stale = repair_if_needed()?;
    refresh_stale_data(rel)?;
    let mut doc = select_json_kept(DESCRIBE_SQL, &[rel.into()])?;
    if !doc.is_null() {
        mark_stale(&mut doc, stale);
        return Ok(JsonB(doc));
    }
    Err(explain_missing_relation(rel).into())
}

/// `3F000` unless the caller can see a schema of that name.
pub(crate) fn ensure_schema_visible(name: &str) -> Result<(), PlannerError> {
    let visible = select_json(SCHEMA_VISIBLE_SQL, &[name.into()])?;
    if visible.as_bool() != Some(true) {
        return Err(PlannerError::UnknownSchema(name.to_string()));
    }
    Ok(())
}

/// Reads repair a cache that tracking left stale (after a failure): one
/// cheap check, and a repair through the SECURITY DEFINER function below
/// when needed.  Returns whether the cache is still stale (on a hot
/// standby nothing can be written; the answer says so instead).
fn repair_if_needed() -> Result<bool, PlannerError> {
    if select_json_kept(STALE_SQL, &[])?.as_bool() != Some(true) {
        return Ok(false);
    }
    // The write path of SPI assigns a transaction id, which a standby
    // cannot: there the answer only reports the staleness.
    if !server_can_write() {
        return Ok(true);
    }
    Ok(update_json(REPAIR_SQL, &[])?.as_bool() == Some(true))
}

/// Whether this transaction may write: not on a hot standby, not in a
/// READ ONLY transaction.  Reads that would refresh knowledge report its
/// staleness instead where they cannot.
pub(crate) fn server_can_write() -> bool {
    // SAFETY: reads of backend state that PostgreSQL keeps current.
    unsafe { !pg_sys::RecoveryInProgress() && !pg_sys::XactReadOnly }
}

fn mark_stale(doc: &mut serde_json::Value, stale: bool) {
    if stale {
        doc["cache_stale"] = serde_json::Value::Bool(true);
    }
}

/// Repairs the cache if tracking left it stale; returns whether it is still
/// stale.  Any role may call it: it only ever re-reads the catalog.
// Functions that may read the whole catalog run with JIT off: compiling
// those queries took longer than running them (3-4 s of refresh(force) at
// 10,000 tables).
#[pg_extern(sql = "
    CREATE FUNCTION repair_if_stale() RETURNS boolean
    VOLATILE PARALLEL UNSAFE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET datestyle = 'ISO, YMD' SET intervalstyle = 'postgres' SET extra_float_digits = 1
    SET jit = off
    LANGUAGE c AS 'MODULE_PATHNAME', 'repair_if_stale_wrapper';
")]
fn repair_if_stale() -> ApiResult<bool> {
    crate::tracking::pending::ready_to_read()?;
    // A hot standby can neither lock nor write: it reports the staleness.
    let state = select_json(STATE_SQL, &[])?;
    if state["stale"].as_bool() != Some(true) {
        return Ok(false);
    }
    if state["in_recovery"].as_bool() == Some(true) {
        return Ok(true);
    }
    // The row lock makes concurrent readers repair once, one after another.
    let locked = update_json(LOCK_STATE_SQL, &[])?;
    if locked["stale"].as_bool() != Some(true) {
        return Ok(false);
    }
    sync::synchronize_and_log(&Scope::everything(), false, Origin::Refresh, Some("REPAIR"))?;
    // Whatever left the cache stale (a tracking failure, an upgrade that
    // added the index) may have left the linking index behind too.
    crate::knowledge::link_index::rebuild()?;
    execute(MARK_REFRESHED_SQL, &[])?;
    Ok(false)
}

/// Refreshes data-level knowledge (row estimates, sizes, ANALYZE times and
/// column statistics) of one relation, or of all with NULL, and logs what
/// moved.  Any role may call it: it copies statistics PostgreSQL already
/// keeps, and the views decide who sees them.
#[pg_extern(sql = "
    CREATE FUNCTION refresh_stats(rel regclass DEFAULT NULL) RETURNS jsonb
    VOLATILE PARALLEL UNSAFE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET datestyle = 'ISO, YMD' SET intervalstyle = 'postgres' SET extra_float_digits = 1
    SET jit = off
    LANGUAGE c AS 'MODULE_PATHNAME', 'refresh_stats_wrapper';
    COMMENT ON FUNCTION refresh_stats(regclass) IS
        'Re-reads row estimates, sizes, ANALYZE times and column statistics of one relation (or all).';
")]
fn refresh_stats(rel: Option<pg_sys::Oid>) -> ApiResult<JsonB> {
    crate::tracking::pending::ready_to_read()?;
    let scope = Scope {
        relations: rel.map(|r| vec![u32::from(r)]),
        ..Scope::default()
    };
    let (changes, logged) = sync::refresh_data(&scope)?;
    Ok(JsonB(serde_json::json!({
        "row_estimates_changed": changes.len(),
        "change_rows": logged,
    })))
}

/// Brings a relation's data knowledge up to date before describe() reads
/// it, when it is stale (older than planner_meta.max_age or than the last
/// ANALYZE) and the server can write.
fn refresh_stale_data(rel: pg_sys::Oid) -> Result<(), PlannerError> {
    if !server_can_write() {
        return Ok(());
    }
    let stale = select_json_kept(STATS_STALE_SQL, &[rel.into()])?;
    if stale.as_bool() == Some(true) {
        update_json(REFRESH_STATS_SQL, &[rel.into()])?;
    }
    Ok(())
}

/// Why a relation that regclass resolved has no visible cache entry.
fn explain_missing_relation(rel: pg_sys::Oid) -> PlannerError {
    let status = match select_json(RELATION_STATUS_SQL, &[rel.into()]) {
        Ok(status) => status,
        Err(e) => return e,
    };
    let Some(name) = status["name"].as_str().map(str::to_string) else {
        return PlannerError::UnknownRelation(u32::from(rel));
    };
    if status["tracked"].as_bool() == Some(true) {
        PlannerError::NotVisible(format!("relation {name}"))
    } else {
        PlannerError::NotTracked(format!("relation {name}"))
    }
}

/// The whole picture as one JSON document, keyed by database name:
/// `{db: {schemas: {s: {tables: {t: {columns, relationships, last_updated}},
/// last_updated}}, last_updated}}`.  Optionally one schema only.
#[pg_extern(volatile, parallel_unsafe)]
fn metadata(schema: default!(Option<&str>, "NULL")) -> ApiResult<JsonB> {
    crate::tracking::pending::ready_to_read()?;
    let stale = repair_if_needed()?;
    if let Some(name) = schema {
        ensure_schema_visible(name)?;
    }
    let mut doc = select_json_kept(METADATA_SQL, &[schema.into()])?;
    if let Some(db) = doc.as_object_mut().and_then(|m| m.values_mut().next()) {
        mark_stale(db, stale);
    }
    Ok(JsonB(doc))
}

/// Re-reads the whole catalog and writes what differs into the cache, with
/// row estimates and column statistics.  With `force`, rebuilds every row
/// and the value index too.  Returns what was found.
///
/// Expressions in the catalog are rendered by the server (pg_get_expr), so
/// the settings that change their text are pinned: the cache must not
/// depend on who refreshed it.
#[pg_extern(sql = "
    CREATE FUNCTION refresh(force boolean DEFAULT false) RETURNS jsonb
    VOLATILE PARALLEL UNSAFE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET datestyle = 'ISO, YMD' SET intervalstyle = 'postgres' SET extra_float_digits = 1
    SET jit = off
    LANGUAGE c AS 'MODULE_PATHNAME', 'refresh_wrapper';
    COMMENT ON FUNCTION refresh(boolean) IS
        'Re-reads the catalog and writes what differs into the cache; force rebuilds every row.';
")]
fn refresh(force: default!(bool, false)) -> ApiResult<JsonB> {
    crate::tracking::pending::ready_to_read()?;
    execute(LIFT_ID_BASE_SQL, &[])?;
    let first = select_json(FIRST_DISCOVERY_SQL, &[])?.as_bool() == Some(true);
    let origin = if first {
        Origin::Discovery
    } else {
        Origin::Refresh
    };
    let (report, logged) =
        sync::synchronize_and_log(&Scope::everything(), force, origin, Some("REFRESH"))?;
    execute(MARK_REFRESHED_SQL, &[])?;
    if force {
        // "Everything" includes the value index, within its time budget.
        update_json(REFRESH_VALUES_SQL, &[])?;
    }
    Ok(JsonB(report.to_json(logged)))
}

/// One row per difference between the cache and pg_catalog; no rows means
/// the cache is exact.
#[pg_extern(sql = "
    CREATE FUNCTION verify()
    RETURNS TABLE (object_type text, object_identity text, difference text, field text)
    STABLE PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET datestyle = 'ISO, YMD' SET intervalstyle = 'postgres' SET extra_float_digits = 1
    SET jit = off
    LANGUAGE c AS 'MODULE_PATHNAME', 'verify_wrapper';
    COMMENT ON FUNCTION verify() IS
        'One row per difference between the cache and pg_catalog; no rows means the cache is exact.';
")]
fn verify() -> TableIterator<
    'static,
    (
        name!(object_type, String),
        name!(object_identity, String),
        name!(difference, String),
        name!(field, Option<String>),
    ),
> {
    let rows = crate::tracking::pending::ready_to_read()
        .and_then(|()| sync::verify())
        .unwrap_or_else(|e| raise(e))
        .into_iter()
        .map(|d| {
            (
                d.object_type.to_string(),
                d.object_identity,
                d.difference.to_string(),
                d.field,
            )
        });
    TableIterator::new(rows)
}

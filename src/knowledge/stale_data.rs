//! Data knowledge that follows ANALYZE and age, caught up by its readers.
//!
//! plan() links values through the statistics the cache copied
//! (`cache_column_stats`, indexed in `link_values`) and through the value
//! index, so a new ANALYZE, or planner_meta.max_age passing, must reach
//! them.  Every read checks, by index probes only, the relations its
//! question reached and one slice of all relations (a per-session sweep, so
//! that a table no question reached yet also catches up); what went stale
//! is re-read by the definer functions `refresh_stale_stats()` and
//! `refresh_stale_values()`.  The work per read is bounded, whatever the
//! size of the database.

use std::cell::Cell;
use std::time::{Duration, Instant};

use pgrx::pg_sys::panic::ErrorReport;
use pgrx::prelude::*;
use pgrx::JsonB;

use crate::error::PlannerError;
use crate::knowledge::catalog::Scope;
use crate::knowledge::stale_check;
use crate::spi::{oid_array, select_json, update_json};
use crate::tracking::sync;

/// Relations (of $1, or any) analyzed since the cache copied them.
const ANALYZED_SINCE_SQL: &str = "\
    SELECT coalesce(jsonb_agg(s.rel_oid::bigint), '[]'::jsonb) FROM ( \
        SELECT st.rel_oid FROM planner_meta.cache_relation_stats st \
         WHERE ($1::oid[] IS NULL OR st.rel_oid = ANY ($1::oid[])) \
           AND greatest(pg_catalog.pg_stat_get_last_analyze_time(st.rel_oid), \
                        pg_catalog.pg_stat_get_last_autoanalyze_time(st.rel_oid)) > st.stats_updated \
         LIMIT 100) s";

const REFRESH_STATS_SQL: &str = "SELECT planner_meta.refresh_stale_stats($1)";
const REFRESH_VALUES_SQL: &str = "SELECT planner_meta.refresh_stale_values($1)";
/// A session refreshes stale columns of the value index at most this often
/// (a column it could not finish in one read's budget waits that long).
const VALUES_RECHECK: Duration = Duration::from_secs(5);

thread_local! {
    /// The last relation oid this session's sweeps looked at.
    static STATS_SWEEP_AT: Cell<u32> = const { Cell::new(0) };
    static VALUES_SWEEP_AT: Cell<u32> = const { Cell::new(0) };
    /// When this session last refreshed stale value-index columns.
    static VALUES_REFRESHED: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Copies the statistics of relations (of `rels`, or any) analyzed since
/// the cache last read them (at most 100 a call), so that the values
/// plan() links follow ANALYZE; logs what moved.  NULL when nothing was
/// new.  Any role may call it, as refresh_stats().
#[pg_extern(sql = "
    CREATE FUNCTION refresh_stale_stats(rels oid[] DEFAULT NULL) RETURNS jsonb
    VOLATILE PARALLEL UNSAFE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET datestyle = 'ISO, YMD' SET intervalstyle = 'postgres' SET extra_float_digits = 1
    LANGUAGE c AS 'MODULE_PATHNAME', 'refresh_stale_stats_wrapper';
    COMMENT ON FUNCTION refresh_stale_stats(oid[]) IS
        'Re-reads statistics of relations analyzed since the cache last copied them.';
")]
fn refresh_stale_stats(rels: Option<Vec<pg_sys::Oid>>) -> Result<Option<JsonB>, ErrorReport> {
    crate::tracking::pending::ready_to_read()?;
    let rels: Option<Vec<u32>> = rels.map(|list| list.into_iter().map(u32::from).collect());
    let analyzed: Vec<u32> = serde_json::from_value(select_json(
        ANALYZED_SINCE_SQL,
        &[oid_array(rels.as_deref())],
    )?)
    .map_err(PlannerError::from)?;
    if analyzed.is_empty() {
        return Ok(None);
    }
    let scope = Scope {
        relations: Some(analyzed),
        ..Scope::default()
    };
    let (changes, logged) = sync::refresh_data(&scope)?;
    Ok(Some(JsonB(serde_json::json!({
        "row_estimates_changed": changes.len(),
        "change_rows": logged,
    }))))
}

/// Called by the readers of data knowledge (plan(), context(),
/// find_values()) where the server can write, with the relations the
/// question reached (none for find_values(): the sweep alone).
pub fn refresh_on_read(reached: &[u32]) -> Result<(), PlannerError> {
    if !crate::api::server_can_write() {
        return Ok(());
    }
    let (stats_from, values_from) = (
        STATS_SWEEP_AT.with(Cell::get),
        VALUES_SWEEP_AT.with(Cell::get),
    );
    let values_due = values_refresh_due();
    let check = stale_check::check(reached, stats_from, values_from, values_due)?;
    STATS_SWEEP_AT.with(|at| at.set(check.stats_sweep_at.unwrap_or(0)));
    if !check.analyzed.is_empty() {
        update_json(REFRESH_STATS_SQL, &[oid_array(Some(&check.analyzed))])?;
    }
    // The value sweep moves on only when its findings are acted on, so a
    // stale column it passes is never skipped.
    if values_due {
        VALUES_SWEEP_AT.with(|at| at.set(check.values_sweep_at.unwrap_or(0)));
        if !check.values_stale.is_empty() {
            update_json(REFRESH_VALUES_SQL, &[oid_array(Some(&check.values_stale))])?;
        }
    }
    Ok(())
}

fn values_refresh_due() -> bool {
    if crate::guc::VALUES_READ_BUDGET.get() == 0 {
        return false;
    }
    let due = VALUES_REFRESHED.with(|at| at.get().is_none_or(|t| t.elapsed() >= VALUES_RECHECK));
    if due {
        VALUES_REFRESHED.with(|at| at.set(Some(Instant::now())));
    }
    due
}

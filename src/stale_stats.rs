//! Statistics that follow ANALYZE for the readers that link values.
//!
//! plan() links values through the statistics the cache copied
//! (`cache_column_stats`, indexed in `link_values`), so a new ANALYZE must
//! reach that copy.  Every read checks, as the caller and by index probes
//! only, the relations its question reached and one slice of all relations
//! (a per-session sweep, so that a value of a table no question reached
//! yet also turns up); what was analyzed since is copied by the definer
//! function `refresh_stale_stats()`.  The work per read is bounded, whatever
//! the size of the database.

use std::cell::Cell;

use pgrx::pg_sys::panic::ErrorReport;
use pgrx::prelude::*;
use pgrx::JsonB;
use serde::Deserialize;

use crate::catalog::Scope;
use crate::error::PlannerError;
use crate::spi::{oid_array, select_json, select_json_kept, update_json};
use crate::sync;

/// Relations (of $1, or any) analyzed since the cache copied them.
const ANALYZED_SINCE_SQL: &str = "\
    SELECT coalesce(jsonb_agg(s.rel_oid::bigint), '[]'::jsonb) FROM ( \
        SELECT st.rel_oid FROM planner_meta.cache_relation_stats st \
         WHERE ($1::oid[] IS NULL OR st.rel_oid = ANY ($1::oid[])) \
           AND greatest(pg_catalog.pg_stat_get_last_analyze_time(st.rel_oid), \
                        pg_catalog.pg_stat_get_last_autoanalyze_time(st.rel_oid)) > st.stats_updated \
         LIMIT 100) s";

/// As the caller: which of the reached relations $1 and of the next
/// 200 visible relations after oid $2 were analyzed since the cache
/// copied them, and where the sweep stopped (NULL: at the end).
const CHECK_SQL: &str = "\
    WITH slice AS ( \
        SELECT r.rel_oid FROM planner_meta.visible_relations r \
         WHERE r.rel_oid > $2 ORDER BY r.rel_oid LIMIT 200 \
    ), candidates AS ( \
        SELECT unnest($1::oid[]) AS rel_oid UNION SELECT rel_oid FROM slice \
    ) \
    SELECT jsonb_build_object( \
        'sweep_at', (SELECT max(rel_oid)::bigint FROM slice), \
        'analyzed', (SELECT coalesce(jsonb_agg(r.rel_oid::bigint), '[]'::jsonb) \
                       FROM planner_meta.visible_relations r \
                      WHERE r.rel_oid = ANY (ARRAY(SELECT rel_oid FROM candidates)) \
                        AND greatest(pg_catalog.pg_stat_get_last_analyze_time(r.rel_oid), \
                                     pg_catalog.pg_stat_get_last_autoanalyze_time(r.rel_oid)) \
                            > r.stats_updated))";
const REFRESH_SQL: &str = "SELECT planner_meta.refresh_stale_stats($1)";

thread_local! {
    /// The last relation oid this session's sweep looked at.
    static SWEEP_AT: Cell<u32> = const { Cell::new(0) };
}

#[derive(Deserialize)]
struct Check {
    sweep_at: Option<u32>,
    analyzed: Vec<u32>,
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
    crate::version::ensure_installed_matches()?;
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

/// Called by plan() and context() where the server can write, with the
/// relations the question reached.
pub fn refresh_on_read(reached: &[u32]) -> Result<(), PlannerError> {
    if !crate::api::server_can_write() {
        return Ok(());
    }
    let sweep_from = SWEEP_AT.with(Cell::get);
    let check: Check = serde_json::from_value(select_json_kept(
        CHECK_SQL,
        &[
            oid_array(Some(reached)),
            pg_sys::Oid::from(sweep_from).into(),
        ],
    )?)?;
    SWEEP_AT.with(|at| at.set(check.sweep_at.unwrap_or(0)));
    if !check.analyzed.is_empty() {
        update_json(REFRESH_SQL, &[oid_array(Some(&check.analyzed))])?;
    }
    Ok(())
}

//! The ways planner_meta talks to SPI: read one jsonb value (optionally
//! through a plan kept for the backend's lifetime), or run a write.  All
//! arguments are bound parameters.

use std::cell::RefCell;
use std::collections::HashMap;

use pgrx::datum::DatumWithOid;
use pgrx::prelude::*;
use pgrx::spi::{OwnedPreparedStatement, SpiError, SpiTupleTable};
use pgrx::JsonB;

use crate::error::Result;

thread_local! {
    /// Plans of the read API's queries.  Planning the privilege-filtered
    /// views costs more than running them, so each backend plans once;
    /// PostgreSQL's plan cache re-plans by itself after DDL on our tables.
    static KEPT_PLANS: RefCell<HashMap<String, OwnedPreparedStatement>> =
        RefCell::new(HashMap::new());
}

fn first_json(table: SpiTupleTable) -> std::result::Result<Option<JsonB>, SpiError> {
    if table.is_empty() {
        return Ok(None);
    }
    table.first().get_one::<JsonB>()
}

fn into_value(value: Option<JsonB>) -> serde_json::Value {
    value.map(|v| v.0).unwrap_or(serde_json::Value::Null)
}

/// Runs a read-only query whose first row's first column is jsonb.
/// No row or a NULL value give JSON null.
pub fn select_json(sql: &str, args: &[DatumWithOid]) -> Result<serde_json::Value> {
    let value = Spi::connect(|client| first_json(client.select(sql, Some(1), args)?))?;
    Ok(into_value(value))
}

fn arg_types(args: &[DatumWithOid]) -> Vec<PgOid> {
    args.iter().map(|a| PgOid::from(a.oid())).collect()
}

fn take_kept(sql: &str) -> Option<OwnedPreparedStatement> {
    KEPT_PLANS.with(|plans| plans.borrow_mut().remove(sql))
}

fn put_kept(sql: &str, plan: OwnedPreparedStatement) {
    KEPT_PLANS.with(|plans| plans.borrow_mut().insert(sql.to_string(), plan));
}

/// Like [`select_json`], for a statement that writes or locks rows.
pub fn update_json(sql: &str, args: &[DatumWithOid]) -> Result<serde_json::Value> {
    let value = Spi::connect_mut(|client| first_json(client.update(sql, Some(1), args)?))?;
    Ok(into_value(value))
}

/// Runs `run` with the plan cache reusing generic plans, unless the session
/// chose a plan cache mode itself.  The kept queries are written to be
/// index probes whatever their arguments (oid arrays, keys); left to
/// itself, the plan cache would re-plan some of them on every call, which
/// costs more than running them.  An error inside unwinds the setting with
/// the (sub)transaction, as for a function's SET clause.
fn with_generic_plans<R>(run: impl FnOnce() -> R) -> R {
    // SAFETY: reads a GUC variable of this backend.
    let mode = unsafe { pg_sys::plan_cache_mode } as u32;
    if mode != pg_sys::PlanCacheMode::PLAN_CACHE_MODE_AUTO {
        return run();
    }
    // SAFETY: the nest level opened here is closed below (or by the abort
    // of the transaction); the setting is valid for every role.
    let level = unsafe {
        let level = pg_sys::NewGUCNestLevel();
        pg_sys::set_config_option(
            c"plan_cache_mode".as_ptr(),
            c"force_generic_plan".as_ptr(),
            pg_sys::GucContext::PGC_USERSET,
            pg_sys::GucSource::PGC_S_SESSION,
            pg_sys::GucAction::GUC_ACTION_SAVE,
            true,
            0,
            false,
        );
        level
    };
    let out = run();
    // SAFETY: pops the nest level opened above, restoring the setting.
    unsafe { pg_sys::AtEOXact_GUC(true, level) };
    out
}

/// Like [`select_json`], for a query that runs often: its plan is prepared
/// once per backend and reused, generic.
pub fn select_json_kept(sql: &str, args: &[DatumWithOid]) -> Result<serde_json::Value> {
    with_generic_plans(|| select_json_kept_here(sql, args))
}

fn select_json_kept_here(sql: &str, args: &[DatumWithOid]) -> Result<serde_json::Value> {
    let value = Spi::connect(|client| {
        let plan = match take_kept(sql) {
            Some(plan) => plan,
            None => client.prepare(sql, &arg_types(args))?.keep(),
        };
        let value = first_json(client.select(&plan, Some(1), args)?);
        put_kept(sql, plan);
        value
    })?;
    Ok(into_value(value))
}

/// Like [`execute`], with the plan kept for the backend's lifetime.
pub fn execute_kept(sql: &str, args: &[DatumWithOid]) -> Result<usize> {
    let processed = Spi::connect_mut(|client| {
        let plan = match take_kept(sql) {
            Some(plan) => plan,
            None => client.prepare_mut(sql, &arg_types(args))?.keep(),
        };
        let processed = client.update(&plan, None, args).map(|t| t.len());
        put_kept(sql, plan);
        processed
    })?;
    Ok(processed)
}

/// Like [`update_json`], with the plan kept for the backend's lifetime.
pub fn update_json_kept(sql: &str, args: &[DatumWithOid]) -> Result<serde_json::Value> {
    let value = Spi::connect_mut(|client| {
        let plan = match take_kept(sql) {
            Some(plan) => plan,
            None => client.prepare_mut(sql, &arg_types(args))?.keep(),
        };
        let value = client.update(&plan, Some(1), args).and_then(first_json);
        put_kept(sql, plan);
        value
    })?;
    Ok(into_value(value))
}

/// Runs a statement that writes; returns the number of rows it processed.
pub fn execute(sql: &str, args: &[DatumWithOid]) -> Result<usize> {
    let processed = Spi::connect_mut(|client| client.update(sql, None, args).map(|t| t.len()))?;
    Ok(processed)
}

/// An `oid[]` parameter; `None` binds SQL NULL, meaning "no filter".
pub fn oid_array(oids: Option<&[u32]>) -> DatumWithOid<'static> {
    let array: Option<Vec<pg_sys::Oid>> =
        oids.map(|list| list.iter().map(|&o| pg_sys::Oid::from(o)).collect());
    array.into()
}

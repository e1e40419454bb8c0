//! DDL event triggers: find what a statement touched, synchronise just that
//! part of the cache, and log the change, all in the DDL's transaction.
//!
//! The event triggers call thin PL/pgSQL wrappers (sql/finalize.sql) that
//! run these functions inside an exception block, so a failure here becomes
//! a WARNING and a row in planner_meta.tracking_errors, never a failed DDL.

use pgrx::pg_sys::panic::ErrorReport;
use pgrx::prelude::*;
use serde::Deserialize;

use crate::catalog::Scope;
use crate::changelog::{self, ChangeRow, Origin};
use crate::error::PlannerError;
use crate::guc;
use crate::spi::select_json;
use crate::sync;

const DDL_SCOPE_SQL: &str = include_str!("../sql/events/ddl_scope.sql");
const DROP_SCOPE_SQL: &str = include_str!("../sql/events/drop_scope.sql");
const GRANTS_SQL: &str = "\
    SELECT coalesce(jsonb_agg(DISTINCT lower(object_type)), '[]'::jsonb) \
      FROM pg_event_trigger_ddl_commands() WHERE command_tag IN ('GRANT', 'REVOKE')";

/// Oids a statement touched, as computed by sql/events/*_scope.sql.
#[derive(Debug, Deserialize)]
struct Touched {
    relations: Vec<u32>,
    schemas: Vec<u32>,
    types: Vec<u32>,
}

impl From<Touched> for Scope {
    fn from(t: Touched) -> Self {
        Scope {
            schemas: Some(t.schemas),
            relations: Some(t.relations),
            types: Some(t.types),
        }
    }
}

fn touched(sql: &str) -> Result<Scope, PlannerError> {
    let json = select_json(sql, &[])?;
    let touched: Touched = serde_json::from_value(json)?;
    Ok(touched.into())
}

/// A Rust panic is the harshest failure tracking can meet; the tests use
/// this to prove that even a panic leaves the user's DDL intact.
fn panic_if_injected() {
    if guc::FAULT_INJECTION.get() {
        panic!("fault injected by planner_meta.fault_injection");
    }
}

/// GRANT and REVOKE change no cached structure (visibility is computed at
/// read time), but they are changes a reader may want to see.
fn privilege_rows() -> Result<Vec<ChangeRow>, PlannerError> {
    let kinds: Vec<String> = serde_json::from_value(select_json(GRANTS_SQL, &[])?)?;
    Ok(kinds
        .into_iter()
        .map(|kind| ChangeRow {
            action: "privileges_changed".into(),
            object_type: kind,
            schema_name: None,
            object_name: None,
            object_identity: None,
            rel_oid: None,
            schema_oid: None,
            details: serde_json::json!({}),
        })
        .collect())
}

fn track(scope_sql: &str, tag: &str) -> Result<(), PlannerError> {
    if !guc::ENABLED.get() {
        return Ok(());
    }
    panic_if_injected();
    let scope = touched(scope_sql)?;
    sync::synchronize_and_log(&scope, false, Origin::Ddl, Some(tag))?;
    if tag == "GRANT" || tag == "REVOKE" {
        changelog::write(&privilege_rows()?, Some(tag))?;
    }
    Ok(())
}

/// Called at ddl_command_end by the event trigger's wrapper.  Rendering
/// settings are pinned as in refresh(), so the cache never depends on the
/// session that ran the DDL.
#[pg_extern(sql = "
    CREATE FUNCTION track_ddl_command_end(tag text) RETURNS void
    VOLATILE SET datestyle = 'ISO, YMD' SET intervalstyle = 'postgres' SET extra_float_digits = 1
    LANGUAGE c AS 'MODULE_PATHNAME', 'track_ddl_command_end_wrapper';
")]
fn track_ddl_command_end(tag: &str) -> Result<(), ErrorReport> {
    track(DDL_SCOPE_SQL, tag).map_err(ErrorReport::from)
}

/// Called at sql_drop by the event trigger's wrapper.
#[pg_extern(sql = "
    CREATE FUNCTION track_sql_drop(tag text) RETURNS void
    VOLATILE SET datestyle = 'ISO, YMD' SET intervalstyle = 'postgres' SET extra_float_digits = 1
    LANGUAGE c AS 'MODULE_PATHNAME', 'track_sql_drop_wrapper';
")]
fn track_sql_drop(tag: &str) -> Result<(), ErrorReport> {
    track(DROP_SCOPE_SQL, tag).map_err(ErrorReport::from)
}

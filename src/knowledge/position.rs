//! The cache position a plan was made against, shown in its answer: the
//! last change-log id and when the knowledge last changed (what the
//! `cache_status` view shows), read natively by two index probes.

use std::ffi::CStr;

use pgrx::pg_sys;
use serde_json::Value;

use crate::error::PlannerError;
use crate::knowledge::scan::Table;

/// A timestamptz as to_jsonb() writes it.
fn json_timestamp(at: pg_sys::TimestampTz) -> Value {
    // SAFETY: JsonEncodeDateTime formats a timestamptz datum into a new
    // palloc'd string.
    let text = unsafe {
        let out = pg_sys::JsonEncodeDateTime(
            std::ptr::null_mut(),
            pg_sys::Datum::from(at),
            pg_sys::TIMESTAMPTZOID,
            std::ptr::null(),
        );
        CStr::from_ptr(out).to_string_lossy().into_owned()
    };
    Value::String(text)
}

/// `{"last_change_id": …, "last_updated": …}` (JSON null where unknown).
pub fn current() -> Result<Value, PlannerError> {
    let log = Table::open("change_log")?;
    let (id, at) = (log.column("id")?, log.column("at")?);
    let last_id = log
        .last_by("change_log_pkey", |row| row.int8(id))?
        .flatten();
    let last_logged = log
        .last_by("change_log_at_idx", |row| row.timestamptz(at))?
        .flatten();
    let state = Table::open("cache_state")?;
    let updated = state.column("last_updated")?;
    let mut state_updated = None;
    state.scan_all(|row| {
        state_updated = row.timestamptz(updated);
        Ok(false)
    })?;
    let last_updated = match (state_updated, last_logged) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    Ok(serde_json::json!({
        "last_change_id": last_id,
        "last_updated": last_updated.map(json_timestamp),
    }))
}

#[cfg(any(test, feature = "pg_test"))]
#[pgrx::pg_schema]
mod tests {
    use pgrx::prelude::*;

    use crate::spi::select_json;

    const STATUS_SQL: &str = "\
        SELECT jsonb_build_object('last_change_id', last_change_id, 'last_updated', last_updated) \
          FROM planner_meta.cache_status";

    #[pg_test]
    fn native_position_is_what_cache_status_shows() {
        Spi::run("SET TIME ZONE 'Asia/Kolkata'; CREATE TABLE positioned (id int)")
            .expect("DDL runs");
        crate::tracking::pending::flush();
        let native = super::current().expect("native read runs");
        assert!(
            native["last_change_id"].as_i64().is_some(),
            "the DDL was logged"
        );
        assert_eq!(native, select_json(STATUS_SQL, &[]).expect("SQL runs"));
    }
}

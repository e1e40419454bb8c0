//! The two ways planner_meta talks to SPI: read one jsonb value, or run a
//! write.  All arguments are bound parameters.

use pgrx::datum::DatumWithOid;
use pgrx::prelude::*;
use pgrx::JsonB;

use crate::error::Result;

/// Runs a read-only query whose first row's first column is jsonb.
/// No row or a NULL value give JSON null.
pub fn select_json(sql: &str, args: &[DatumWithOid]) -> Result<serde_json::Value> {
    let value = Spi::connect(|client| {
        let table = client.select(sql, Some(1), args)?;
        if table.is_empty() {
            return Ok::<_, pgrx::spi::SpiError>(None);
        }
        table.first().get_one::<JsonB>()
    })?;
    Ok(value.map(|v| v.0).unwrap_or(serde_json::Value::Null))
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

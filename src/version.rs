//! The library and the extension's SQL objects must be the same release.
//!
//! A package upgrade replaces the shared library at once, but the SQL
//! objects stay at the old release until `ALTER EXTENSION planner_meta
//! UPDATE`; and a long-lived backend keeps the library it loaded after
//! someone else ran the update.  In both windows the code would read and
//! write tables of another release, so every entry point checks first and
//! fails with a clear error instead.  DDL still commits: the event-trigger
//! wrapper turns the error into a WARNING and marks the cache stale, and the
//! first read after the update repairs it.

use pgrx::pg_sys;

use crate::error::{PlannerError, Result};
use crate::knowledge::scan::{Key, Table};

/// The release this library implements.
pub const LIBRARY_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The installed release of the extension, read from pg_extension by
/// index (every entry point asks, so no statement is planned for it).
fn installed_version() -> Result<Option<String>> {
    // SAFETY: a catalog lookup by name; InvalidOid when not installed.
    let extension = unsafe { pg_sys::get_extension_oid(c"planner_meta".as_ptr(), true) };
    if extension == pg_sys::InvalidOid {
        return Ok(None);
    }
    let catalog = Table::open_catalog(pg_sys::ExtensionRelationId);
    let column = catalog.column("extversion")?;
    let mut version = None;
    let index = pg_sys::Oid::from(pg_sys::ExtensionOidIndexId);
    catalog.scan_index_oid(index, &[Key::Oid(1, extension)], |row| {
        version = row.text(column);
        Ok(false)
    })?;
    Ok(version)
}

/// `55000` unless the installed extension is this library's release.
pub fn ensure_installed_matches() -> Result<()> {
    // Not installed at all: the functions below cannot be reached through
    // the extension, and their own queries report it.
    is_installed().map(|_| ())
}

/// True when this library's release is installed, false when the extension
/// is not installed (dropped, say, earlier in the transaction); `55000`
/// when another release is.
pub fn is_installed() -> Result<bool> {
    match installed_version()?.as_deref() {
        Some(LIBRARY_VERSION) => Ok(true),
        Some(other) => Err(PlannerError::VersionMismatch(other.to_string())),
        None => Ok(false),
    }
}

/// True while this extension's own install or update script runs.  Event
/// triggers fire for each of its statements; they only build planner_meta's
/// own objects, which are not tracked, and an update script runs before the
/// tables the library expects exist.  The script itself ends by refreshing
/// (install) or marking the cache stale (update).
pub fn in_own_extension_script() -> bool {
    // SAFETY: plain reads of backend-local globals that PostgreSQL sets
    // around extension scripts; get_extension_name only reads the catalog.
    unsafe {
        if !pgrx::pg_sys::creating_extension {
            return false;
        }
        let name = pgrx::pg_sys::get_extension_name(pgrx::pg_sys::CurrentExtensionObject);
        !name.is_null() && std::ffi::CStr::from_ptr(name).to_bytes() == b"planner_meta"
    }
}

/// Orders dotted release numbers numerically ("0.10.0" after "0.9.1").
pub fn is_older(installed: &str, library: &str) -> bool {
    let parts = |v: &str| -> Vec<u64> { v.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
    parts(installed) < parts(library)
}

#[cfg(test)]
mod tests {
    use super::is_older;

    #[test]
    fn releases_order_numerically() {
        assert!(is_older("0.1.0", "0.2.0"));
        assert!(is_older("0.9.1", "0.10.0"));
        assert!(!is_older("0.2.0", "0.2.0"));
        assert!(!is_older("1.0.0", "0.9.9"));
    }
}

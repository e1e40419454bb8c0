//! Bringing the cache in line with the catalog: compare, write only the
//! difference, then log it.  The event triggers, refresh() and verify() all
//! go through here.

use crate::cache;
use crate::catalog::{self, Scope};
use crate::changelog::{self, Origin};
use crate::diff::{Delta, Difference, Snapshot};
use crate::error::Result;
use crate::rows::RelationRow;

/// What a synchronisation found and did.
pub struct SyncReport {
    pub before: Snapshot,
    pub after: Snapshot,
    pub delta: Delta,
    pub rebuilt: bool,
}

impl SyncReport {
    pub fn to_json(&self, logged: usize) -> serde_json::Value {
        serde_json::json!({
            "rebuilt": self.rebuilt,
            "in_sync_before": self.delta.is_empty(),
            "differences": self.delta.summary(),
            "change_rows": logged,
        })
    }
}

/// Compares cache and catalog within scope and writes the difference.
/// With `rebuild` (whole scope only), every row is rewritten and re-dated.
/// A full-scope synchronisation is an explicit refresh and dates schemas
/// and the database itself; DDL tracking leaves that to the change log.
pub fn synchronize(scope: &Scope, rebuild: bool) -> Result<SyncReport> {
    let before = cache::snapshot(scope)?;
    let after = catalog::snapshot(scope)?;
    let delta = Delta::between(&before, &after);
    if rebuild && *scope == Scope::everything() {
        cache::replace_all(&after)?;
    } else {
        let (relations, schemas) = delta.touched(&after, &before);
        let explicit = *scope == Scope::everything();
        cache::apply(&delta, &relations, &schemas, explicit)?;
    }
    cache::refresh_stats(scope)?;
    if rebuild || delta.rows_written() > cache::ANALYZE_THRESHOLD {
        cache::analyze()?;
    }
    Ok(SyncReport {
        before,
        after,
        delta,
        rebuilt: rebuild,
    })
}

/// Synchronises and writes the change-log rows for what was found; returns
/// the report and the number of rows logged.
pub fn synchronize_and_log(
    scope: &Scope,
    rebuild: bool,
    origin: Origin,
    command_tag: Option<&str>,
) -> Result<(SyncReport, usize)> {
    let report = synchronize(scope, rebuild)?;
    let unnamed = changelog::unnamed_relations(&report.delta, &report.before, &report.after);
    let others: Vec<RelationRow> = if unnamed.is_empty() {
        Vec::new()
    } else {
        let names = Scope {
            relations: Some(unnamed),
            ..Scope::default()
        };
        cache::read(&names)?
    };
    let rows = changelog::rows_for(
        &report.delta,
        &report.before,
        &report.after,
        &others,
        origin,
    );
    changelog::write(&rows, command_tag)?;
    Ok((report, rows.len()))
}

/// Every difference between cache and catalog, without changing anything.
pub fn verify() -> Result<Vec<Difference>> {
    let scope = Scope::everything();
    let cached = cache::snapshot(&scope)?;
    let current = catalog::snapshot(&scope)?;
    Ok(Delta::between(&cached, &current).differences(&current, &cached))
}

//! Bringing the cache in line with the catalog: compare, write only the
//! difference, then log it.  The event triggers, refresh() and verify() all
//! go through here.

use crate::error::Result;
use crate::knowledge::cache;
use crate::knowledge::cache::RowEstimateChange;
use crate::knowledge::catalog::{self, Scope};
use crate::knowledge::rows::RelationRow;
use crate::tracking::changelog::{self, Origin};
use crate::tracking::diff::{Delta, Difference, Snapshot};
use crate::tracking::full_diff;

/// What a synchronisation found and did.
pub struct SyncReport {
    pub before: Snapshot,
    pub after: Snapshot,
    pub delta: Delta,
    pub rebuilt: bool,
    pub row_estimates: Vec<RowEstimateChange>,
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

/// The cache's and the catalog's rows within scope: in full for a partial
/// scope, only what differs (with its relations) for the whole database
/// (the only scope that is not partial).
fn snapshots(scope: &Scope) -> Result<(Snapshot, Snapshot)> {
    if !scope.is_partial() {
        return full_diff::differing();
    }
    Ok((cache::snapshot(scope)?, catalog::snapshot(scope)?))
}

/// Compares cache and catalog within scope and writes the difference.
/// With `rebuild` (an explicit refresh), the linking index is rebuilt from
/// the cache too, instead of trusting its incremental upkeep.  A
/// full-scope synchronisation is an explicit refresh and dates schemas and
/// the database itself; DDL tracking leaves that to the change log.
pub fn synchronize(scope: &Scope, rebuild: bool) -> Result<SyncReport> {
    let (before, after) = snapshots(scope)?;
    let delta = Delta::between(&before, &after);
    let (relations, schemas) = delta.touched(&after, &before);
    let explicit = *scope == Scope::everything();
    cache::apply(&delta, &relations, &schemas, explicit)?;
    let terms_written = if rebuild {
        crate::knowledge::link_index::rebuild_terms()?
    } else {
        0
    };
    let row_estimates = cache::refresh_stats(scope)?;
    if !scope.is_partial() {
        cache::refresh_column_stats(scope)?;
    }
    // A rebuild writes only what differs, so it needs fresh planner
    // statistics no more than any other write does.
    if cache::worth_analyzing(delta.rows_written() + terms_written)? {
        cache::analyze()?;
    }
    Ok(SyncReport {
        before,
        after,
        delta,
        rebuilt: rebuild,
        row_estimates,
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
    let mut rows = change_rows(&report, origin)?;
    if origin == Origin::Refresh {
        rows.extend(changelog::data_refresh_row(
            &report.row_estimates,
            &report.after,
        ));
    }
    changelog::write(&rows, command_tag)?;
    Ok((report, rows.len()))
}

/// Synchronises the DDL of a transaction's statements and returns the
/// change rows, for the caller to log under each row's own statement.
pub fn synchronize_ddl(scope: &Scope) -> Result<Vec<changelog::ChangeRow>> {
    let report = synchronize(scope, false)?;
    change_rows(&report, Origin::Ddl)
}

fn change_rows(report: &SyncReport, origin: Origin) -> Result<Vec<changelog::ChangeRow>> {
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
    Ok(changelog::rows_for(
        &report.delta,
        &report.before,
        &report.after,
        &others,
        origin,
    ))
}

/// Refreshes data-level knowledge (row estimates, sizes, ANALYZE times,
/// column statistics) of one relation or all, and logs what moved.
pub fn refresh_data(scope: &Scope) -> Result<(Vec<RowEstimateChange>, usize)> {
    let changes = cache::refresh_stats(scope)?;
    cache::refresh_column_stats(scope)?;
    let named: Vec<u32> = changes.iter().map(|c| c.rel_oid).collect();
    let relations: Vec<RelationRow> = if named.is_empty() {
        Vec::new()
    } else {
        cache::read(&Scope {
            relations: Some(named),
            ..Scope::default()
        })?
    };
    let after = Snapshot {
        relations,
        ..Snapshot::default()
    };
    let rows: Vec<_> = changelog::data_refresh_row(&changes, &after)
        .into_iter()
        .collect();
    changelog::write(&rows, Some("REFRESH STATS"))?;
    Ok((changes, rows.len()))
}

/// Every difference between cache and catalog, without changing anything.
pub fn verify() -> Result<Vec<Difference>> {
    let (cached, current) = full_diff::differing()?;
    Ok(Delta::between(&cached, &current).differences(&current, &cached))
}

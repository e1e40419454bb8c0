//! Bringing the cache in line with the catalog: compare, then write only the
//! difference.  Used by refresh(), verify() and, later, the event triggers.

use crate::cache;
use crate::catalog::{self, Scope};
use crate::diff::{Delta, Difference};
use crate::error::Result;

/// What a synchronisation found and did.
pub struct SyncReport {
    pub delta: Delta,
    pub rebuilt: bool,
}

impl SyncReport {
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "rebuilt": self.rebuilt,
            "in_sync_before": self.delta.is_empty(),
            "differences": self.delta.summary(),
        })
    }
}

/// Compares cache and catalog within scope and writes the difference.
/// With `rebuild`, every row is rewritten (and re-dated) whatever it held.
pub fn synchronize(scope: &Scope, rebuild: bool) -> Result<SyncReport> {
    let cached = cache::snapshot(scope)?;
    let current = catalog::snapshot(scope)?;
    let delta = Delta::between(&cached, &current);
    if rebuild && *scope == Scope::everything() {
        cache::replace_all(&current)?;
    } else {
        let (relations, schemas) = delta.touched(&current, &cached);
        cache::apply(&delta, &relations, &schemas)?;
    }
    cache::refresh_stats(scope)?;
    if rebuild || delta.rows_written() > cache::ANALYZE_THRESHOLD {
        cache::analyze()?;
    }
    cache::mark_refreshed()?;
    Ok(SyncReport {
        delta,
        rebuilt: rebuild,
    })
}

/// Every difference between cache and catalog, without changing anything.
pub fn verify() -> Result<Vec<Difference>> {
    let scope = Scope::everything();
    let cached = cache::snapshot(&scope)?;
    let current = catalog::snapshot(&scope)?;
    Ok(Delta::between(&cached, &current).differences(&current, &cached))
}

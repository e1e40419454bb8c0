//! Reading the current structure from pg_catalog (never information_schema).
//! The queries live in sql/catalog/, one per cache table.

use crate::diff::Snapshot;
use crate::error::Result;
use crate::rows::{CacheRow, ScopeKind};
use crate::spi::{oid_array, select_json, select_json_kept};

/// Which objects to read.  `None` in a list means every object of that kind;
/// an empty list means none.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Scope {
    pub schemas: Option<Vec<u32>>,
    pub relations: Option<Vec<u32>>,
    pub types: Option<Vec<u32>>,
}

impl Scope {
    pub fn everything() -> Self {
        Scope::default()
    }

    pub fn list(&self, kind: ScopeKind) -> Option<&[u32]> {
        match kind {
            ScopeKind::Schema => self.schemas.as_deref(),
            ScopeKind::Relation => self.relations.as_deref(),
            ScopeKind::Type => self.types.as_deref(),
        }
    }
}

/// Marks the scope test in every catalog query; the full read turns it into
/// `$1 IS NULL OR ...` and binds NULL.
const SCOPE_MARKER: &str = "/*scope*/";

/// Rows of one cache table as the catalog describes them now.  Scoped reads
/// (every DDL statement) reuse a plan kept per backend; full reads are rare
/// and planned each time.
pub fn read<T: CacheRow>(scope: &Scope) -> Result<Vec<T>> {
    let json = match scope.list(T::SCOPE) {
        Some([]) => return Ok(Vec::new()),
        Some(oids) => select_json_kept(T::CATALOG_SQL, &[oid_array(Some(oids))])?,
        None => {
            let full = T::CATALOG_SQL.replace(SCOPE_MARKER, "$1::oid[] IS NULL OR");
            select_json(&full, &[oid_array(None)])?
        }
    };
    Ok(serde_json::from_value(json)?)
}

/// Everything in scope, as the catalog describes it now.
pub fn snapshot(scope: &Scope) -> Result<Snapshot> {
    Ok(Snapshot {
        schemas: read(scope)?,
        relations: read(scope)?,
        columns: read(scope)?,
        constraints: read(scope)?,
        relationships: read(scope)?,
        indexes: read(scope)?,
        enums: read(scope)?,
    })
}

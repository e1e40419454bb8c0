//! Reading the current structure from pg_catalog (never information_schema).
//! The queries live in sql/catalog/, one per cache table.

use crate::diff::Snapshot;
use crate::error::Result;
use crate::rows::{CacheRow, ScopeKind};
use crate::spi::{oid_array, select_json};

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

    /// True when the scope selects no object of this kind at all, so the
    /// query can be skipped.
    pub fn excludes_all(&self, kind: ScopeKind) -> bool {
        self.list(kind).is_some_and(|l| l.is_empty())
    }
}

/// Rows of one cache table as the catalog describes them now.
pub fn read<T: CacheRow>(scope: &Scope) -> Result<Vec<T>> {
    if scope.excludes_all(T::SCOPE) {
        return Ok(Vec::new());
    }
    let json = select_json(T::CATALOG_SQL, &[oid_array(scope.list(T::SCOPE))])?;
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

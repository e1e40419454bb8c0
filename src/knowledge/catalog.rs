//! Reading the current structure from pg_catalog (never information_schema).
//! The queries live in sql/catalog/, one per cache table.

use crate::error::Result;
use crate::tracking::diff::Snapshot;
use std::sync::OnceLock;

use crate::knowledge::rows::{
    CacheRow, ColumnRow, ConstraintRow, EnumRow, IndexRow, PolicyRow, RelationRow, RelationshipRow,
    SchemaRow, ScopeKind, TriggerRow,
};
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

    /// True when every kind is limited to a list (DDL tracking); false when
    /// some kind is read in full (refresh, verify).
    pub fn is_partial(&self) -> bool {
        self.schemas.is_some() && self.relations.is_some() && self.types.is_some()
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

/// The unscoped variant of a statement scoped by `$1 oid[]` at its
/// `/*scope*/` markers, to run with NULL bound: planned for the whole
/// table instead of a probe per oid.
pub fn full_scope_sql(sql: &str) -> String {
    sql.replace(SCOPE_MARKER, "$1::oid[] IS NULL OR")
}

/// The catalog query of `T` as one jsonb array, ordered by key.
fn json_sql<T: CacheRow>() -> String {
    let order: Vec<String> = T::KEY_COLUMNS.iter().map(|c| format!("x.{c}")).collect();
    format!(
        "SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY {}), '[]'::jsonb) FROM (\n{}\n) x",
        order.join(", "),
        T::catalog_rows_sql()
    )
}

/// Rows of one cache table as the catalog describes them now.  Scoped reads
/// (every DDL statement) reuse a plan kept per backend; full reads are rare
/// and planned each time.
pub fn read<T: CacheRow>(scope: &Scope) -> Result<Vec<T>> {
    let json = match scope.list(T::SCOPE) {
        Some([]) => return Ok(Vec::new()),
        Some(oids) => select_json_kept(&json_sql::<T>(), &[oid_array(Some(oids))])?,
        None => {
            let full = full_scope_sql(&json_sql::<T>());
            select_json(&full, &[oid_array(None)])?
        }
    };
    Ok(serde_json::from_value(json)?)
}

/// The bound parameter that carries the scope list of each kind, when all
/// kinds are read in one statement.
pub fn scope_param(kind: ScopeKind) -> &'static str {
    match kind {
        ScopeKind::Schema => "$1",
        ScopeKind::Relation => "$2",
        ScopeKind::Type => "$3",
    }
}

/// One statement reading every kind for a partial scope: each catalog
/// query becomes a scalar subquery on its own scope parameter.  DDL
/// tracking reads a few rows of each kind, so one round trip through SPI
/// instead of seven is most of the cost saved.
fn combined_sql() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| {
        fn part<T: CacheRow>(name: &str) -> String {
            let sql = json_sql::<T>().replace("$1", scope_param(T::SCOPE));
            format!("'{name}', ({sql}\n)")
        }
        format!(
            "SELECT jsonb_build_object({}, {}, {}, {}, {}, {}, {}, {}, {})",
            part::<SchemaRow>("schemas"),
            part::<RelationRow>("relations"),
            part::<ColumnRow>("columns"),
            part::<ConstraintRow>("constraints"),
            part::<RelationshipRow>("relationships"),
            part::<IndexRow>("indexes"),
            part::<TriggerRow>("triggers"),
            part::<PolicyRow>("policies"),
            part::<EnumRow>("enums"),
        )
    })
}

/// The three scope lists as bound parameters, in `scope_param` order.
pub fn scope_args(scope: &Scope) -> [pgrx::datum::DatumWithOid<'static>; 3] {
    [
        oid_array(Some(scope.schemas.as_deref().unwrap_or_default())),
        oid_array(Some(scope.relations.as_deref().unwrap_or_default())),
        oid_array(Some(scope.types.as_deref().unwrap_or_default())),
    ]
}

/// Everything the catalog describes now within a partial scope (DDL tracking), in one
/// statement.  The whole database is compared in the server instead
/// (`full_diff`).
pub fn snapshot(scope: &Scope) -> Result<Snapshot> {
    debug_assert!(
        scope.is_partial(),
        "whole-database comparisons go through full_diff"
    );
    let json = select_json_kept(combined_sql(), &scope_args(scope))?;
    Ok(serde_json::from_value(json)?)
}

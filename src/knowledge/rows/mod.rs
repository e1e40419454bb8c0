//! Typed rows of the cache, one struct per cache table.
//!
//! The same struct is filled from pg_catalog (sql/catalog/*.sql) and from the
//! cache (`cache_*` tables), so comparing the two is a plain `==`.  Field
//! names equal the cache table's column names: rows cross the SPI boundary as
//! jsonb and are written back with `jsonb_populate_record`.

use serde::{de::DeserializeOwned, Serialize};

mod contents;
mod objects;
pub(crate) mod oid_json;

pub use contents::{ColumnRow, ConstraintRow, IndexRow, PolicyRow, RelationshipRow, TriggerRow};
pub use objects::{EnumRow, RelationRow, SchemaRow};

/// Which scope list filters a cache table when only some objects are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    Schema,
    Relation,
    Type,
}

/// A cache key as SQL sees it: an oid, and for columns an attnum.
pub trait KeyParts {
    fn parts(&self) -> (u32, Option<i16>);
}

impl KeyParts for u32 {
    fn parts(&self) -> (u32, Option<i16>) {
        (*self, None)
    }
}

impl KeyParts for (u32, i16) {
    fn parts(&self) -> (u32, Option<i16>) {
        (self.0, Some(self.1))
    }
}

/// A row of one cache table.
pub trait CacheRow: Serialize + DeserializeOwned + PartialEq + Clone + std::fmt::Debug {
    /// Primary key of the row, used to match catalog and cache.
    type Key: Ord + Clone + std::fmt::Debug + KeyParts;
    /// Cache table name, inside schema planner_meta.
    const TABLE: &'static str;
    /// Columns of the cache table's primary key.
    const KEY_COLUMNS: &'static [&'static str];
    /// Catalog query producing the rows, one per cache row with the cache
    /// table's column names, limited to the `$1 oid[]` scope at its
    /// `/*scope*/` marker (see `catalog::read`).
    const CATALOG_ROWS_SQL: &'static str;
    /// Boolean SQL over the cache table selecting rows in scope `$1 oid[]`.
    const SCOPE_FILTER: &'static str;
    /// Which scope list applies.
    const SCOPE: ScopeKind;
    /// Object kind used in verify() output and change summaries.
    const OBJECT_TYPE: &'static str;

    fn key(&self) -> Self::Key;
    /// `CATALOG_ROWS_SQL` as this build's server major runs it.
    fn catalog_rows_sql() -> std::borrow::Cow<'static, str> {
        crate::knowledge::pg_major::catalog_sql(Self::CATALOG_ROWS_SQL)
    }
    /// Relations whose knowledge changes when this row does.
    fn relations(&self) -> Vec<u32>;
    /// Schema this row belongs to directly, if it is not under a relation.
    fn schema(&self) -> Option<u32> {
        None
    }
    /// Human-readable identity for verify() output; `rel` names a relation
    /// by oid.
    fn identity(&self, rel: &dyn Fn(u32) -> String) -> String;
}

/// Quotes an identifier the way PostgreSQL's quote_ident() does, for messages
/// and identities only (never to build SQL).
pub fn quote_ident(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids_parse_from_text_and_number() {
        let from_pg: RelationRow = serde_json::from_str(
            r#"{"rel_oid":"16384","schema_oid":2200,"schema_name":"public","rel_name":"t",
                "kind":"table","owner":"o","persistence":"permanent","comment":null,
                "parent_oid":"16000","partition_bound":null,"partition_key":null,
                "view_definition":null,"foreign_server":null,"extension_name":null}"#,
        )
        .expect("row parses");
        assert_eq!(from_pg.rel_oid, 16384);
        assert_eq!(from_pg.parent_oid, Some(16000));
        let round: RelationRow =
            serde_json::from_value(serde_json::to_value(&from_pg).expect("serialises"))
                .expect("round trip parses");
        assert_eq!(round, from_pg);
    }

    #[test]
    fn quote_ident_matches_postgres_rules() {
        assert_eq!(quote_ident("film"), "film");
        assert_eq!(quote_ident("Order Details"), "\"Order Details\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(quote_ident("1abc"), "\"1abc\"");
        assert_eq!(quote_ident("café"), "\"café\"");
    }
}

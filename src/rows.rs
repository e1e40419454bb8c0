//! Typed rows of the cache, one struct per cache table.
//!
//! The same struct is filled from pg_catalog (sql/catalog/*.sql) and from the
//! cache (`cache_*` tables), so comparing the two is a plain `==`.  Field
//! names equal the cache table's column names: rows cross the SPI boundary as
//! jsonb and are written back with `jsonb_populate_record`.

use serde::{de::DeserializeOwned, Deserialize, Serialize};

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
    /// Catalog query producing the rows as one jsonb array, limited to the
    /// `$1 oid[]` scope at its `/*scope*/` marker (see `catalog::read`).
    const CATALOG_SQL: &'static str;
    /// Boolean SQL over the cache table selecting rows in scope `$1 oid[]`.
    const SCOPE_FILTER: &'static str;
    /// Which scope list applies.
    const SCOPE: ScopeKind;
    /// Object kind used in verify() output and change summaries.
    const OBJECT_TYPE: &'static str;

    fn key(&self) -> Self::Key;
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchemaRow {
    #[serde(with = "oid_json")]
    pub schema_oid: u32,
    pub schema_name: String,
    pub owner: String,
    pub comment: Option<String>,
    pub extension_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelationRow {
    #[serde(with = "oid_json")]
    pub rel_oid: u32,
    #[serde(with = "oid_json")]
    pub schema_oid: u32,
    pub schema_name: String,
    pub rel_name: String,
    pub kind: String,
    pub owner: String,
    pub persistence: String,
    pub comment: Option<String>,
    #[serde(with = "opt_oid_json")]
    pub parent_oid: Option<u32>,
    pub partition_bound: Option<String>,
    pub partition_key: Option<String>,
    pub view_definition: Option<String>,
    pub foreign_server: Option<String>,
    pub extension_name: Option<String>,
    /// `enabled` or `forced` row-level security, or none.
    pub row_security: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnRow {
    #[serde(with = "oid_json")]
    pub rel_oid: u32,
    pub attnum: i16,
    pub column_name: String,
    pub data_type: String,
    #[serde(with = "oid_json")]
    pub type_oid: u32,
    pub not_null: bool,
    pub default_expr: Option<String>,
    pub identity: Option<String>,
    pub generated_expr: Option<String>,
    pub collation_name: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConstraintRow {
    #[serde(with = "oid_json")]
    pub constraint_oid: u32,
    #[serde(with = "oid_json")]
    pub rel_oid: u32,
    pub constraint_name: String,
    pub constraint_type: String,
    pub columns: Vec<String>,
    pub definition: String,
    pub is_deferrable: bool,
    pub is_validated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelationshipRow {
    #[serde(with = "oid_json")]
    pub constraint_oid: u32,
    pub constraint_name: String,
    #[serde(with = "oid_json")]
    pub from_rel_oid: u32,
    pub from_columns: Vec<String>,
    #[serde(with = "oid_json")]
    pub to_rel_oid: u32,
    pub to_columns: Vec<String>,
    pub on_update: String,
    pub on_delete: String,
    pub match_type: String,
    pub one_to_one: bool,
    pub is_deferrable: bool,
    pub is_validated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexRow {
    #[serde(with = "oid_json")]
    pub index_oid: u32,
    #[serde(with = "oid_json")]
    pub rel_oid: u32,
    pub index_name: String,
    pub method: String,
    pub is_unique: bool,
    pub is_primary: bool,
    pub is_valid: bool,
    pub key_columns: Vec<String>,
    pub include_columns: Vec<String>,
    pub predicate: Option<String>,
    pub constraint_name: Option<String>,
    pub definition: String,
}

/// A user trigger (not the internal ones behind foreign keys).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TriggerRow {
    #[serde(with = "oid_json")]
    pub trigger_oid: u32,
    #[serde(with = "oid_json")]
    pub rel_oid: u32,
    pub trigger_name: String,
    /// BEFORE, AFTER or INSTEAD OF.
    pub timing: String,
    pub events: Vec<String>,
    /// ROW or STATEMENT.
    pub level: String,
    pub function_name: String,
    /// enabled, disabled, replica or always (ALTER TABLE ... ENABLE TRIGGER).
    pub enabled: String,
    pub is_constraint: bool,
    pub comment: Option<String>,
    pub definition: String,
}

/// A row-level security policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyRow {
    #[serde(with = "oid_json")]
    pub policy_oid: u32,
    #[serde(with = "oid_json")]
    pub rel_oid: u32,
    pub policy_name: String,
    /// ALL, SELECT, INSERT, UPDATE or DELETE.
    pub command: String,
    pub permissive: bool,
    pub roles: Vec<String>,
    pub using_expr: Option<String>,
    pub check_expr: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnumRow {
    #[serde(with = "oid_json")]
    pub type_oid: u32,
    #[serde(with = "oid_json")]
    pub schema_oid: u32,
    pub schema_name: String,
    pub type_name: String,
    pub labels: Vec<String>,
    pub owner: String,
    pub comment: Option<String>,
    pub extension_name: Option<String>,
}

impl CacheRow for SchemaRow {
    type Key = u32;
    const TABLE: &'static str = "cache_schemas";
    const KEY_COLUMNS: &'static [&'static str] = &["schema_oid"];
    const CATALOG_SQL: &'static str = include_str!("../sql/catalog/schemas.sql");
    const SCOPE_FILTER: &'static str = "schema_oid = ANY ($1::oid[])";
    const SCOPE: ScopeKind = ScopeKind::Schema;
    const OBJECT_TYPE: &'static str = "schema";
    fn key(&self) -> u32 {
        self.schema_oid
    }
    fn relations(&self) -> Vec<u32> {
        Vec::new()
    }
    fn schema(&self) -> Option<u32> {
        Some(self.schema_oid)
    }
    fn identity(&self, _rel: &dyn Fn(u32) -> String) -> String {
        quote_ident(&self.schema_name)
    }
}

impl CacheRow for RelationRow {
    type Key = u32;
    const TABLE: &'static str = "cache_relations";
    const KEY_COLUMNS: &'static [&'static str] = &["rel_oid"];
    const CATALOG_SQL: &'static str = include_str!("../sql/catalog/relations.sql");
    const SCOPE_FILTER: &'static str = "rel_oid = ANY ($1::oid[])";
    const SCOPE: ScopeKind = ScopeKind::Relation;
    const OBJECT_TYPE: &'static str = "relation";
    fn key(&self) -> u32 {
        self.rel_oid
    }
    fn relations(&self) -> Vec<u32> {
        vec![self.rel_oid]
    }
    fn schema(&self) -> Option<u32> {
        Some(self.schema_oid)
    }
    fn identity(&self, _rel: &dyn Fn(u32) -> String) -> String {
        format!(
            "{}.{}",
            quote_ident(&self.schema_name),
            quote_ident(&self.rel_name)
        )
    }
}

impl CacheRow for ColumnRow {
    type Key = (u32, i16);
    const TABLE: &'static str = "cache_columns";
    const KEY_COLUMNS: &'static [&'static str] = &["rel_oid", "attnum"];
    const CATALOG_SQL: &'static str = include_str!("../sql/catalog/columns.sql");
    const SCOPE_FILTER: &'static str = "rel_oid = ANY ($1::oid[])";
    const SCOPE: ScopeKind = ScopeKind::Relation;
    const OBJECT_TYPE: &'static str = "column";
    fn key(&self) -> (u32, i16) {
        (self.rel_oid, self.attnum)
    }
    fn relations(&self) -> Vec<u32> {
        vec![self.rel_oid]
    }
    fn identity(&self, rel: &dyn Fn(u32) -> String) -> String {
        format!("{}.{}", rel(self.rel_oid), quote_ident(&self.column_name))
    }
}

impl CacheRow for ConstraintRow {
    type Key = u32;
    const TABLE: &'static str = "cache_constraints";
    const KEY_COLUMNS: &'static [&'static str] = &["constraint_oid"];
    const CATALOG_SQL: &'static str = include_str!("../sql/catalog/constraints.sql");
    const SCOPE_FILTER: &'static str = "rel_oid = ANY ($1::oid[])";
    const SCOPE: ScopeKind = ScopeKind::Relation;
    const OBJECT_TYPE: &'static str = "constraint";
    fn key(&self) -> u32 {
        self.constraint_oid
    }
    fn relations(&self) -> Vec<u32> {
        vec![self.rel_oid]
    }
    fn identity(&self, rel: &dyn Fn(u32) -> String) -> String {
        format!(
            "{} on {}",
            quote_ident(&self.constraint_name),
            rel(self.rel_oid)
        )
    }
}

impl CacheRow for RelationshipRow {
    type Key = u32;
    const TABLE: &'static str = "cache_relationships";
    const KEY_COLUMNS: &'static [&'static str] = &["constraint_oid"];
    const CATALOG_SQL: &'static str = include_str!("../sql/catalog/relationships.sql");
    const SCOPE_FILTER: &'static str =
        "(from_rel_oid = ANY ($1::oid[]) OR to_rel_oid = ANY ($1::oid[]))";
    const SCOPE: ScopeKind = ScopeKind::Relation;
    const OBJECT_TYPE: &'static str = "relationship";
    fn key(&self) -> u32 {
        self.constraint_oid
    }
    fn relations(&self) -> Vec<u32> {
        vec![self.from_rel_oid, self.to_rel_oid]
    }
    fn identity(&self, rel: &dyn Fn(u32) -> String) -> String {
        format!(
            "{} on {}",
            quote_ident(&self.constraint_name),
            rel(self.from_rel_oid)
        )
    }
}

impl CacheRow for IndexRow {
    type Key = u32;
    const TABLE: &'static str = "cache_indexes";
    const KEY_COLUMNS: &'static [&'static str] = &["index_oid"];
    const CATALOG_SQL: &'static str = include_str!("../sql/catalog/indexes.sql");
    const SCOPE_FILTER: &'static str = "rel_oid = ANY ($1::oid[])";
    const SCOPE: ScopeKind = ScopeKind::Relation;
    const OBJECT_TYPE: &'static str = "index";
    fn key(&self) -> u32 {
        self.index_oid
    }
    fn relations(&self) -> Vec<u32> {
        vec![self.rel_oid]
    }
    fn identity(&self, rel: &dyn Fn(u32) -> String) -> String {
        format!("{} on {}", quote_ident(&self.index_name), rel(self.rel_oid))
    }
}

impl CacheRow for TriggerRow {
    type Key = u32;
    const TABLE: &'static str = "cache_triggers";
    const KEY_COLUMNS: &'static [&'static str] = &["trigger_oid"];
    const CATALOG_SQL: &'static str = include_str!("../sql/catalog/triggers.sql");
    const SCOPE_FILTER: &'static str = "rel_oid = ANY ($1::oid[])";
    const SCOPE: ScopeKind = ScopeKind::Relation;
    const OBJECT_TYPE: &'static str = "trigger";
    fn key(&self) -> u32 {
        self.trigger_oid
    }
    fn relations(&self) -> Vec<u32> {
        vec![self.rel_oid]
    }
    fn identity(&self, rel: &dyn Fn(u32) -> String) -> String {
        format!(
            "{} on {}",
            quote_ident(&self.trigger_name),
            rel(self.rel_oid)
        )
    }
}

impl CacheRow for PolicyRow {
    type Key = u32;
    const TABLE: &'static str = "cache_policies";
    const KEY_COLUMNS: &'static [&'static str] = &["policy_oid"];
    const CATALOG_SQL: &'static str = include_str!("../sql/catalog/policies.sql");
    const SCOPE_FILTER: &'static str = "rel_oid = ANY ($1::oid[])";
    const SCOPE: ScopeKind = ScopeKind::Relation;
    const OBJECT_TYPE: &'static str = "policy";
    fn key(&self) -> u32 {
        self.policy_oid
    }
    fn relations(&self) -> Vec<u32> {
        vec![self.rel_oid]
    }
    fn identity(&self, rel: &dyn Fn(u32) -> String) -> String {
        format!(
            "{} on {}",
            quote_ident(&self.policy_name),
            rel(self.rel_oid)
        )
    }
}

impl CacheRow for EnumRow {
    type Key = u32;
    const TABLE: &'static str = "cache_enums";
    const KEY_COLUMNS: &'static [&'static str] = &["type_oid"];
    const CATALOG_SQL: &'static str = include_str!("../sql/catalog/enums.sql");
    const SCOPE_FILTER: &'static str = "type_oid = ANY ($1::oid[])";
    const SCOPE: ScopeKind = ScopeKind::Type;
    const OBJECT_TYPE: &'static str = "enum";
    fn key(&self) -> u32 {
        self.type_oid
    }
    fn relations(&self) -> Vec<u32> {
        Vec::new()
    }
    fn schema(&self) -> Option<u32> {
        Some(self.schema_oid)
    }
    fn identity(&self, _rel: &dyn Fn(u32) -> String) -> String {
        format!(
            "{}.{}",
            quote_ident(&self.schema_name),
            quote_ident(&self.type_name)
        )
    }
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

/// `to_jsonb(oid)` yields a string, while Rust-built json yields a number;
/// accept both.
mod oid_json {
    use serde::{Deserialize, Deserializer, Serializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    pub(super) enum OidRepr {
        Number(u32),
        Text(String),
    }

    impl OidRepr {
        pub(super) fn into_oid<E: serde::de::Error>(self) -> Result<u32, E> {
            match self {
                OidRepr::Number(n) => Ok(n),
                OidRepr::Text(s) => s.parse().map_err(E::custom),
            }
        }
    }

    pub fn serialize<S: Serializer>(oid: &u32, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(*oid)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        OidRepr::deserialize(d)?.into_oid()
    }
}

mod opt_oid_json {
    use super::oid_json::OidRepr;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(oid: &Option<u32>, s: S) -> Result<S::Ok, S::Error> {
        match oid {
            Some(o) => s.serialize_u32(*o),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
        Option::<OidRepr>::deserialize(d)?
            .map(OidRepr::into_oid)
            .transpose()
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

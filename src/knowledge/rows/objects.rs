//! Rows of the objects a schema holds by name: schemas, relations and
//! enum types.

use serde::{Deserialize, Serialize};

use super::{quote_ident, CacheRow, ScopeKind};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchemaRow {
    #[serde(with = "crate::knowledge::rows::oid_json")]
    pub schema_oid: u32,
    pub schema_name: String,
    pub owner: String,
    pub comment: Option<String>,
    pub extension_name: Option<String>,
}

impl CacheRow for SchemaRow {
    type Key = u32;
    const TABLE: &'static str = "cache_schemas";
    const KEY_COLUMNS: &'static [&'static str] = &["schema_oid"];
    const CATALOG_ROWS_SQL: &'static str = include_str!("../../../sql/catalog/schemas.sql");
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelationRow {
    #[serde(with = "crate::knowledge::rows::oid_json")]
    pub rel_oid: u32,
    #[serde(with = "crate::knowledge::rows::oid_json")]
    pub schema_oid: u32,
    pub schema_name: String,
    pub rel_name: String,
    pub kind: String,
    pub owner: String,
    pub persistence: String,
    pub comment: Option<String>,
    #[serde(with = "crate::knowledge::rows::oid_json::optional")]
    pub parent_oid: Option<u32>,
    pub partition_bound: Option<String>,
    pub partition_key: Option<String>,
    pub view_definition: Option<String>,
    pub foreign_server: Option<String>,
    pub extension_name: Option<String>,
    /// `enabled` or `forced` row-level security, or none.
    pub row_security: Option<String>,
}

impl CacheRow for RelationRow {
    type Key = u32;
    const TABLE: &'static str = "cache_relations";
    const KEY_COLUMNS: &'static [&'static str] = &["rel_oid"];
    const CATALOG_ROWS_SQL: &'static str = include_str!("../../../sql/catalog/relations.sql");
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnumRow {
    #[serde(with = "crate::knowledge::rows::oid_json")]
    pub type_oid: u32,
    #[serde(with = "crate::knowledge::rows::oid_json")]
    pub schema_oid: u32,
    pub schema_name: String,
    pub type_name: String,
    pub labels: Vec<String>,
    pub owner: String,
    pub comment: Option<String>,
    pub extension_name: Option<String>,
}

impl CacheRow for EnumRow {
    type Key = u32;
    const TABLE: &'static str = "cache_enums";
    const KEY_COLUMNS: &'static [&'static str] = &["type_oid"];
    const CATALOG_ROWS_SQL: &'static str = include_str!("../../../sql/catalog/enums.sql");
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

//! Rows of what a relation holds: columns, constraints, foreign keys,
//! indexes, triggers and policies.

use serde::{Deserialize, Serialize};

use super::{quote_ident, CacheRow, ScopeKind};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnRow {
    #[serde(with = "crate::knowledge::rows::oid_json")]
    pub rel_oid: u32,
    pub attnum: i16,
    pub column_name: String,
    pub data_type: String,
    #[serde(with = "crate::knowledge::rows::oid_json")]
    pub type_oid: u32,
    pub not_null: bool,
    pub default_expr: Option<String>,
    pub identity: Option<String>,
    pub generated_expr: Option<String>,
    pub collation_name: Option<String>,
    pub comment: Option<String>,
    /// STORED or VIRTUAL (PostgreSQL 18) when the column is generated.
    pub generated_kind: Option<String>,
}

impl CacheRow for ColumnRow {
    type Key = (u32, i16);
    const TABLE: &'static str = "cache_columns";
    const KEY_COLUMNS: &'static [&'static str] = &["rel_oid", "attnum"];
    const CATALOG_ROWS_SQL: &'static str = include_str!("../../../sql/catalog/columns.sql");
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConstraintRow {
    #[serde(with = "crate::knowledge::rows::oid_json")]
    pub constraint_oid: u32,
    #[serde(with = "crate::knowledge::rows::oid_json")]
    pub rel_oid: u32,
    pub constraint_name: String,
    pub constraint_type: String,
    pub columns: Vec<String>,
    pub definition: String,
    pub is_deferrable: bool,
    pub is_validated: bool,
    /// False for NOT ENFORCED (PostgreSQL 18).
    pub is_enforced: bool,
    /// A temporal key: its last column WITHOUT OVERLAPS (PostgreSQL 18).
    pub is_temporal: bool,
    /// Inherited from a parent table (and so not droppable on its own).
    pub is_inherited: bool,
    /// NO INHERIT: children do not get it.
    pub no_inherit: bool,
}

impl CacheRow for ConstraintRow {
    type Key = u32;
    const TABLE: &'static str = "cache_constraints";
    const KEY_COLUMNS: &'static [&'static str] = &["constraint_oid"];
    const CATALOG_ROWS_SQL: &'static str = include_str!("../../../sql/catalog/constraints.sql");
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelationshipRow {
    #[serde(with = "crate::knowledge::rows::oid_json")]
    pub constraint_oid: u32,
    pub constraint_name: String,
    #[serde(with = "crate::knowledge::rows::oid_json")]
    pub from_rel_oid: u32,
    pub from_columns: Vec<String>,
    #[serde(with = "crate::knowledge::rows::oid_json")]
    pub to_rel_oid: u32,
    pub to_columns: Vec<String>,
    pub on_update: String,
    pub on_delete: String,
    pub match_type: String,
    pub one_to_one: bool,
    pub is_deferrable: bool,
    pub is_validated: bool,
    /// False for NOT ENFORCED (PostgreSQL 18).
    pub is_enforced: bool,
    /// A PERIOD key (PostgreSQL 18): the last column pair matches by range
    /// containment, the others by equality.
    pub is_temporal: bool,
}

impl CacheRow for RelationshipRow {
    type Key = u32;
    const TABLE: &'static str = "cache_relationships";
    const KEY_COLUMNS: &'static [&'static str] = &["constraint_oid"];
    const CATALOG_ROWS_SQL: &'static str = include_str!("../../../sql/catalog/relationships.sql");
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexRow {
    #[serde(with = "crate::knowledge::rows::oid_json")]
    pub index_oid: u32,
    #[serde(with = "crate::knowledge::rows::oid_json")]
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

impl CacheRow for IndexRow {
    type Key = u32;
    const TABLE: &'static str = "cache_indexes";
    const KEY_COLUMNS: &'static [&'static str] = &["index_oid"];
    const CATALOG_ROWS_SQL: &'static str = include_str!("../../../sql/catalog/indexes.sql");
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

/// A user trigger (not the internal ones behind foreign keys).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TriggerRow {
    #[serde(with = "crate::knowledge::rows::oid_json")]
    pub trigger_oid: u32,
    #[serde(with = "crate::knowledge::rows::oid_json")]
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

impl CacheRow for TriggerRow {
    type Key = u32;
    const TABLE: &'static str = "cache_triggers";
    const KEY_COLUMNS: &'static [&'static str] = &["trigger_oid"];
    const CATALOG_ROWS_SQL: &'static str = include_str!("../../../sql/catalog/triggers.sql");
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

/// A row-level security policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyRow {
    #[serde(with = "crate::knowledge::rows::oid_json")]
    pub policy_oid: u32,
    #[serde(with = "crate::knowledge::rows::oid_json")]
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

impl CacheRow for PolicyRow {
    type Key = u32;
    const TABLE: &'static str = "cache_policies";
    const KEY_COLUMNS: &'static [&'static str] = &["policy_oid"];
    const CATALOG_ROWS_SQL: &'static str = include_str!("../../../sql/catalog/policies.sql");
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

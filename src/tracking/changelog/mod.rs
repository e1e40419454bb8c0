//! Turning a delta into change-log rows, and writing them with NOTIFY.
//!
//! The vocabulary keeps the seed's actions (`discovered_schema`,
//! `discovered_table`, `updated_table_structure`,
//! `updated_table_relationships`) and adds `created_*`, `renamed_*`,
//! `dropped_*`, `comment_changed`, `privileges_changed` and `refreshed`.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{json, Value};

use crate::knowledge::rows::{quote_ident, CacheRow, RelationRow, SchemaRow};
use crate::tracking::diff::{changed_fields, Delta, Snapshot};

mod objects;
mod structure;
mod write;

use objects::{discovery_rows, enum_rows, relation_rows, schema_rows};
use structure::{relationship_rows, structure_rows};
pub use write::{write, write_as};

/// Why the cache changed; decides the vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// First discovery at CREATE EXTENSION.
    Discovery,
    /// A DDL statement, seen by an event trigger.
    Ddl,
    /// An explicit refresh() that found drift.
    Refresh,
}

/// One change-log row before the database adds time, txid and roles.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeRow {
    pub action: String,
    pub object_type: String,
    pub schema_name: Option<String>,
    pub object_name: Option<String>,
    pub object_identity: Option<String>,
    pub rel_oid: Option<u32>,
    pub schema_oid: Option<u32>,
    pub details: Value,
}

impl ChangeRow {
    /// A row about no single object (a refresh, a privilege change).
    pub fn unattached(action: &str, object_type: &str, details: Value) -> Self {
        ChangeRow {
            action: action.to_string(),
            object_type: object_type.to_string(),
            schema_name: None,
            object_name: None,
            object_identity: None,
            rel_oid: None,
            schema_oid: None,
            details,
        }
    }

    fn for_relation(action: String, rel: &RelationRow, details: Value) -> Self {
        ChangeRow {
            action,
            object_type: rel.kind.replace('_', " "),
            schema_name: Some(rel.schema_name.clone()),
            object_name: Some(rel.rel_name.clone()),
            object_identity: Some(rel.identity(&|o| o.to_string())),
            rel_oid: Some(rel.rel_oid),
            schema_oid: Some(rel.schema_oid),
            details,
        }
    }

    fn for_schema(action: &str, schema: &SchemaRow, details: Value) -> Self {
        ChangeRow {
            action: action.to_string(),
            object_type: "schema".into(),
            schema_name: Some(schema.schema_name.clone()),
            object_name: Some(schema.schema_name.clone()),
            object_identity: Some(quote_ident(&schema.schema_name)),
            rel_oid: None,
            schema_oid: Some(schema.schema_oid),
            details,
        }
    }
}

/// The word used in `created_*` / `dropped_*` / `renamed_*` for a relation kind.
fn kind_word(kind: &str) -> &str {
    match kind {
        "partitioned_table" => "table",
        other => other,
    }
}

/// `{field: {from, to}}` for every field that differs.
fn field_changes<T: Serialize>(
    before: &T,
    after: &T,
    skip: &[&str],
) -> serde_json::Map<String, Value> {
    let (Ok(a), Ok(b)) = (serde_json::to_value(before), serde_json::to_value(after)) else {
        return serde_json::Map::new();
    };
    changed_fields(before, after)
        .into_iter()
        .filter(|f| !skip.contains(&f.as_str()))
        .map(|f| {
            let change = json!({"from": a[&f], "to": b[&f]});
            (f, change)
        })
        .collect()
}

/// Lookup of relations by oid across both snapshots (after wins).
struct Relations<'a>(BTreeMap<u32, &'a RelationRow>);

impl<'a> Relations<'a> {
    fn new(before: &'a Snapshot, after: &'a Snapshot, others: &'a [RelationRow]) -> Self {
        Relations(
            others
                .iter()
                .chain(&before.relations)
                .chain(&after.relations)
                .map(|r| (r.rel_oid, r))
                .collect(),
        )
    }

    fn get(&self, oid: u32) -> Option<&'a RelationRow> {
        self.0.get(&oid).copied()
    }

    fn identity(&self, oid: u32) -> String {
        self.get(oid)
            .map(|r| r.identity(&|o| o.to_string()))
            .unwrap_or_else(|| oid.to_string())
    }
}

/// Relations a delta mentions (the far end of a foreign key) that are not
/// in its snapshots, so their names must be looked up.
pub fn unnamed_relations(delta: &Delta, before: &Snapshot, after: &Snapshot) -> Vec<u32> {
    let known: BTreeSet<u32> = before
        .relations
        .iter()
        .chain(&after.relations)
        .map(|r| r.rel_oid)
        .collect();
    let fks = delta
        .relationships
        .added
        .iter()
        .chain(&delta.relationships.removed)
        .chain(delta.relationships.changed.iter().map(|(_, b)| b));
    let mut wanted: Vec<u32> = fks
        .flat_map(|f| [f.from_rel_oid, f.to_rel_oid])
        .filter(|oid| !known.contains(oid))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    wanted
}

/// Change-log rows describing `delta`, which took the cache from `before`
/// to `after`; `others` names relations outside the snapshots.
pub fn rows_for(
    delta: &Delta,
    before: &Snapshot,
    after: &Snapshot,
    others: &[RelationRow],
    origin: Origin,
) -> Vec<ChangeRow> {
    if origin == Origin::Discovery {
        return discovery_rows(delta);
    }
    let rels = Relations::new(before, after, others);
    let mut rows = Vec::new();
    schema_rows(&delta.schemas, &mut rows);
    relation_rows(delta, &rels, &mut rows);
    structure_rows(delta, &rels, &mut rows);
    relationship_rows(delta, &rels, &mut rows);
    enum_rows(delta, &mut rows);
    if origin == Origin::Refresh && !rows.is_empty() {
        let found: Vec<Value> = rows
            .iter()
            .take(MAX_LISTED_DIFFERENCES)
            .map(|r| {
                json!({"action": r.action, "object_type": r.object_type,
                            "object": r.object_identity, "details": r.details})
            })
            .collect();
        let details = json!({"differences": delta.summary(), "changes": found,
                             "changes_total": rows.len()});
        return vec![ChangeRow::unattached("refreshed", "database", details)];
    }
    rows
}

/// One `refreshed` row listing the row estimates a data refresh moved, if
/// any moved.
pub fn data_refresh_row(
    changes: &[crate::knowledge::cache::RowEstimateChange],
    after: &Snapshot,
) -> Option<ChangeRow> {
    if changes.is_empty() {
        return None;
    }
    let names = Relations::new(after, after, &[]);
    let listed: Vec<Value> = changes
        .iter()
        .take(MAX_LISTED_DIFFERENCES)
        .map(|c| json!({"relation": names.identity(c.rel_oid), "row_estimate": {"from": c.from, "to": c.to}}))
        .collect();
    let details = json!({"row_estimates": listed, "relations_changed": changes.len()});
    Some(ChangeRow::unattached("refreshed", "data", details))
}

/// A refresh lists at most this many of the differences it repaired.
const MAX_LISTED_DIFFERENCES: usize = 1000;

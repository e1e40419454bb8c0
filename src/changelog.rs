//! Turning a delta into change-log rows, and writing them with NOTIFY.
//!
//! The vocabulary keeps the seed's actions (`discovered_schema`,
//! `discovered_table`, `updated_table_structure`,
//! `updated_table_relationships`) and adds `created_*`, `renamed_*`,
//! `dropped_*`, `comment_changed`, `privileges_changed` and `refreshed`.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{json, Value};

use crate::diff::{changed_fields, Delta, RowDelta, Snapshot};
use crate::rows::{quote_ident, CacheRow, RelationRow, SchemaRow};

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

/// Rows for a delta found during first discovery: one per schema and
/// relation.  A database with no relation yet logs nothing: that is also
/// how pg_restore starts (the extension first, then the objects, then the
/// dumped change log, whose row ids must stay free).
fn discovery_rows(delta: &Delta) -> Vec<ChangeRow> {
    if delta.relations.added.is_empty() && delta.enums.added.is_empty() {
        return Vec::new();
    }
    let mut rows: Vec<ChangeRow> = delta
        .schemas
        .added
        .iter()
        .map(|s| ChangeRow::for_schema("discovered_schema", s, json!({})))
        .collect();
    rows.extend(
        delta.relations.added.iter().map(|r| {
            ChangeRow::for_relation("discovered_table".into(), r, json!({"kind": r.kind}))
        }),
    );
    rows.extend(delta.enums.added.iter().map(|e| ChangeRow {
        action: "discovered_type".into(),
        object_type: "type".into(),
        schema_name: Some(e.schema_name.clone()),
        object_name: Some(e.type_name.clone()),
        object_identity: Some(e.identity(&|o| o.to_string())),
        rel_oid: None,
        schema_oid: Some(e.schema_oid),
        details: json!({"labels": e.labels}),
    }));
    rows
}

fn schema_rows(delta: &RowDelta<SchemaRow>, out: &mut Vec<ChangeRow>) {
    out.extend(
        delta
            .added
            .iter()
            .map(|s| ChangeRow::for_schema("created_schema", s, json!({}))),
    );
    out.extend(
        delta
            .removed
            .iter()
            .map(|s| ChangeRow::for_schema("dropped_schema", s, json!({}))),
    );
    for (a, b) in &delta.changed {
        if a.schema_name != b.schema_name {
            let details = json!({"from": a.schema_name, "to": b.schema_name});
            out.push(ChangeRow::for_schema("renamed_schema", b, details));
        }
        if a.comment != b.comment {
            let details = json!({"from": a.comment, "to": b.comment});
            out.push(ChangeRow::for_schema("comment_changed", b, details));
        }
        let other = field_changes(a, b, &["schema_name", "comment"]);
        if !other.is_empty() {
            out.push(ChangeRow::for_schema(
                "altered_schema",
                b,
                Value::Object(other),
            ));
        }
    }
}

fn relation_rows(delta: &Delta, rels: &Relations, out: &mut Vec<ChangeRow>) {
    for r in &delta.relations.added {
        let columns: Vec<&str> = delta
            .columns
            .added
            .iter()
            .filter(|c| c.rel_oid == r.rel_oid)
            .map(|c| c.column_name.as_str())
            .collect();
        let references: Vec<Value> = delta
            .relationships
            .added
            .iter()
            .filter(|f| f.from_rel_oid == r.rel_oid)
            .map(|f| {
                json!({"constraint": f.constraint_name, "columns": f.from_columns,
                            "references": rels.identity(f.to_rel_oid), "to_columns": f.to_columns})
            })
            .collect();
        let mut details = json!({"kind": r.kind, "columns": columns, "relationships": references});
        if let Some(parent) = r.parent_oid {
            details["partition_of"] = json!(rels.identity(parent));
        }
        out.push(ChangeRow::for_relation(
            format!("created_{}", kind_word(&r.kind)),
            r,
            details,
        ));
    }
    for r in &delta.relations.removed {
        let details = json!({"kind": r.kind});
        out.push(ChangeRow::for_relation(
            format!("dropped_{}", kind_word(&r.kind)),
            r,
            details,
        ));
    }
    for (a, b) in &delta.relations.changed {
        if a.rel_name != b.rel_name || a.schema_oid != b.schema_oid {
            let details = json!({"from": a.identity(&|o| o.to_string()),
                                 "to": b.identity(&|o| o.to_string())});
            out.push(ChangeRow::for_relation(
                format!("renamed_{}", kind_word(&b.kind)),
                b,
                details,
            ));
        }
        if a.comment != b.comment {
            let details = json!({"from": a.comment, "to": b.comment});
            out.push(ChangeRow::for_relation(
                "comment_changed".into(),
                b,
                details,
            ));
        }
        let skip = [
            "rel_name",
            "schema_oid",
            "schema_name",
            "comment",
            "parent_oid",
        ];
        let mut other = field_changes(a, b, &skip);
        if a.parent_oid != b.parent_oid {
            let name = |oid: Option<u32>| oid.map(|o| rels.identity(o));
            let change = json!({"from": name(a.parent_oid), "to": name(b.parent_oid)});
            other.insert("partition_of".into(), change);
        }
        if !other.is_empty() {
            let details = json!({"relation": Value::Object(other)});
            out.push(ChangeRow::for_relation(
                "updated_table_structure".into(),
                b,
                details,
            ));
        }
    }
}

/// Added / dropped / changed entries of one per-relation table, by relation.
fn structure_by_relation<T: CacheRow>(
    delta: &RowDelta<T>,
    name: impl Fn(&T) -> String,
    rel_of: impl Fn(&T) -> u32,
    skip: &[&str],
    out: &mut BTreeMap<u32, serde_json::Map<String, Value>>,
    section: &str,
) {
    let mut push = |rel: u32, kind: &str, entry: Value| {
        let part = out
            .entry(rel)
            .or_default()
            .entry(section.to_string())
            .or_insert_with(|| json!({}));
        if let Some(list) = part.as_object_mut().and_then(|m| {
            m.entry(kind.to_string())
                .or_insert_with(|| json!([]))
                .as_array_mut()
        }) {
            list.push(entry);
        }
    };
    for row in &delta.added {
        push(rel_of(row), "added", json!(name(row)));
    }
    for row in &delta.removed {
        push(rel_of(row), "dropped", json!(name(row)));
    }
    for (a, b) in &delta.changed {
        let fields = field_changes(a, b, skip);
        if name(a) != name(b) {
            push(
                rel_of(b),
                "renamed",
                json!({"from": name(a), "to": name(b)}),
            );
        }
        if !fields.is_empty() {
            push(
                rel_of(b),
                "changed",
                json!({"name": name(b), "changes": fields}),
            );
        }
    }
}

fn structure_rows(delta: &Delta, rels: &Relations, out: &mut Vec<ChangeRow>) {
    let created_or_dropped: BTreeSet<u32> = delta
        .relations
        .added
        .iter()
        .chain(&delta.relations.removed)
        .map(|r| r.rel_oid)
        .collect();
    let mut by_rel: BTreeMap<u32, serde_json::Map<String, Value>> = BTreeMap::new();
    let mut column_comments = RowDelta::default();
    let mut columns = RowDelta::default();
    columns.added = delta.columns.added.clone();
    columns.removed = delta.columns.removed.clone();
    for (a, b) in &delta.columns.changed {
        let fields = changed_fields(a, b);
        if fields.iter().all(|f| f == "comment") {
            column_comments.changed.push((a.clone(), b.clone()));
        } else {
            columns.changed.push((a.clone(), b.clone()));
        }
    }
    let skip_column = ["column_name", "comment", "type_oid"];
    structure_by_relation(
        &columns,
        |c| c.column_name.clone(),
        |c| c.rel_oid,
        &skip_column,
        &mut by_rel,
        "columns",
    );
    structure_by_relation(
        &delta.constraints,
        |k| k.constraint_name.clone(),
        |k| k.rel_oid,
        &["constraint_name"],
        &mut by_rel,
        "constraints",
    );
    // An index's definition embeds its table's name; every other change to
    // an index shows in its other fields, so a rename is not reported twice.
    structure_by_relation(
        &delta.indexes,
        |i| i.index_name.clone(),
        |i| i.rel_oid,
        &["index_name", "definition"],
        &mut by_rel,
        "indexes",
    );
    // Same for a trigger's definition, which embeds its own and its table's names.
    structure_by_relation(
        &delta.triggers,
        |t| t.trigger_name.clone(),
        |t| t.rel_oid,
        &["trigger_name", "definition"],
        &mut by_rel,
        "triggers",
    );
    structure_by_relation(
        &delta.policies,
        |p| p.policy_name.clone(),
        |p| p.rel_oid,
        &["policy_name"],
        &mut by_rel,
        "policies",
    );
    by_rel.retain(|rel_oid, _| !created_or_dropped.contains(rel_oid));
    rows_per_relation("updated_table_structure", by_rel, rels, out);
    for (a, b) in &column_comments.changed {
        if let Some(rel) = rels.get(b.rel_oid) {
            let details = json!({"column": b.column_name, "from": a.comment, "to": b.comment});
            let mut row = ChangeRow::for_relation("comment_changed".into(), rel, details);
            row.object_type = "column".into();
            row.object_identity = Some(format!(
                "{}.{}",
                rels.identity(b.rel_oid),
                quote_ident(&b.column_name)
            ));
            out.push(row);
        }
    }
}

fn relationship_rows(delta: &Delta, rels: &Relations, out: &mut Vec<ChangeRow>) {
    let created: BTreeSet<u32> = delta.relations.added.iter().map(|r| r.rel_oid).collect();
    let dropped: BTreeSet<u32> = delta.relations.removed.iter().map(|r| r.rel_oid).collect();
    let mut by_rel: BTreeMap<u32, serde_json::Map<String, Value>> = BTreeMap::new();
    let describe = |f: &crate::rows::RelationshipRow| {
        json!({"constraint": f.constraint_name, "columns": f.from_columns,
               "references": rels.identity(f.to_rel_oid), "to_columns": f.to_columns,
               "one_to_one": f.one_to_one})
    };
    let mut push = |rel: u32, kind: &str, entry: Value| {
        let list = by_rel
            .entry(rel)
            .or_default()
            .entry(kind.to_string())
            .or_insert_with(|| json!([]));
        if let Some(items) = list.as_array_mut() {
            items.push(entry);
        }
    };
    for f in &delta.relationships.added {
        if !created.contains(&f.from_rel_oid) {
            push(f.from_rel_oid, "added", describe(f));
        }
    }
    for f in &delta.relationships.removed {
        if !dropped.contains(&f.from_rel_oid) {
            push(f.from_rel_oid, "removed", describe(f));
        }
    }
    for (a, b) in &delta.relationships.changed {
        let mut entry = describe(b);
        entry["changes"] = Value::Object(field_changes(a, b, &[]));
        push(b.from_rel_oid, "changed", entry);
    }
    rows_per_relation("updated_table_relationships", by_rel, rels, out);
}

/// One row with `action` per relation that has gathered details.
fn rows_per_relation(
    action: &str,
    by_rel: BTreeMap<u32, serde_json::Map<String, Value>>,
    rels: &Relations,
    out: &mut Vec<ChangeRow>,
) {
    for (rel_oid, details) in by_rel {
        if let Some(rel) = rels.get(rel_oid) {
            out.push(ChangeRow::for_relation(
                action.into(),
                rel,
                Value::Object(details),
            ));
        }
    }
}

fn enum_rows(delta: &Delta, out: &mut Vec<ChangeRow>) {
    let row = |action: &str, e: &crate::rows::EnumRow, details: Value| ChangeRow {
        action: action.to_string(),
        object_type: "type".into(),
        schema_name: Some(e.schema_name.clone()),
        object_name: Some(e.type_name.clone()),
        object_identity: Some(e.identity(&|o| o.to_string())),
        rel_oid: None,
        schema_oid: Some(e.schema_oid),
        details,
    };
    out.extend(
        delta
            .enums
            .added
            .iter()
            .map(|e| row("created_type", e, json!({"labels": e.labels}))),
    );
    out.extend(
        delta
            .enums
            .removed
            .iter()
            .map(|e| row("dropped_type", e, json!({}))),
    );
    for (a, b) in &delta.enums.changed {
        if a.type_name != b.type_name || a.schema_oid != b.schema_oid {
            let details = json!({"from": a.identity(&|o| o.to_string()), "to": b.identity(&|o| o.to_string())});
            out.push(row("renamed_type", b, details));
        }
        if a.comment != b.comment {
            out.push(row(
                "comment_changed",
                b,
                json!({"from": a.comment, "to": b.comment}),
            ));
        }
        let other = field_changes(a, b, &["type_name", "schema_oid", "schema_name", "comment"]);
        if !other.is_empty() {
            out.push(row("altered_type", b, Value::Object(other)));
        }
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
    changes: &[crate::cache::RowEstimateChange],
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

const INSERT_SQL: &str = include_str!("../sql/events/record_changes.sql");
const STATEMENT_SQL: &str = "\
    INSERT INTO planner_meta.change_statements (txid, statement_md5, statement) \
    SELECT txid_current(), md5(q), q FROM (SELECT current_query() AS q) s WHERE q IS NOT NULL \
    ON CONFLICT DO NOTHING";

/// Writes the rows (and, if enabled, the statement text) and notifies
/// listeners; NOTIFY is delivered only if the transaction commits.
pub fn write(rows: &[ChangeRow], command_tag: Option<&str>) -> crate::error::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let notify = crate::guc::NOTIFY.get();
    crate::spi::execute_kept(
        INSERT_SQL,
        &[
            pgrx::JsonB(serde_json::to_value(rows)?).into(),
            crate::roles::acting_role().into(),
            command_tag.into(),
            notify.into(),
        ],
    )?;
    if crate::guc::LOG_STATEMENTS.get() {
        crate::spi::execute_kept(STATEMENT_SQL, &[])?;
    }
    Ok(())
}

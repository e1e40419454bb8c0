//! Change rows about what is inside a relation: columns, constraints,
//! indexes, triggers and policies (`updated_table_structure`) and foreign
//! keys (`updated_table_relationships`), one row per relation.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::{field_changes, ChangeRow, Relations};
use crate::knowledge::rows::{quote_ident, CacheRow};
use crate::tracking::diff::{changed_fields, Delta, RowDelta};

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

pub(super) fn structure_rows(delta: &Delta, rels: &Relations, out: &mut Vec<ChangeRow>) {
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

pub(super) fn relationship_rows(delta: &Delta, rels: &Relations, out: &mut Vec<ChangeRow>) {
    let created: BTreeSet<u32> = delta.relations.added.iter().map(|r| r.rel_oid).collect();
    let dropped: BTreeSet<u32> = delta.relations.removed.iter().map(|r| r.rel_oid).collect();
    let mut by_rel: BTreeMap<u32, serde_json::Map<String, Value>> = BTreeMap::new();
    let describe = |f: &crate::knowledge::rows::RelationshipRow| {
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

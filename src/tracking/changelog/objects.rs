//! Change rows about whole objects: schemas, relations (created, dropped,
//! renamed, moved, commented) and enum types; and the first discovery.

use serde_json::{json, Value};

use super::{field_changes, kind_word, ChangeRow, Relations};
use crate::knowledge::rows::{CacheRow, SchemaRow};
use crate::tracking::diff::{Delta, RowDelta};

/// Rows for a delta found during first discovery: one per schema and
/// relation.  A database with no relation yet logs nothing: that is also
/// how pg_restore starts (the extension first, then the objects, then the
/// dumped change log, whose row ids must stay free).
pub(super) fn discovery_rows(delta: &Delta) -> Vec<ChangeRow> {
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

pub(super) fn schema_rows(delta: &RowDelta<SchemaRow>, out: &mut Vec<ChangeRow>) {
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

pub(super) fn relation_rows(delta: &Delta, rels: &Relations, out: &mut Vec<ChangeRow>) {
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

pub(super) fn enum_rows(delta: &Delta, out: &mut Vec<ChangeRow>) {
    let row = |action: &str, e: &crate::knowledge::rows::EnumRow, details: Value| ChangeRow {
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

//! The values and synonyms the retrieved relations bring: linked values
//! of visible columns, in the order knowledge.sql gives them, and every
//! synonym.

use std::collections::{BTreeMap, HashSet};

use crate::error::PlannerError;
use crate::knowledge::scan::{collate_cmp, Key, Table};
use crate::knowledge::visibility::Visibility;
use crate::planning::model::{ColumnInfo, Synonym, ValueInfo};

use super::relations::Relation;

/// One row of link_values a reader may see, with its place for ordering.
struct SeenValue {
    rel: usize,
    attnum: i16,
    source: String,
    first_stem: String,
    value: String,
}

fn source_rank(source: &str) -> usize {
    ["pg_stats", "value index", "enum"]
        .iter()
        .position(|s| *s == source)
        .unwrap_or(usize::MAX)
}

/// The linked values of visible columns: those from statistics and enum
/// labels, and of the value index those whose first stem the question has
/// and the first three of each column to show as examples.
pub(super) fn values(
    rels: &[Relation],
    columns: &[BTreeMap<i16, ColumnInfo>],
    stems: &HashSet<&str>,
    vis: &mut Visibility,
) -> Result<Vec<ValueInfo>, PlannerError> {
    let table = Table::open("link_values")?;
    let (attnum, source, first_stem, value) = (
        table.column("attnum")?,
        table.column("source")?,
        table.column("first_stem")?,
        table.column("value")?,
    );
    let mut seen = Vec::new();
    for (i, r) in rels.iter().enumerate() {
        table.scan_index(
            "link_values_rel_oid_attnum_idx",
            &[Key::Oid(1, r.oid)],
            |row| {
                let (Some(n), Some(src), Some(stem), Some(v)) = (
                    row.int2(attnum),
                    row.text(source),
                    row.text(first_stem),
                    row.text(value),
                ) else {
                    return Ok(true);
                };
                let readable = if src == "enum" {
                    vis.column(r.oid, n)
                } else {
                    vis.column_values(r.oid, n)
                };
                if readable && columns[i].contains_key(&n) {
                    seen.push(SeenValue {
                        rel: i,
                        attnum: n,
                        source: src,
                        first_stem: stem,
                        value: v,
                    });
                }
                Ok(true)
            },
        )?;
    }
    seen.sort_by(|a, b| {
        (a.rel, a.attnum, &a.source)
            .cmp(&(b.rel, b.attnum, &b.source))
            .then_with(|| collate_cmp(&a.value, &b.value))
    });
    let mut shown = Vec::new();
    let mut nth = 0;
    for (i, v) in seen.iter().enumerate() {
        let same_group = i > 0 && {
            let p = &seen[i - 1];
            (p.rel, p.attnum, &p.source) == (v.rel, v.attnum, &v.source)
        };
        nth = if same_group { nth + 1 } else { 1 };
        if v.source != "value index" || stems.contains(v.first_stem.as_str()) || nth <= 3 {
            shown.push(v);
        }
    }
    shown.sort_by(|a, b| {
        (
            source_rank(&a.source),
            &rels[a.rel].schema,
            &rels[a.rel].name,
            a.attnum,
        )
            .cmp(&(
                source_rank(&b.source),
                &rels[b.rel].schema,
                &rels[b.rel].name,
                b.attnum,
            ))
            .then_with(|| collate_cmp(&a.value, &b.value))
    });
    Ok(shown
        .into_iter()
        .map(|v| ValueInfo {
            schema: rels[v.rel].schema.clone(),
            table: rels[v.rel].name.clone(),
            column: columns[v.rel][&v.attnum].name.clone(),
            value: v.value.clone(),
            source: v.source.clone(),
        })
        .collect())
}

/// Every synonym: they are few and written by users.
pub(super) fn synonyms() -> Result<Vec<Synonym>, PlannerError> {
    let table = Table::open("synonyms")?;
    let (term, schema, rel, column, value) = (
        table.column("term")?,
        table.column("schema_name")?,
        table.column("table_name")?,
        table.column("column_name")?,
        table.column("value")?,
    );
    let mut out = Vec::new();
    table.scan_all(|row| {
        if let Some(t) = row.text(term) {
            out.push(Synonym {
                term: t,
                schema: row.name(schema),
                table: row.name(rel),
                column: row.name(column),
                value: row.text(value),
            });
        }
        Ok(true)
    })?;
    Ok(out)
}

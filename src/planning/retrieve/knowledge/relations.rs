//! The retrieved relations as the caller may see them: the relations
//! themselves with their partitions folded under them, their columns,
//! primary keys and the foreign keys between them.

use std::collections::{BTreeMap, HashMap};

use pgrx::pg_sys::Oid;

use crate::error::PlannerError;
use crate::knowledge::scan::{Key, Row, Table};
use crate::knowledge::visibility::Visibility;
use crate::planning::model::{ColumnInfo, ForeignKey};

/// A visible relation of the scope, or a visible partition of one (then
/// named as its parent, the table questions are planned against).
pub(super) struct Relation {
    pub(super) oid: Oid,
    pub(super) schema_oid: Oid,
    pub(super) schema: String,
    pub(super) name: String,
    pub(super) kind: String,
    pub(super) comment: Option<String>,
}

struct RelationColumns {
    rel_oid: usize,
    schema_oid: usize,
    schema: usize,
    name: usize,
    kind: usize,
    comment: usize,
    parent: usize,
}

fn relation_columns(t: &Table) -> Result<RelationColumns, PlannerError> {
    Ok(RelationColumns {
        rel_oid: t.column("rel_oid")?,
        schema_oid: t.column("schema_oid")?,
        schema: t.column("schema_name")?,
        name: t.column("rel_name")?,
        kind: t.column("kind")?,
        comment: t.column("comment")?,
        parent: t.column("parent_oid")?,
    })
}

fn relation_of(row: &Row, c: &RelationColumns) -> Option<Relation> {
    Some(Relation {
        oid: row.oid(c.rel_oid)?,
        schema_oid: row.oid(c.schema_oid)?,
        schema: row.name(c.schema)?,
        name: row.name(c.name)?,
        kind: row.text(c.kind)?,
        comment: row.text(c.comment),
    })
}

/// The visible relations of `scope` that are no partition, and the visible
/// partitions of those, by oid, each under the relation it belongs to.
pub(super) fn relations(
    scope: &[u32],
    vis: &mut Visibility,
) -> Result<(Vec<Relation>, HashMap<Oid, usize>), PlannerError> {
    let table = Table::open("cache_relations")?;
    let c = relation_columns(&table)?;
    let mut rels = Vec::new();
    for &oid in scope {
        table.scan_index(
            "cache_relations_pkey",
            &[Key::Oid(1, Oid::from(oid))],
            |row| {
                if row.oid(c.parent).is_none() {
                    if let Some(r) = relation_of(row, &c) {
                        if vis.schema(r.schema_oid) && vis.relation(r.oid) {
                            rels.push(r);
                        }
                    }
                }
                Ok(true)
            },
        )?;
    }
    rels.sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
    let mut members: HashMap<Oid, usize> =
        rels.iter().enumerate().map(|(i, r)| (r.oid, i)).collect();
    for (i, parent) in rels.iter().enumerate() {
        table.scan_index(
            "cache_relations_parent_oid_idx",
            &[Key::Oid(1, parent.oid)],
            |row| {
                if let Some(p) = relation_of(row, &c) {
                    if vis.schema(p.schema_oid) && vis.relation(p.oid) {
                        members.insert(p.oid, i);
                    }
                }
                Ok(true)
            },
        )?;
    }
    Ok((rels, members))
}

/// The visible columns of each relation in attnum order, by attnum.
pub(super) fn columns(
    rels: &[Relation],
    vis: &mut Visibility,
) -> Result<Vec<BTreeMap<i16, ColumnInfo>>, PlannerError> {
    let table = Table::open("cache_columns")?;
    let (attnum, name, data_type, not_null, comment) = (
        table.column("attnum")?,
        table.column("column_name")?,
        table.column("data_type")?,
        table.column("not_null")?,
        table.column("comment")?,
    );
    let mut out = Vec::with_capacity(rels.len());
    for r in rels {
        let mut cols = BTreeMap::new();
        table.scan_index("cache_columns_pkey", &[Key::Oid(1, r.oid)], |row| {
            let (Some(n), Some(column), Some(ty)) =
                (row.int2(attnum), row.name(name), row.text(data_type))
            else {
                return Ok(true);
            };
            if vis.column(r.oid, n) {
                let info = ColumnInfo {
                    name: column,
                    data_type: ty,
                    not_null: row.bool(not_null),
                    comment: row.text(comment),
                };
                cols.insert(n, info);
            }
            Ok(true)
        })?;
        out.push(cols);
    }
    Ok(out)
}

pub(super) fn primary_keys(rels: &[Relation]) -> Result<Vec<Vec<String>>, PlannerError> {
    let table = Table::open("cache_constraints")?;
    let (kind, columns) = (table.column("constraint_type")?, table.column("columns")?);
    let mut out = Vec::with_capacity(rels.len());
    for r in rels {
        let mut key = Vec::new();
        table.scan_index(
            "cache_constraints_rel_oid_idx",
            &[Key::Oid(1, r.oid)],
            |row| {
                if row.text(kind).as_deref() == Some("primary_key") {
                    key = row.names(columns);
                    return Ok(false);
                }
                Ok(true)
            },
        )?;
        out.push(key);
    }
    Ok(out)
}

/// Foreign keys between members, folded onto their relations: one per
/// pair of column lists (the first by constraint name), ordered by the
/// referencing table and constraint name.
pub(super) fn foreign_keys(
    rels: &[Relation],
    members: &HashMap<Oid, usize>,
) -> Result<Vec<ForeignKey>, PlannerError> {
    let table = Table::open("cache_relationships")?;
    let (name, from_columns, to_oid, to_columns, one_to_one, temporal) = (
        table.column("constraint_name")?,
        table.column("from_columns")?,
        table.column("to_rel_oid")?,
        table.column("to_columns")?,
        table.column("one_to_one")?,
        table.column("is_temporal")?,
    );
    let mut member_oids: Vec<(Oid, usize)> = members.iter().map(|(&o, &i)| (o, i)).collect();
    member_oids.sort_by_key(|&(o, _)| o.to_u32());
    let mut found: BTreeMap<(usize, Vec<String>, usize, Vec<String>), ForeignKey> = BTreeMap::new();
    for (from_oid, from) in member_oids {
        table.scan_index(
            "cache_relationships_from_rel_oid_idx",
            &[Key::Oid(1, from_oid)],
            |row| {
                let (Some(to), Some(constraint)) = (
                    row.oid(to_oid).and_then(|o| members.get(&o)),
                    row.name(name),
                ) else {
                    return Ok(true);
                };
                let (f, t) = (&rels[from], &rels[*to]);
                let fk = ForeignKey {
                    name: constraint,
                    from_schema: f.schema.clone(),
                    from_table: f.name.clone(),
                    from_columns: row.names(from_columns),
                    to_schema: t.schema.clone(),
                    to_table: t.name.clone(),
                    to_columns: row.names(to_columns),
                    one_to_one: row.bool(one_to_one),
                    is_temporal: row.bool(temporal),
                    inferred: false,
                };
                let pair = (from, fk.from_columns.clone(), *to, fk.to_columns.clone());
                match found.get(&pair) {
                    Some(kept) if kept.name <= fk.name => {}
                    _ => {
                        found.insert(pair, fk);
                    }
                }
                Ok(true)
            },
        )?;
    }
    let mut keys: Vec<ForeignKey> = found.into_values().collect();
    keys.sort_by(|a, b| {
        (&a.from_schema, &a.from_table, &a.name).cmp(&(&b.from_schema, &b.from_table, &b.name))
    });
    Ok(keys)
}

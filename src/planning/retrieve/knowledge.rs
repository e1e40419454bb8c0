//! The knowledge of the retrieved relations, read natively (see
//! `knowledge::scan`) with the caller's privileges: what
//! sql/planner/knowledge.sql reads through the `visible_*` views, row for
//! row and in the same order, without parsing or planning a statement.
//! knowledge.sql stays the reader of whole databases (erd()), and the
//! in-server tests compare the two.

use std::collections::{BTreeMap, HashMap, HashSet};

use pgrx::pg_sys::Oid;

use crate::error::PlannerError;
use crate::knowledge::scan::{collate_cmp, Key, Row, Table};
use crate::knowledge::visibility::Visibility;
use crate::planning::model::{ColumnInfo, ForeignKey, Knowledge, Synonym, TableInfo, ValueInfo};

/// A visible relation of the scope, or a visible partition of one (then
/// named as its parent, the table questions are planned against).
struct Relation {
    oid: Oid,
    schema_oid: Oid,
    schema: String,
    name: String,
    kind: String,
    comment: Option<String>,
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
fn relations(
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
fn columns(
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

fn primary_keys(rels: &[Relation]) -> Result<Vec<Vec<String>>, PlannerError> {
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
fn foreign_keys(
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
fn values(
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
fn synonyms() -> Result<Vec<Synonym>, PlannerError> {
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

/// What plan() may use of the relations `scope`, for the calling role;
/// `stems` are the question's, which pick the value-index entries kept.
pub fn read(scope: &[u32], stems: &[String]) -> Result<Knowledge, PlannerError> {
    let mut vis = Visibility::for_caller();
    let (rels, members) = relations(scope, &mut vis)?;
    let columns = columns(&rels, &mut vis)?;
    let keys = primary_keys(&rels)?;
    let stems: HashSet<&str> = stems.iter().map(String::as_str).collect();
    let values = values(&rels, &columns, &stems, &mut vis)?;
    let foreign_keys = foreign_keys(&rels, &members)?;
    let tables = rels
        .iter()
        .zip(columns)
        .zip(keys)
        .map(|((r, cols), primary_key)| TableInfo {
            schema: r.schema.clone(),
            name: r.name.clone(),
            kind: r.kind.clone(),
            comment: r.comment.clone(),
            primary_key,
            columns: cols.into_values().collect(),
        })
        .collect();
    Ok(Knowledge {
        tables,
        foreign_keys,
        values,
        synonyms: synonyms()?,
    })
}

#[cfg(any(test, feature = "pg_test"))]
#[pgrx::pg_schema]
mod tests {
    use pgrx::prelude::*;

    use crate::planning::model::Knowledge;
    use crate::spi::{oid_array, select_json};

    const SETUP: &str = "
        CREATE ROLE pm_native_reader;
        CREATE SCHEMA shop; CREATE SCHEMA vault;
        CREATE TYPE shop.mood AS ENUM ('happy', 'sad');
        CREATE TABLE shop.customer (id int PRIMARY KEY, name text NOT NULL, secret text,
                                    mood shop.mood);
        COMMENT ON TABLE shop.customer IS 'people who buy';
        COMMENT ON COLUMN shop.customer.name IS 'full name';
        CREATE TABLE shop.orders (id int, customer_id int REFERENCES shop.customer,
                                  placed date, PRIMARY KEY (id, placed)) PARTITION BY RANGE (placed);
        CREATE TABLE shop.orders_2024 PARTITION OF shop.orders
            FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
        CREATE TABLE shop.note (id int, customer_id int REFERENCES shop.customer,
                                also_customer int REFERENCES shop.customer);
        ALTER TABLE shop.note ADD CONSTRAINT a_second_name FOREIGN KEY (customer_id)
            REFERENCES shop.customer;
        CREATE TABLE vault.ledger (id int PRIMARY KEY, customer_id int REFERENCES shop.customer);
        ALTER TABLE shop.orders ENABLE ROW LEVEL SECURITY;
        GRANT USAGE ON SCHEMA shop TO pm_native_reader;
        GRANT SELECT (id, name, mood) ON shop.customer TO pm_native_reader;
        GRANT SELECT ON shop.orders TO pm_native_reader;
        GRANT REFERENCES (id) ON shop.note TO pm_native_reader;
        GRANT SELECT ON vault.ledger TO pm_native_reader;
        INSERT INTO planner_meta.synonyms (term, schema_name, table_name, column_name, value)
        VALUES ('buyer', 'shop', 'customer', NULL, NULL), ('glad', 'shop', 'customer', 'mood', 'happy');";

    /// Value rows as the refreshes write them: five value-index entries of
    /// one column (three are shown, plus the one whose stem is asked),
    /// statistics values of a column the reader may not read, and values
    /// of a table under row-level security.
    const VALUES: &str = "
        INSERT INTO planner_meta.link_values (rel_oid, attnum, source, first_stem, phrase, value)
        SELECT 'shop.customer'::regclass, 2, 'value index', lower(v), lower(v), v
          FROM unnest(ARRAY['Eve', 'bob', 'Dan', 'Carol', 'alice']) AS v
        UNION ALL
        SELECT 'shop.customer'::regclass, 3, 'pg_stats', lower(v), lower(v), v
          FROM unnest(ARRAY['pin', 'code']) AS v
        UNION ALL
        SELECT 'shop.customer'::regclass, 4, 'enum', v, v, v FROM unnest(ARRAY['sad', 'happy']) AS v
        UNION ALL
        SELECT 'shop.orders'::regclass, 3, 'pg_stats', '2024', '2024', '2024-05-01'";

    fn oid_of(name: &str) -> u32 {
        let sql = format!("SELECT '{name}'::regclass::oid");
        let oid = Spi::get_one::<pg_sys::Oid>(&sql)
            .expect("query runs")
            .expect("relation exists");
        u32::from(oid)
    }

    fn through_views(scope: &[u32], stems: &[String]) -> Knowledge {
        let json = select_json(
            super::super::KNOWLEDGE_SQL,
            &[oid_array(Some(scope)), stems.to_vec().into()],
        )
        .expect("knowledge.sql runs");
        serde_json::from_value(json).expect("knowledge.sql gives a knowledge document")
    }

    fn assert_same_as_views(scope: &[u32], stems: &[String]) -> Knowledge {
        let native = super::read(scope, stems).expect("native read runs");
        assert_eq!(
            format!("{native:#?}"),
            format!("{:#?}", through_views(scope, stems))
        );
        native
    }

    #[pg_test]
    fn native_knowledge_read_matches_the_privilege_filtered_views() {
        Spi::run(SETUP).expect("setup runs");
        crate::tracking::pending::flush();
        Spi::run(VALUES).expect("values are written");
        let scope: Vec<u32> = [
            "shop.customer",
            "shop.orders",
            "shop.orders_2024",
            "shop.note",
            "vault.ledger",
        ]
        .iter()
        .map(|n| oid_of(n))
        .collect();
        let stems = vec!["alice".to_string(), "eve".to_string()];
        let owner = assert_same_as_views(&scope, &stems);
        assert_eq!(owner.tables.len(), 4, "partitions fold under their parent");
        // In the collation's order Carol, Dan and Eve are the examples;
        // alice is asked for, and bob neither.
        assert!(
            owner.values.iter().any(|v| v.value == "alice"),
            "an asked value is kept"
        );
        assert!(
            !owner.values.iter().any(|v| v.value == "bob"),
            "a fourth example is not"
        );
        Spi::run("SET ROLE pm_native_reader").expect("role is set");
        let reader = assert_same_as_views(&scope, &stems);
        Spi::run("RESET ROLE").expect("role is reset");
        let names: Vec<&str> = reader.tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            ["customer", "note", "orders"],
            "no schema usage hides vault"
        );
        let customer = &reader.tables[0];
        let columns: Vec<&str> = customer.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            columns,
            ["id", "name", "mood"],
            "ungranted columns stay hidden"
        );
        assert!(
            !reader.values.iter().any(|v| v.table == "orders"),
            "row security hides values"
        );
        assert!(
            reader.values.iter().any(|v| v.value == "happy"),
            "enum labels are shown"
        );
    }
}

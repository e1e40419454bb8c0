//! The whole cache against the whole catalog, compared inside the server.
//! refresh(), verify() and the repair of a stale cache read every row of
//! both sides; carrying all of them through SPI as JSON into Rust cost more
//! than the reading itself (seconds at 10,000 tables).  Here each cache
//! table is joined with its catalog query on the key, and only the rows
//! that differ cross into Rust, with the relation rows they belong to (on
//! both sides, equal where the relation itself did not change) so that
//! change rows and verify() can name them.  The difference found is the
//! one the Rust comparison of the full snapshots would find: rows equal as
//! JSON deserialize to equal rows.

use std::collections::BTreeSet;

use serde::Deserialize;

use crate::error::Result;
use crate::knowledge::catalog::{self, full_scope_sql, Scope};
use crate::knowledge::rows::{CacheRow, RelationRow};
use crate::spi::{oid_array, select_json};
use crate::tracking::diff::Snapshot;

#[derive(Deserialize)]
#[serde(bound = "T: CacheRow")]
struct Differing<T> {
    before: Vec<T>,
    after: Vec<T>,
}

/// The cache table's columns that its catalog query also yields (all but
/// the cache's own `last_updated`), in table order.
const COMPARED_COLUMNS_SQL: &str = "\
    SELECT coalesce(jsonb_agg(pg_catalog.quote_ident(a.attname) ORDER BY a.attnum), '[]'::jsonb) \
      FROM pg_catalog.pg_attribute a \
     WHERE a.attrelid = pg_catalog.to_regclass('planner_meta.' || pg_catalog.quote_ident($1)) \
       AND a.attnum > 0 AND NOT a.attisdropped AND a.attname <> 'last_updated'";

/// Rows of `T` whose cached and catalog versions differ, as (cache,
/// catalog) JSON arrays.  Keys are never NULL, so a NULL key marks the
/// missing side of the outer join.  The sides are compared as record text
/// of the same columns, which is several times cheaper than building jsonb
/// for every row; equal text means equal values, and a pair that differs
/// only in spelling (never seen: both sides have the same types) would
/// cross into Rust, where the typed comparison drops it.  Both steps are
/// materialized: inlined, the catalog side's functions ran twice and the
/// jsonb was built for every row before the text test.
fn differing_sql<T: CacheRow>(columns: &[String]) -> String {
    let on: Vec<String> = T::KEY_COLUMNS
        .iter()
        .map(|c| format!("c.{c} = k.{c}"))
        .collect();
    let record = |alias: &str| {
        let fields: Vec<String> = columns.iter().map(|c| format!("{alias}.{c}")).collect();
        format!("ROW({})::text", fields.join(", "))
    };
    let key = T::KEY_COLUMNS[0];
    format!(
        "WITH c AS MATERIALIZED ({rows}\n), \
              d AS MATERIALIZED (SELECT CASE WHEN k.{key} IS NOT NULL THEN to_jsonb(k) - 'last_updated' END AS before, \
                           CASE WHEN c.{key} IS NOT NULL THEN to_jsonb(c) END AS after \
                      FROM c FULL JOIN planner_meta.{table} k ON {on} \
                     WHERE k.{key} IS NULL OR c.{key} IS NULL OR {cached} <> {current}) \
         SELECT jsonb_build_object( \
             'before', coalesce(jsonb_agg(d.before) FILTER (WHERE d.before IS NOT NULL), '[]'::jsonb), \
             'after', coalesce(jsonb_agg(d.after) FILTER (WHERE d.after IS NOT NULL), '[]'::jsonb)) \
           FROM d WHERE d.before IS DISTINCT FROM d.after",
        rows = full_scope_sql(&T::catalog_rows_sql()),
        table = T::TABLE,
        on = on.join(" AND "),
        cached = record("k"),
        current = record("c"),
    )
}

fn differing_rows<T: CacheRow>(before: &mut Vec<T>, after: &mut Vec<T>) -> Result<()> {
    let columns: Vec<String> =
        serde_json::from_value(select_json(COMPARED_COLUMNS_SQL, &[T::TABLE.into()])?)?;
    let json = select_json(&differing_sql::<T>(&columns), &[oid_array(None)])?;
    let found: Differing<T> = serde_json::from_value(json)?;
    *before = found.before;
    *after = found.after;
    Ok(())
}

/// The relations the rows of a snapshot belong to.
fn relations_of(snapshot: &Snapshot, into: &mut BTreeSet<u32>) {
    fn add<T: CacheRow>(rows: &[T], into: &mut BTreeSet<u32>) {
        into.extend(rows.iter().flat_map(CacheRow::relations));
    }
    add(&snapshot.columns, into);
    add(&snapshot.constraints, into);
    add(&snapshot.relationships, into);
    add(&snapshot.indexes, into);
    add(&snapshot.triggers, into);
    add(&snapshot.policies, into);
}

/// What differs between cache and catalog over the whole database, as a
/// (cache, catalog) pair of partial snapshots: the differing rows and the
/// relations they belong to.
pub fn differing() -> Result<(Snapshot, Snapshot)> {
    let (mut cache, mut current) = (Snapshot::default(), Snapshot::default());
    differing_rows(&mut cache.schemas, &mut current.schemas)?;
    differing_rows(&mut cache.relations, &mut current.relations)?;
    differing_rows(&mut cache.columns, &mut current.columns)?;
    differing_rows(&mut cache.constraints, &mut current.constraints)?;
    differing_rows(&mut cache.relationships, &mut current.relationships)?;
    differing_rows(&mut cache.indexes, &mut current.indexes)?;
    differing_rows(&mut cache.triggers, &mut current.triggers)?;
    differing_rows(&mut cache.policies, &mut current.policies)?;
    differing_rows(&mut cache.enums, &mut current.enums)?;
    let mut wanted = BTreeSet::new();
    relations_of(&cache, &mut wanted);
    relations_of(&current, &mut wanted);
    for r in cache.relations.iter().chain(&current.relations) {
        wanted.remove(&r.rel_oid);
    }
    if !wanted.is_empty() {
        let scope = Scope {
            relations: Some(wanted.into_iter().collect()),
            ..Scope::default()
        };
        cache
            .relations
            .extend(crate::knowledge::cache::read::<RelationRow>(&scope)?);
        current
            .relations
            .extend(catalog::read::<RelationRow>(&scope)?);
    }
    Ok((cache, current))
}

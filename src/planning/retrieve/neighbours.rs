//! The join neighbourhood of the candidate relations, for the join tree,
//! read natively (see `knowledge::scan`) through the caller's privileges:
//! relations within a few foreign keys of a candidate (either direction),
//! and relations a key convention joins them to where no key is declared:
//! a column with a candidate's key-like column name (paperid), named after
//! a candidate (customer_id, customerid, customer), or a table a
//! candidate's key-like column is named after.

use std::collections::{BTreeSet, HashSet};

use pgrx::pg_sys::Oid;

use super::lookup::Schemas;
use crate::error::PlannerError;
use crate::knowledge::scan::{Key, Table};
use crate::knowledge::visibility::Visibility;

/// Relations found per key-like column name, and per name a key-like
/// column is named after.
const PER_COLUMN_NAME: usize = 21;
const PER_TABLE_NAME: usize = 5;

/// A column phrase that reads as a key: a word ending in "id" or "code"
/// ("customer id", "paperid", "zip code"), and the word it names.
fn key_like(phrase: &str) -> Option<&str> {
    ["id", "code"].iter().find_map(|suffix| {
        let stem = phrase.strip_suffix(suffix)?;
        (!stem.is_empty()).then(|| stem.strip_suffix(' ').unwrap_or(stem))
    })
}

/// Whether a foreign key's two ends are visible (`visible_relationships`).
fn ends_visible(
    schemas: &mut Schemas,
    vis: &mut Visibility,
    ends: [Oid; 2],
) -> Result<bool, PlannerError> {
    for rel in ends {
        if !schemas.term_visible(vis, rel, 0)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Relations up to `depth` foreign keys away, nearest first, at most
/// `limit`.
fn reach(
    candidates: &[u32],
    depth: usize,
    limit: usize,
    schemas: &mut Schemas,
    vis: &mut Visibility,
) -> Result<Vec<Oid>, PlannerError> {
    let table = Table::open("cache_relationships")?;
    let (from_col, to_col) = (table.column("from_rel_oid")?, table.column("to_rel_oid")?);
    let mut order: Vec<Oid> = candidates.iter().map(|&c| Oid::from(c)).collect();
    let mut level = order.clone();
    let mut seen: HashSet<(Oid, usize)> = level.iter().map(|&r| (r, 0)).collect();
    for d in 1..=depth {
        let mut next = Vec::new();
        for &rel in &level {
            let mut around = BTreeSet::new();
            for (index, other) in [
                ("cache_relationships_from_rel_oid_idx", to_col),
                ("cache_relationships_to_rel_oid_idx", from_col),
            ] {
                let mut ends = Vec::new();
                table.scan_index(index, &[Key::Oid(1, rel)], |row| {
                    ends.extend(row.oid(other));
                    Ok(true)
                })?;
                for end in ends {
                    if ends_visible(schemas, vis, [rel, end])? {
                        around.insert(end.to_u32());
                    }
                }
            }
            for end in around.into_iter().map(Oid::from) {
                if seen.insert((end, d)) {
                    next.push(end);
                }
            }
        }
        order.extend(&next);
        level = next;
    }
    order.truncate(limit);
    Ok(order)
}

/// The candidates' visible name phrases: (attnum, phrase).
fn own_names(
    candidates: &[u32],
    schemas: &mut Schemas,
    vis: &mut Visibility,
    terms: &Table,
) -> Result<Vec<(i16, String)>, PlannerError> {
    let (attnum, kind, phrase) = (
        terms.column("attnum")?,
        terms.column("kind")?,
        terms.column("phrase")?,
    );
    let mut out = Vec::new();
    for &c in candidates {
        let rel = Oid::from(c);
        let mut rows = Vec::new();
        terms.scan_index("link_terms_rel_oid_idx", &[Key::Oid(1, rel)], |row| {
            if row.text(kind).as_deref() == Some("n") {
                if let (Some(n), Some(p)) = (row.int2(attnum), row.text(phrase)) {
                    rows.push((n, p));
                }
            }
            Ok(true)
        })?;
        for (n, p) in rows {
            if schemas.term_visible(vis, rel, n)? {
                out.push((n, p));
            }
        }
    }
    Ok(out)
}

/// Visible relations with a name term `phrase`, on a relation itself or
/// on one of its columns, at most `cap`.
fn bearing(
    phrase: &str,
    on_relation: bool,
    cap: usize,
    schemas: &mut Schemas,
    vis: &mut Visibility,
    terms: &Table,
) -> Result<Vec<Oid>, PlannerError> {
    let (rel_oid, attnum) = (terms.column("rel_oid")?, terms.column("attnum")?);
    let keys = [
        Key::Text(1, phrase),
        Key::Text(2, "n"),
        Key::Bool(3, on_relation),
    ];
    let mut out = Vec::new();
    terms.scan_index("link_terms_phrase_kind_expr_idx", &keys, |row| {
        let (Some(rel), Some(n)) = (row.oid(rel_oid), row.int2(attnum)) else {
            return Ok(true);
        };
        if schemas.term_visible(vis, rel, n)? {
            out.push(rel);
        }
        Ok(out.len() < cap)
    })?;
    Ok(out)
}

/// Relations the naming conventions join to the candidates, at most
/// `limit` of each kind.
fn by_convention(
    candidates: &[u32],
    limit: usize,
    schemas: &mut Schemas,
    vis: &mut Visibility,
) -> Result<Vec<Oid>, PlannerError> {
    let terms = Table::open("link_terms")?;
    let names = own_names(candidates, schemas, vis, &terms)?;
    let mut key_phrases = BTreeSet::new();
    let mut named_after = BTreeSet::new();
    for (attnum, phrase) in &names {
        if *attnum == 0 {
            key_phrases.extend([
                phrase.clone(),
                format!("{phrase} id"),
                format!("{phrase}id"),
            ]);
        } else if let Some(named) = key_like(phrase) {
            key_phrases.insert(phrase.clone());
            named_after.insert(named.to_string());
        }
    }
    let mut by_column = Vec::new();
    for phrase in &key_phrases {
        by_column.extend(bearing(
            phrase,
            false,
            PER_COLUMN_NAME,
            schemas,
            vis,
            &terms,
        )?);
    }
    by_column.truncate(limit);
    let mut by_table = Vec::new();
    for phrase in &named_after {
        by_table.extend(bearing(phrase, true, PER_TABLE_NAME, schemas, vis, &terms)?);
    }
    by_table.truncate(limit);
    by_column.extend(by_table);
    Ok(by_column)
}

/// The neighbourhood of `candidates`: at most `limit` relations, those
/// reached by foreign keys first.
pub(super) fn read(
    candidates: &[u32],
    depth: usize,
    limit: usize,
) -> Result<Vec<u32>, PlannerError> {
    let mut vis = Visibility::for_caller();
    let mut schemas = Schemas::open()?;
    let mut found = reach(candidates, depth, limit, &mut schemas, &mut vis)?;
    found.extend(by_convention(candidates, limit, &mut schemas, &mut vis)?);
    let mut seen = HashSet::new();
    Ok(found
        .into_iter()
        .map(|o| o.to_u32())
        .filter(|o| seen.insert(*o))
        .take(limit)
        .collect())
}

#[cfg(test)]
mod key_names {
    use super::key_like;

    #[test]
    fn key_like_column_names_name_what_they_key() {
        assert_eq!(key_like("customer id"), Some("customer"));
        assert_eq!(key_like("paperid"), Some("paper"));
        assert_eq!(key_like("zip code"), Some("zip"));
        assert_eq!(key_like("id"), None);
        assert_eq!(key_like("name"), None);
    }
}

#[cfg(any(test, feature = "pg_test"))]
#[pgrx::pg_schema]
mod tests {
    use pgrx::prelude::*;

    use crate::spi::{oid_array, select_json};

    /// The same read as one SQL statement over the privilege-filtered
    /// views: the oracle the native read is checked against.
    const NEIGHBOURS_SQL: &str = include_str!("../../../sql/planner/neighbours.sql");

    /// A chain of keys (a -> b -> c -> d), a table only naming its key
    /// after a candidate (paper.paperid, cite.paper_id), a table named
    /// after a candidate's key-like column (author for writes.author_id),
    /// and a key into a schema the reader may not use.
    const SETUP: &str = "
        CREATE ROLE pm_neighbour_reader;
        CREATE SCHEMA lab; CREATE SCHEMA closed;
        CREATE TABLE lab.a (id int PRIMARY KEY);
        CREATE TABLE lab.b (id int PRIMARY KEY, a_id int REFERENCES lab.a);
        CREATE TABLE lab.c (id int PRIMARY KEY, b_id int REFERENCES lab.b);
        CREATE TABLE lab.d (id int PRIMARY KEY, c_id int REFERENCES lab.c);
        CREATE TABLE lab.paper (paperid int PRIMARY KEY, title text);
        CREATE TABLE lab.cite (paper_id int, cited int);
        CREATE TABLE lab.author (id int PRIMARY KEY, name text);
        CREATE TABLE lab.writes (author_id int, paperid int);
        CREATE TABLE closed.audit (id int PRIMARY KEY, a_id int REFERENCES lab.a);
        GRANT USAGE ON SCHEMA lab TO pm_neighbour_reader;
        GRANT SELECT ON ALL TABLES IN SCHEMA lab TO pm_neighbour_reader;
        GRANT SELECT ON closed.audit TO pm_neighbour_reader;";

    fn oids(names: &[&str]) -> Vec<u32> {
        names
            .iter()
            .map(|n| {
                let sql = format!("SELECT '{n}'::regclass::oid");
                u32::from(
                    Spi::get_one::<pg_sys::Oid>(&sql)
                        .expect("runs")
                        .expect("exists"),
                )
            })
            .collect()
    }

    fn assert_same_as_views(candidates: &[u32]) -> Vec<u32> {
        let mut native = super::read(candidates, 2, 100).expect("native read runs");
        let json = select_json(
            NEIGHBOURS_SQL,
            &[oid_array(Some(candidates)), 2.into(), 100.into()],
        )
        .expect("neighbours.sql runs");
        let mut by_sql: Vec<u32> = serde_json::from_value(json).expect("a list of oids");
        native.sort_unstable();
        by_sql.sort_unstable();
        assert_eq!(native, by_sql);
        native
    }

    #[pg_test]
    fn native_neighbourhood_matches_the_privilege_filtered_views() {
        Spi::run(SETUP).expect("setup runs");
        crate::tracking::pending::flush();
        let candidates = oids(&["lab.a", "lab.paper", "lab.writes"]);
        let owner = assert_same_as_views(&candidates);
        let expected = oids(&["lab.b", "lab.c", "lab.cite", "lab.author", "closed.audit"]);
        for rel in &expected {
            assert!(owner.contains(rel), "{rel} is in the neighbourhood");
        }
        assert!(
            !owner.contains(&oids(&["lab.d"])[0]),
            "three keys away is too far"
        );
        Spi::run("SET ROLE pm_neighbour_reader").expect("role is set");
        let reader = assert_same_as_views(&candidates);
        Spi::run("RESET ROLE").expect("role is reset");
        assert!(
            !reader.contains(&oids(&["closed.audit"])[0]),
            "no usage, no neighbour"
        );
    }
}

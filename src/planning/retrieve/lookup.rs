//! What a question's words find in the linking index, read natively (see
//! `knowledge::scan`): the dictionary's phrases its keys reach, the
//! objects the caller may see that bear those phrases, the relations of
//! values with one of its stems and of the synonyms whose words it has.
//! The same reads as sql/planner/retrieve.sql, with no statement to plan.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ffi::CString;

use pgrx::pg_sys::{self, Oid};

use super::{Found, Term};
use crate::error::PlannerError;
use crate::knowledge::scan::{Key, Table};
use crate::knowledge::visibility::Visibility;
use crate::planning::text::content_stems;

/// Per kind of term and whether it names a relation: at most this many
/// visible objects per phrase.  A name shared by more tables than the cap
/// is common, and then only counts on tables found otherwise (the count of
/// a capped phrase is the cap).
const TERM_CAPS: [(&str, bool, usize); 6] = [
    ("n", true, 201),
    ("n", false, 21),
    ("s", true, 201),
    ("s", false, 201),
    ("c", true, 21),
    ("c", false, 21),
];
/// Relations found per value stem.
const VALUE_RELATIONS_PER_STEM: usize = 50;

/// The schema of each cached relation, read once per lookup.
pub(super) struct Schemas {
    table: Table,
    schema_oid: usize,
    known: HashMap<Oid, Option<Oid>>,
}

impl Schemas {
    pub(super) fn open() -> Result<Schemas, PlannerError> {
        let table = Table::open("cache_relations")?;
        Ok(Schemas {
            schema_oid: table.column("schema_oid")?,
            table,
            known: HashMap::new(),
        })
    }

    fn schema_of(&mut self, rel: Oid) -> Result<Option<Oid>, PlannerError> {
        if let Some(&known) = self.known.get(&rel) {
            return Ok(known);
        }
        let mut schema = None;
        let column = self.schema_oid;
        self.table
            .scan_index("cache_relations_pkey", &[Key::Oid(1, rel)], |row| {
                schema = row.oid(column);
                Ok(false)
            })?;
        self.known.insert(rel, schema);
        Ok(schema)
    }

    /// A term of `rel` is visible as its relation or column is
    /// (`visible_link_terms`).
    pub(super) fn term_visible(
        &mut self,
        vis: &mut Visibility,
        rel: Oid,
        attnum: i16,
    ) -> Result<bool, PlannerError> {
        let Some(schema) = self.schema_of(rel)? else {
            return Ok(false);
        };
        Ok(vis.schema(schema)
            && if attnum == 0 {
                vis.relation(rel)
            } else {
                vis.column(rel, attnum)
            })
    }

    /// A value of `rel` is visible where pg_stats would show it, an enum
    /// label with its column (`visible_link_values`).
    fn value_visible(
        &mut self,
        vis: &mut Visibility,
        rel: Oid,
        attnum: i16,
        source: &str,
    ) -> Result<bool, PlannerError> {
        let Some(schema) = self.schema_of(rel)? else {
            return Ok(false);
        };
        Ok(vis.schema(schema)
            && if source == "enum" {
                vis.column(rel, attnum)
            } else {
                vis.column_values(rel, attnum)
            })
    }
}

/// The phrases of the dictionary that `keys` reach, whoever may see their
/// objects: the caller learns of an object only through the visible terms
/// the phrases lead to.  Read by the GIN index on the keys, each row
/// tested again (the index may return rows that do not match).
pub(super) fn reached_phrases(keys: &[String]) -> Result<Vec<String>, PlannerError> {
    let table = Table::open("link_phrases")?;
    let (phrase, phrase_keys) = (table.column("phrase")?, table.column("keys")?);
    let wanted: HashSet<&str> = keys.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    table.scan_bitmap("link_phrases_keys_idx", &[Key::Overlaps(1, keys)], |row| {
        if row
            .texts(phrase_keys)
            .iter()
            .any(|k| wanted.contains(k.as_str()))
        {
            out.extend(row.text(phrase));
        }
        Ok(true)
    })?;
    Ok(out)
}

fn terms(
    phrases: &BTreeSet<&str>,
    schemas: &mut Schemas,
    vis: &mut Visibility,
) -> Result<Vec<Term>, PlannerError> {
    let table = Table::open("link_terms")?;
    let (rel_oid, attnum) = (table.column("rel_oid")?, table.column("attnum")?);
    let mut out = Vec::new();
    for &phrase in phrases {
        for (kind, on_relation, cap) in TERM_CAPS {
            let keys = [
                Key::Text(1, phrase),
                Key::Text(2, kind),
                Key::Bool(3, on_relation),
            ];
            let mut taken = 0;
            table.scan_index("link_terms_phrase_kind_expr_idx", &keys, |row| {
                let (Some(rel), Some(n)) = (row.oid(rel_oid), row.int2(attnum)) else {
                    return Ok(true);
                };
                if schemas.term_visible(vis, rel, n)? {
                    out.push((rel.to_u32(), n, kind.to_string(), phrase.to_string()));
                    taken += 1;
                }
                Ok(taken < cap)
            })?;
        }
    }
    Ok(out)
}

fn value_relations(
    stems: &[String],
    schemas: &mut Schemas,
    vis: &mut Visibility,
) -> Result<Vec<u32>, PlannerError> {
    let table = Table::open("link_values")?;
    let (rel_oid, attnum, source) = (
        table.column("rel_oid")?,
        table.column("attnum")?,
        table.column("source")?,
    );
    let mut found = BTreeSet::new();
    let distinct: BTreeSet<&str> = stems.iter().map(String::as_str).collect();
    for stem in distinct {
        let mut taken = 0;
        table.scan_index("link_values_first_stem_idx", &[Key::Text(1, stem)], |row| {
            let (Some(rel), Some(n), Some(src)) =
                (row.oid(rel_oid), row.int2(attnum), row.text(source))
            else {
                return Ok(true);
            };
            if schemas.value_visible(vis, rel, n, &src)? {
                found.insert(rel.to_u32());
                taken += 1;
            }
            Ok(taken < VALUE_RELATIONS_PER_STEM)
        })?;
    }
    Ok(found.into_iter().collect())
}

/// The relation a synonym names, by schema and name, if it exists.
fn named_relation(schema: &str, name: &str) -> Option<u32> {
    let (schema, name) = (CString::new(schema).ok()?, CString::new(name).ok()?);
    // SAFETY: catalog lookups by name; both return InvalidOid when absent.
    let oid = unsafe {
        let nsp = pg_sys::get_namespace_oid(schema.as_ptr(), true);
        if nsp == pg_sys::InvalidOid {
            return None;
        }
        pg_sys::get_relname_relid(name.as_ptr(), nsp)
    };
    (oid != pg_sys::InvalidOid).then(|| oid.to_u32())
}

fn synonym_relations(stems: &[String]) -> Result<Vec<u32>, PlannerError> {
    let table = Table::open("synonyms")?;
    let (term, schema, rel) = (
        table.column("term")?,
        table.column("schema_name")?,
        table.column("table_name")?,
    );
    let asked: HashSet<&str> = stems.iter().map(String::as_str).collect();
    let mut found = BTreeSet::new();
    table.scan_all(|row| {
        let (Some(t), Some(s), Some(r)) = (row.text(term), row.name(schema), row.name(rel)) else {
            return Ok(true);
        };
        if content_stems(&t)
            .iter()
            .any(|stem| asked.contains(stem.as_str()))
        {
            found.extend(named_relation(&s, &r));
        }
        Ok(true)
    })?;
    Ok(found.into_iter().collect())
}

/// The visible objects bearing `phrases`, and the relations of values and
/// synonyms the question's `stems` find.
pub(super) fn found(phrases: &[String], stems: &[String]) -> Result<Found, PlannerError> {
    let mut vis = Visibility::for_caller();
    let mut schemas = Schemas::open()?;
    let distinct: BTreeSet<&str> = phrases.iter().map(String::as_str).collect();
    Ok(Found {
        terms: terms(&distinct, &mut schemas, &mut vis)?,
        value_relations: value_relations(stems, &mut schemas, &mut vis)?,
        synonym_relations: synonym_relations(stems)?,
    })
}

#[cfg(any(test, feature = "pg_test"))]
#[pgrx::pg_schema]
mod tests {
    use pgrx::prelude::*;

    use crate::planning::retrieve::Found;
    use crate::spi::select_json;

    /// The same reads as SQL statements over the privilege-filtered views:
    /// the oracle the native reads are checked against.
    const RETRIEVE_SQL: &str = include_str!("../../../sql/planner/retrieve.sql");
    const PHRASES_SQL: &str = "SELECT coalesce(jsonb_agg(p.phrase), '[]'::jsonb) \
                                 FROM planner_meta.link_phrases p WHERE p.keys && $1::text[]";

    const SETUP: &str = "
        CREATE ROLE pm_lookup_reader;
        CREATE SCHEMA depot; CREATE SCHEMA locked;
        CREATE TABLE depot.warehouse (id int PRIMARY KEY, name text, city text, secret_code text);
        COMMENT ON TABLE depot.warehouse IS 'where stock is kept';
        CREATE TABLE depot.shipment (id int PRIMARY KEY, warehouse_id int REFERENCES depot.warehouse,
                                     status text);
        CREATE TABLE locked.warehouse_audit (id int PRIMARY KEY, name text);
        DO $$ BEGIN FOR i IN 1..25 LOOP
            EXECUTE format('CREATE TABLE depot.%I (id int, name text)', 'bin' || i);
        END LOOP; END $$;
        GRANT USAGE ON SCHEMA depot TO pm_lookup_reader;
        GRANT SELECT (id, name, city) ON depot.warehouse TO pm_lookup_reader;
        GRANT SELECT ON depot.shipment TO pm_lookup_reader;
        GRANT SELECT ON ALL TABLES IN SCHEMA locked TO pm_lookup_reader;
        INSERT INTO planner_meta.synonyms (term, schema_name, table_name)
        VALUES ('depots', 'depot', 'warehouse'), ('parcel', 'depot', 'shipment');";

    const VALUES: &str = "
        INSERT INTO planner_meta.link_values (rel_oid, attnum, source, first_stem, phrase, value)
        VALUES ('depot.warehouse'::regclass, 3, 'pg_stats', 'oslo', 'oslo', 'Oslo'),
               ('depot.warehouse'::regclass, 4, 'pg_stats', 'oslo', 'oslo', 'OSLO-1'),
               ('depot.shipment'::regclass, 3, 'value index', 'late', 'late', 'late')";

    fn sorted(mut found: Found) -> Found {
        found.terms.sort();
        found.value_relations.sort();
        found.synonym_relations.sort();
        found
    }

    fn assert_same_as_views(keys: &[String], stems: &[String]) -> Found {
        let phrases = super::reached_phrases(keys).expect("native phrases");
        let mut by_sql: Vec<String> = serde_json::from_value(
            crate::as_owner::read_as_owner(|| select_json(PHRASES_SQL, &[keys.to_vec().into()]))
                .expect("phrases SQL runs"),
        )
        .expect("a list of phrases");
        let mut native_phrases = phrases.clone();
        native_phrases.sort();
        by_sql.sort();
        assert_eq!(native_phrases, by_sql);
        assert!(!phrases.is_empty(), "the keys reach phrases");
        let native = sorted(super::found(&phrases, stems).expect("native lookup"));
        let json = select_json(RETRIEVE_SQL, &[phrases.into(), stems.to_vec().into()])
            .expect("retrieve.sql runs");
        let through_views = sorted(serde_json::from_value(json).expect("a found document"));
        assert_eq!(format!("{native:?}"), format!("{through_views:?}"));
        native
    }

    #[pg_test]
    fn native_lookup_matches_the_privilege_filtered_views() {
        Spi::run(SETUP).expect("setup runs");
        crate::tracking::pending::flush();
        Spi::run(VALUES).expect("values are written");
        let words = |ws: &[&str]| ws.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        let keys = words(&["warehous", "name", "secret", "code", "stock", "shipment"]);
        let stems = words(&["oslo", "late", "depot", "parcel"]);
        let owner = assert_same_as_views(&keys, &stems);
        let names = owner
            .terms
            .iter()
            .filter(|t| t.3 == "name" && t.1 > 0)
            .count();
        assert_eq!(names, 21, "a column name shared by many tables is capped");
        assert_eq!(owner.synonym_relations.len(), 2);
        Spi::run("SET ROLE pm_lookup_reader").expect("role is set");
        let reader = assert_same_as_views(&keys, &stems);
        Spi::run("RESET ROLE").expect("role is reset");
        assert!(
            !reader.terms.iter().any(|t| t.3.contains("secret")),
            "an ungranted column's name is not found"
        );
        assert!(
            !reader.terms.iter().any(|t| t.3.contains("audit")),
            "nothing of a schema without usage is found"
        );
        assert_eq!(
            reader.value_relations.len(),
            2,
            "readable values find their relations"
        );
    }
}

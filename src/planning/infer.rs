//! Join keys inferred from names, for schemas that declare none.
//!
//! Many real databases (and most exported or legacy ones) have no foreign
//! keys at all, yet name their keys by convention: `paper.paperid`,
//! `course.course_id`, `airport.airport_code`, `restaurant.id` referenced as
//! `restaurant_id`.  Without declared keys the join tree has nothing to walk,
//! so such a schema gets edges inferred from these conventions.  A schema
//! that declares foreign keys gets only the most specific convention on top:
//! a column named exactly after another table (`flights.airline` for
//! `airlines`), when no declared key starts from it.  Inferred edges are
//! marked as such wherever they are shown.

use std::collections::{HashMap, HashSet};

use super::model::{ForeignKey, TableInfo};
use super::morphology::singular;

/// How strongly a table owns a key column name: through its whole name
/// (`instructor.instructor_id`) or only its last word
/// (`course_offering.offering_id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Claim {
    LastWord = 1,
    FullName = 2,
}

/// The table's key column: its single-column primary key, or else the
/// column named after the table (`<name>id`, `<name>_id`, `<name>_code`,
/// singular or plural, or after the last word of the name), or else a
/// first column called `id`.
fn key_column(table: &TableInfo) -> Option<(usize, Claim)> {
    let position = |name: &str| table.columns.iter().position(|c| c.name == name);
    match table.primary_key.as_slice() {
        [only] => return position(only).map(|c| (c, Claim::FullName)),
        [] => {}
        _ => return None,
    }
    let full = table.name.to_lowercase();
    let last = full.rsplit('_').next().unwrap_or(&full).to_string();
    let mut forms = vec![
        (full.clone(), Claim::FullName),
        (singular(&full), Claim::FullName),
    ];
    if last != full {
        forms.push((last.clone(), Claim::LastWord));
        forms.push((singular(&last), Claim::LastWord));
    }
    for (i, column) in table.columns.iter().enumerate() {
        let name = column.name.to_lowercase();
        for (form, claim) in &forms {
            if ["id", "_id", "_code"]
                .iter()
                .any(|suffix| name == format!("{form}{suffix}"))
            {
                return Some((i, *claim));
            }
        }
    }
    match table.columns.first() {
        Some(c) if c.name.eq_ignore_ascii_case("id") => Some((0, Claim::FullName)),
        _ => None,
    }
}

/// Types that can be compared in a join: numbers with numbers, text with text.
fn type_family(data_type: &str) -> &str {
    let base = data_type.split('(').next().unwrap_or(data_type).trim();
    match base {
        "smallint" | "integer" | "bigint" | "numeric" | "real" | "double precision" => "number",
        "text" | "character varying" | "character" | "name" | "citext" => "text",
        other => other,
    }
}

/// Lower-case names of the columns that may refer to `target`'s key
/// `key`: the same name, `<table>_id` / `<table>id` for an `id` key, or,
/// through `suffixes`, the key behind a role prefix (citingpaperid,
/// pre_course_id) when the key is specific enough to name the table.
fn referring_names(
    key: &str,
    target: &TableInfo,
    suffixes: &HashMap<String, Vec<String>>,
) -> Vec<String> {
    let key = key.to_lowercase();
    let full = target.name.to_lowercase();
    if key == "id" {
        return [full.clone(), singular(&full)]
            .iter()
            .flat_map(|form| [format!("{form}_id"), format!("{form}id")])
            .collect();
    }
    let mut names = vec![key.clone()];
    if key.len() >= 5 && key.contains(&singular(&full)) {
        names.extend(suffixes.get(&key).into_iter().flatten().cloned());
    }
    names
}

/// Names of columns named after the target table itself (`airline` or
/// `airlines` for table `airlines`).
fn names_after(target: &TableInfo) -> Vec<String> {
    let name = target.name.to_lowercase();
    let singular = singular(&name);
    if singular == name {
        vec![name]
    } else {
        vec![name, singular]
    }
}

/// Every proper ending of at least five characters of each name, to the
/// names that end so: finds `citingpaperid` from `paperid` without
/// comparing every column with every key.
fn suffix_index<'a>(names: impl Iterator<Item = &'a String>) -> HashMap<String, Vec<String>> {
    let mut index: HashMap<String, Vec<String>> = HashMap::new();
    for name in names {
        for (i, _) in name.char_indices().skip(1) {
            let ending = &name[i..];
            if ending.len() >= 5 {
                index
                    .entry(ending.to_string())
                    .or_default()
                    .push(name.clone());
            }
        }
    }
    index
}

/// Foreign keys inferred from names: (from table, to table, key), given
/// the declared ones.  Columns are found through an index by name, so the
/// cost follows the number of columns, not tables times tables.
pub fn inferred_keys(
    tables: &[TableInfo],
    declared: &[(usize, usize, ForeignKey)],
) -> Vec<(usize, usize, ForeignKey)> {
    let index = NameIndex::new(tables, declared);
    let mut out = Vec::new();
    for (to, key) in index.keys.iter().enumerate() {
        let Some((key_col, claim)) = *key else {
            continue;
        };
        let key_name = &tables[to].columns[key_col].name;
        if index.strongest.get(key_name.as_str()) == Some(&claim) {
            out.extend(index.keys_into(to, key_col));
        }
    }
    out
}

/// What inference looks names up in.
struct NameIndex<'a> {
    tables: &'a [TableInfo],
    /// A schema that declares keys gets only columns named after a table.
    only_named_after: bool,
    /// Columns that a declared key already starts from.
    declared_from: HashSet<(usize, &'a str)>,
    /// Lower-case column name to its (table, column) places.
    by_name: HashMap<String, Vec<(usize, usize)>>,
    suffixes: HashMap<String, Vec<String>>,
    /// Each table's key column and how strongly it claims the name.
    keys: Vec<Option<(usize, Claim)>>,
    /// When several tables own a key name, only the strongest claims count
    /// (instructor, not comment_instructor, owns instructor_id).
    strongest: HashMap<&'a str, Claim>,
}

impl<'a> NameIndex<'a> {
    fn new(tables: &'a [TableInfo], declared: &'a [(usize, usize, ForeignKey)]) -> Self {
        let only_named_after = !declared.is_empty();
        let declared_from = declared
            .iter()
            .flat_map(|(f, _, k)| k.from_columns.iter().map(move |c| (*f, c.as_str())))
            .collect();
        let mut by_name: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (t, table) in tables.iter().enumerate() {
            for (c, column) in table.columns.iter().enumerate() {
                by_name
                    .entry(column.name.to_lowercase())
                    .or_default()
                    .push((t, c));
            }
        }
        let suffixes = if only_named_after {
            HashMap::new()
        } else {
            suffix_index(by_name.keys())
        };
        let keys: Vec<Option<(usize, Claim)>> = tables.iter().map(key_column).collect();
        let mut strongest: HashMap<&str, Claim> = HashMap::new();
        for (t, key) in keys.iter().enumerate() {
            if let Some((c, claim)) = *key {
                let best = strongest
                    .entry(tables[t].columns[c].name.as_str())
                    .or_insert(claim);
                *best = (*best).max(claim);
            }
        }
        NameIndex {
            tables,
            only_named_after,
            declared_from,
            by_name,
            suffixes,
            keys,
            strongest,
        }
    }

    /// The inferred keys into table `to`'s key column `key_col`.
    fn keys_into(&self, to: usize, key_col: usize) -> Vec<(usize, usize, ForeignKey)> {
        let target = &self.tables[to];
        let key_name = &target.columns[key_col].name;
        let names = if self.only_named_after {
            names_after(target)
        } else {
            referring_names(key_name, target, &self.suffixes)
        };
        // In schema order, whatever order the names were found in.
        let mut columns: Vec<(usize, usize)> = names
            .iter()
            .flat_map(|name| self.by_name.get(name).into_iter().flatten().copied())
            .collect();
        columns.sort_unstable();
        columns.dedup();
        let mut out = Vec::new();
        for (from, c) in columns {
            let source = &self.tables[from];
            let column = &source.columns[c];
            if from == to
                || self.declared_from.contains(&(from, column.name.as_str()))
                || type_family(&column.data_type) != type_family(&target.columns[key_col].data_type)
            {
                continue;
            }
            // Two tables keyed by the same name (one-to-one) get one edge.
            if self.keys[from].is_some_and(|(k, _)| source.columns[k].name == column.name)
                && from < to
                && column.name == *key_name
            {
                continue;
            }
            out.push((
                from,
                to,
                inferred_key(source, &column.name, target, key_name),
            ));
        }
        out
    }
}

/// The key from `source.column` to `target.key`, marked as inferred.
fn inferred_key(source: &TableInfo, column: &str, target: &TableInfo, key: &str) -> ForeignKey {
    ForeignKey {
        name: format!(
            "inferred: {}.{} = {}.{}",
            source.name, column, target.name, key
        ),
        from_schema: source.schema.clone(),
        from_table: source.name.clone(),
        from_columns: vec![column.to_string()],
        to_schema: target.schema.clone(),
        to_table: target.name.clone(),
        to_columns: vec![key.to_string()],
        one_to_one: false,
        is_temporal: false,
        inferred: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planning::model::ColumnInfo;

    fn table(name: &str, columns: &[(&str, &str)]) -> TableInfo {
        TableInfo {
            schema: "public".into(),
            name: name.into(),
            kind: "table".into(),
            comment: None,
            primary_key: Vec::new(),
            columns: columns
                .iter()
                .map(|(n, t)| ColumnInfo {
                    name: (*n).into(),
                    data_type: (*t).into(),
                    not_null: false,
                    comment: None,
                })
                .collect(),
        }
    }

    fn edges(tables: &[TableInfo]) -> Vec<String> {
        edges_beside(tables, &[])
    }

    /// Inferred edges as `from.column>to.key`, sorted.
    fn edges_beside(tables: &[TableInfo], declared: &[(usize, usize, ForeignKey)]) -> Vec<String> {
        let mut out: Vec<String> = inferred_keys(tables, declared)
            .into_iter()
            .map(|(_, _, k)| {
                format!(
                    "{}.{}>{}.{}",
                    k.from_table, k.from_columns[0], k.to_table, k.to_columns[0]
                )
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn bridge_tables_and_role_prefixes_join_their_owners() {
        let tables = [
            table("paper", &[("paperid", "integer"), ("title", "text")]),
            table("author", &[("authorid", "integer"), ("authorname", "text")]),
            table("writes", &[("paperid", "integer"), ("authorid", "integer")]),
            table(
                "cite",
                &[("citingpaperid", "integer"), ("citedpaperid", "integer")],
            ),
        ];
        assert_eq!(
            edges(&tables),
            [
                "cite.citedpaperid>paper.paperid",
                "cite.citingpaperid>paper.paperid",
                "writes.authorid>author.authorid",
                "writes.paperid>paper.paperid",
            ]
        );
    }

    #[test]
    fn id_keys_codes_and_the_strongest_owner() {
        let tables = [
            table("restaurant", &[("id", "integer"), ("name", "text")]),
            table(
                "location",
                &[("restaurant_id", "integer"), ("street_name", "text")],
            ),
            table(
                "instructor",
                &[("instructor_id", "integer"), ("name", "text")],
            ),
            table(
                "comment_instructor",
                &[("instructor_id", "integer"), ("score", "integer")],
            ),
            table(
                "course_offering",
                &[("offering_id", "integer"), ("course_id", "integer")],
            ),
            table(
                "offering_instructor",
                &[("offering_id", "integer"), ("instructor_id", "integer")],
            ),
            table("airport", &[("airport_code", "character varying(3)")]),
            table(
                "flight",
                &[("flight_id", "integer"), ("airport_code", "text")],
            ),
        ];
        assert_eq!(
            edges(&tables),
            [
                "comment_instructor.instructor_id>instructor.instructor_id",
                "flight.airport_code>airport.airport_code",
                "location.restaurant_id>restaurant.id",
                "offering_instructor.instructor_id>instructor.instructor_id",
                "offering_instructor.offering_id>course_offering.offering_id",
            ]
        );
    }

    #[test]
    fn declared_keys_leave_only_columns_named_after_a_table() {
        let mut airlines = table("airlines", &[("uid", "integer"), ("airline", "text")]);
        airlines.primary_key = vec!["uid".into()];
        let tables = [
            airlines,
            table("airports", &[("airportcode", "text")]),
            table(
                "flights",
                &[("airline", "integer"), ("airportcode", "text")],
            ),
        ];
        let declared = vec![(
            2,
            1,
            ForeignKey {
                name: "flights_airportcode_fkey".into(),
                from_schema: "public".into(),
                from_table: "flights".into(),
                from_columns: vec!["airportcode".into()],
                to_schema: "public".into(),
                to_table: "airports".into(),
                to_columns: vec!["airportcode".into()],
                one_to_one: false,
                is_temporal: false,
                inferred: false,
            },
        )];
        assert_eq!(
            edges_beside(&tables, &declared),
            ["flights.airline>airlines.uid"]
        );
    }

    #[test]
    fn types_must_be_comparable() {
        let tables = [
            table("city", &[("city_code", "text")]),
            table(
                "airport",
                &[("airport_code", "text"), ("city_code", "integer")],
            ),
        ];
        assert!(edges(&tables).is_empty());
    }
}

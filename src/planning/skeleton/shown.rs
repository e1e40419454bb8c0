//! Which of the asked columns the select list shows: one of the columns
//! a join makes equal, and a filtered column only when the question also
//! asks for it apart from its value.

use std::collections::BTreeSet;

use super::super::joins::{key_pairs, Join, KeyPair};
use super::super::text::identifier_words;
use super::scope::Scope;
use super::select_list::ScoredColumn;
use super::Filter;

/// Words between a column's name and the value it is filtered by ("the
/// city of New York") that still make one condition.
const FILTER_REACH: usize = 3;

/// A filtered column is not shown ("customers in the city of Boston"),
/// unless the question also names it well before the value: "the name,
/// city and country of airports in the city of New York".
pub(super) fn filtered_not_asked(
    scope: &Scope,
    columns: &[ScoredColumn],
    filters: &[Filter],
    k: (usize, usize),
) -> bool {
    let column = scope.column_ref(k.0, k.1);
    let values: Vec<usize> = filters
        .iter()
        .filter(|f| f.column == column)
        .filter_map(|f| f.at)
        .collect();
    let Some(&first_value) = values.iter().min() else {
        return filters.iter().any(|f| f.column == column);
    };
    // Words that name a table ("the customers whose ID"), or another
    // table's column ("the balances of checking accounts"), ask for none
    // of this one.
    let mentions: BTreeSet<usize> = columns
        .iter()
        .find(|(c, _)| *c == k)
        .map(|(_, e)| e.name_positions.clone())
        .unwrap_or_default()
        .into_iter()
        .filter(|&p| {
            !scope.table_words.contains(&p) && scope.mention_owner(p).is_none_or(|o| o == k.0)
        })
        .collect();
    // Mentions as runs of adjacent words, each naming the whole column
    // ("number of hosts"; "address" alone is not email_address).
    let name_words = identifier_words(&scope.model().tables[k.0].columns[k.1].name).len();
    let runs_before: Vec<usize> = mentions
        .iter()
        .copied()
        .filter(|&p| p < first_value && !mentions.contains(&(p + 1)))
        .filter(|&end| (0..name_words).all(|d| end >= d && mentions.contains(&(end - d))))
        .collect();
    let asked_apart = runs_before.len() > 1 && runs_before[0] + FILTER_REACH < first_value;
    !asked_apart
}

/// The columns the join key `pairs` make equal to column `k`, through any
/// chain of joins (course.course_id = section.course_id =
/// takes.course_id).
fn join_equals(pairs: &[KeyPair], k: (usize, usize)) -> BTreeSet<(usize, usize)> {
    let mut equal = BTreeSet::from([k]);
    loop {
        let before = equal.len();
        for (a, b) in pairs {
            if equal.contains(a) || equal.contains(b) {
                equal.extend([*a, *b]);
            }
        }
        if equal.len() == before {
            return equal;
        }
    }
}

/// "the crime rates of counties": a join makes city.county_id equal to
/// county_public_safety.county_id, so showing both shows one value twice;
/// the first asked stays.
pub(super) fn drop_join_twins(scope: &Scope, joins: &[&Join], asked: &mut Vec<(usize, usize)>) {
    let pairs = key_pairs(scope.model(), joins);
    let mut shown_equal: BTreeSet<(usize, usize)> = BTreeSet::new();
    asked.retain(|&k| {
        if shown_equal.contains(&k) {
            return false;
        }
        shown_equal.extend(join_equals(&pairs, k));
        true
    });
}

#[cfg(test)]
mod tests {
    use crate::planning::fixtures::{model_of, shop};
    use crate::planning::plan::{make_plan, DEFAULT_MAX_TABLES};
    use serde_json::json;

    #[test]
    fn a_value_two_joined_columns_share_is_shown_once() {
        let model = model_of(json!({
            "tables": [
                {"schema": "public", "name": "city", "kind": "table", "comment": null,
                 "primary_key": ["city_id"],
                 "columns": [{"name": "city_id", "type": "integer", "comment": null},
                             {"name": "county_id", "type": "integer", "comment": null},
                             {"name": "white", "type": "numeric", "comment": null}]},
                {"schema": "public", "name": "county", "kind": "table", "comment": null,
                 "primary_key": ["county_id"],
                 "columns": [{"name": "county_id", "type": "integer", "comment": null},
                             {"name": "crime_rate", "type": "numeric", "comment": null}]}
            ],
            "foreign_keys": [
                {"name": "city_county_fkey", "from_schema": "public", "from_table": "city",
                 "from_columns": ["county_id"], "to_schema": "public", "to_table": "county",
                 "to_columns": ["county_id"], "one_to_one": false}
            ],
            "values": [], "synonyms": []
        }));
        let plan = make_plan(
            &model,
            "county ids and crime rates of cities with white above 90",
            DEFAULT_MAX_TABLES,
        );
        let ids = plan
            .select
            .iter()
            .filter(|s| s.ends_with(".county_id"))
            .count();
        assert_eq!(ids, 1, "{:?}", plan.select);
        assert!(
            plan.select.iter().any(|s| s == "county.crime_rate"),
            "{:?}",
            plan.select
        );
    }

    #[test]
    fn a_filtered_column_is_shown_when_also_asked_apart() {
        let model = shop();
        let plan = make_plan(
            &model,
            "the name and city of customers in the city of New York",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.select, vec!["customers.name", "customers.city"]);
        let plan = make_plan(
            &model,
            "names of customers in the city of New York",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.select, vec!["customers.name"]);
    }
}

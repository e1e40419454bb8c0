//! Filters: values found in the question, quoted text it says a column
//! contains, comparisons with numbers, years and windows back from today,
//! and comparisons with a column's own average.  A number of rows of
//! another table ("airlines with at least 10 flights") is a `HAVING` count.

use super::super::columns::{is_identifier, is_numeric, is_temporal, single_key};
use super::super::comparisons::ROW_COUNTS;
use super::super::intent::Comparison;
use super::combine::{drop_values_compared, join_alternatives, merge_equalities};
use super::scope::{start_of_run, Scope};
use super::Filter;
use super::{literals, value_codes};
use crate::knowledge::rows::quote_ident;

/// The skeleton's conditions on rows and on groups.
#[derive(Debug, Default)]
pub struct Conditions {
    pub filters: Vec<Filter>,
    pub having: Vec<String>,
    /// What a `HAVING` count is per, when the question does not say.
    pub counted_per: Option<Vec<(usize, usize)>>,
    /// Columns compared with a number: relevant to the SQL.
    pub compared: Vec<(usize, usize)>,
    /// A `HAVING` condition asking that each row be related to every
    /// value of a column it is joined to ("channels playing cartoons by
    /// Ben Jones and by Michael Chang").
    pub related_to_all: Option<String>,
}

/// All conditions of the question, after `filters` (a negation's).
pub fn conditions(scope: &Scope, filters: Vec<Filter>) -> Conditions {
    // A negation a `NOT IN` took does not also negate a value.
    let negation_taken = !filters.is_empty();
    let mut out = Conditions {
        filters,
        ..Conditions::default()
    };
    literals::value_filters(scope, negation_taken, &mut out.filters);
    literals::pattern_filters(scope, &mut out.filters);
    literals::quoted_value_filters(scope, negation_taken, &mut out.filters);
    value_codes::sex_filters(scope, &mut out.filters);
    for cmp in &scope.intent().comparisons {
        comparison(scope, cmp, &mut out);
    }
    drop_values_compared(&mut out.filters);
    above_average_filters(scope, &mut out.filters);
    out.filters = merge_equalities(out.filters);
    join_alternatives(&scope.question().words, &mut out.filters);
    out.related_to_all = related_to_all(scope, &out.filters);
    out
}

/// Values of one column joined by "and" where a row cannot hold both: of
/// a table joined to the one asked about, or after "both".  The rows
/// asked for must then be related to each value; as an `IN` filter, they
/// are related to any.
fn related_to_all(scope: &Scope, filters: &[Filter]) -> Option<String> {
    let words = &scope.question().words;
    let both = words.iter().any(|w| w == "both");
    let values = &scope.cands.links.values;
    values.iter().enumerate().find_map(|(i, a)| {
        let b = values[i + 1..].iter().find(|b| {
            (b.table, b.column) == (a.table, a.column) && b.value != a.value && b.start > a.start
        })?;
        let between = &words[a.start..b.start];
        let joined_by_and =
            between.iter().any(|w| w == "and") && !between.iter().any(|w| w == "or");
        let another_table = scope.tables.first() != Some(&a.table);
        let column = scope.column_ref(a.table, a.column);
        filters
            .iter()
            .find(|f| f.column == column && f.operator == "IN")?;
        let count = values
            .iter()
            .filter(|v| (v.table, v.column) == (a.table, a.column))
            .map(|v| &v.value)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        (joined_by_and && (both || another_table))
            .then(|| format!("count(DISTINCT {column}) = {count}"))
    })
}

/// A comparison with a number: a count of another table's rows, or a
/// filter on the column it is about.
fn comparison(scope: &Scope, cmp: &Comparison, out: &mut Conditions) {
    let counted = counted_table(scope, cmp).filter(|_| !cmp.bare);
    if let Some(keys) = counted.and_then(|c| scope.count_keys(c, cmp.at)) {
        out.having
            .push(format!("count(*) {} {}", cmp.operator, cmp.number));
        out.counted_per.get_or_insert(keys);
        return;
    }
    let column = if cmp.bare {
        if out.filters.iter().any(|f| f.value == cmp.number) {
            return;
        }
        named_before(scope, cmp)
    } else {
        compared_column(scope, cmp)
    };
    let Some((t, c)) = column else {
        return;
    };
    let col = scope.column_ref(t, c);
    let data_type = &scope.model().tables[t].columns[c].data_type;
    let column = if cmp.is_year && is_temporal(data_type) && !data_type.contains("year") {
        format!("EXTRACT(YEAR FROM {col})")
    } else {
        col
    };
    out.compared.push((t, c));
    out.filters.push(Filter {
        column,
        operator: cmp.operator,
        value: cmp.number.clone(),
        literal: cmp.number.clone(),
        source: "question".into(),
        at: Some(cmp.at),
        or_next: false,
    });
}

/// Words between a number and the rows it counts ("more than 2
/// corresponding documents", "more than one kind of device").
const BEFORE_COUNTED: &[&str] = &[
    "corresponding",
    "different",
    "distinct",
    "separate",
    "kind",
    "kinds",
    "of",
];

/// Nouns that count rows of whatever table they are rows of ("more than
/// 2 records", "used more than 2 times").
const ROW_NOUNS: &[&str] = &["times", "records", "entries", "rows", "occasions"];

/// The table whose rows a comparison counts: one named after the number,
/// or, after a noun of rows or "twice", the plan table the question asks
/// no column of before the number (the only table, if one).
fn counted_table(scope: &Scope, cmp: &Comparison) -> Option<usize> {
    let words = &scope.question().words;
    let word = |k: usize| words.get(k).map_or("", String::as_str);
    let noun_at = (cmp.noun_at..words.len())
        .find(|&k| !BEFORE_COUNTED.contains(&word(k)))
        .unwrap_or(cmp.noun_at);
    if let Some(t) = scope.cands.table_named_at(noun_at, scope.tables) {
        return Some(t);
    }
    let of_rows = ROW_NOUNS.contains(&word(noun_at)) || ROW_COUNTS.contains(&word(cmp.at));
    if !of_rows {
        return None;
    }
    match scope.tables {
        [only] => Some(*only),
        tables => tables
            .iter()
            .copied()
            .find(|&t| scope.usable.contains(&t) && scope.asked_before(t, cmp.at).is_empty()),
    }
}

/// The column a comparison is about: linked near the number, else the
/// first of a fitting type.  A year is compared with a column named like
/// one, or a date.
fn compared_column(scope: &Scope, cmp: &Comparison) -> Option<(usize, usize)> {
    let accept: &dyn Fn(&str) -> bool = if cmp.is_year || cmp.within {
        &is_temporal
    } else {
        &is_numeric
    };
    // Unlinked, a number is compared with a measure, not a row's key.
    let first_where = |fits: &dyn Fn(&str, &str) -> bool| {
        scope.tables.iter().find_map(|&t| {
            scope.model().tables[t]
                .columns
                .iter()
                .enumerate()
                .position(|(c, col)| {
                    fits(&col.name, &col.data_type) && !is_identifier(scope.model(), t, c)
                })
                .map(|c| (t, c))
        })
    };
    let linked = scope.column_near(cmp.at, accept);
    let linked = if cmp.is_year {
        year_column_named(scope, cmp)
            .or_else(|| first_where(&|name, _| name.to_lowercase().contains("year")))
            .or(linked)
    } else {
        linked
    };
    linked.or_else(|| first_where(&|_, data_type| accept(data_type)))
}

/// How many words before a year may name the column it is compared with.
const YEAR_COLUMN_REACH: usize = 3;

/// "universities founded before 1850", "injuries after season 2010": a
/// year compared with a column the question names just before it, a
/// number column as well as a date.
fn year_column_named(scope: &Scope, cmp: &Comparison) -> Option<(usize, usize)> {
    (1..=YEAR_COLUMN_REACH.min(cmp.at))
        .find_map(|d| scope.column_named_at(cmp.at - d, |ty| is_numeric(ty) || is_temporal(ty)))
}

/// Words that may stand between a column and the number it equals ("grade
/// 10", "birth year is either 1948", "the year of 2003").
const BEFORE_BARE_NUMBER: &[&str] = &["is", "are", "was", "were", "of", "either", "equal", "to"];

/// The column a bare number equals: one the question names right before
/// it, of a fitting type; a number after "or" or "and" equals the same
/// column as the number before it.
fn named_before(scope: &Scope, cmp: &Comparison) -> Option<(usize, usize)> {
    let words = &scope.question().words;
    let accept = |ty: &str| {
        if cmp.is_year {
            is_temporal(ty) || is_numeric(ty)
        } else {
            is_numeric(ty)
        }
    };
    let mut at = cmp.at;
    while at >= 2
        && matches!(words[at - 1].as_str(), "or" | "and")
        && words[at - 2].parse::<f64>().is_ok()
    {
        at -= 2;
    }
    let gap = start_of_run(words, at, BEFORE_BARE_NUMBER);
    let before = gap.checked_sub(1)?;
    scope
        .column_named_at(before, accept)
        .or_else(|| key_named_at(scope, before, accept))
}

/// How far back from "id" the table it identifies may be named ("the
/// aircraft with id 12").
const ID_REACH: usize = 3;

/// "the aircraft with id 12", "employees in department 70": a number
/// after "id", or after a table's name, is that table's one-column
/// primary key, when no column is named there.
fn key_named_at(scope: &Scope, at: usize, accept: impl Fn(&str) -> bool) -> Option<(usize, usize)> {
    let words = &scope.question().words;
    let named = |k: usize| scope.cands.table_named_at(k, scope.tables);
    let table = if matches!(words[at].as_str(), "id" | "ids") {
        (at.saturating_sub(ID_REACH)..at)
            .rev()
            .find_map(named)
            .or_else(|| scope.tables.first().copied())
    } else {
        named(at)
    }?;
    let c = single_key(scope.model(), table)?;
    let usable = scope.usable.contains(&table);
    (usable && accept(&scope.model().tables[table].columns[c].data_type)).then_some((table, c))
}

/// "above the average age": the column against its own average.
fn above_average_filters(scope: &Scope, filters: &mut Vec<Filter>) {
    for &(operator, at) in &scope.intent().above_average {
        let implied = (at.saturating_sub(3)..at)
            .find_map(|p| scope.implied_attribute(p, true).map(|(k, _)| k));
        let Some((t, c)) = implied.or_else(|| scope.column_near(at, is_numeric)) else {
            continue;
        };
        let average = format!(
            "(SELECT avg({}) FROM {})",
            quote_ident(&scope.model().tables[t].columns[c].name),
            scope.model().qualified(t)
        );
        filters.push(Filter {
            column: scope.column_ref(t, c),
            operator,
            value: "average".into(),
            literal: average,
            source: "question".into(),
            at: Some(at),
            or_next: false,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::planning::fixtures::{assert_sql_contains, cartoons, poker, shop};
    use crate::planning::plan::{make_plan, DEFAULT_MAX_TABLES};

    #[test]
    fn ranges_and_comparisons_with_the_average() {
        let model = shop();
        assert_sql_contains(
            &model,
            "orders with a total between 10 and 20",
            "WHERE orders.total BETWEEN 10 AND 20",
        );
        let plan = make_plan(
            &model,
            "orders with a total above the average",
            DEFAULT_MAX_TABLES,
        );
        assert!(
            plan.sql
                .contains("WHERE orders.total > (SELECT avg(total) FROM public.orders)"),
            "{}",
            plan.sql
        );
        assert!(plan.aggregations.is_empty());
    }

    #[test]
    fn a_comparison_may_name_its_column_before_the_number() {
        let model = poker();
        assert_sql_contains(
            &model,
            "people above height 190",
            "WHERE people.height > 190",
        );
        assert_sql_contains(
            &model,
            "people with 2 or more poker players",
            "HAVING count(*) >= 2",
        );
    }

    #[test]
    fn values_joined_by_and_on_a_joined_table_ask_for_both() {
        let model = cartoons();
        let plan = make_plan(
            &model,
            "series names of channels playing cartoons directed by Ben Jones and by Michael Chang",
            DEFAULT_MAX_TABLES,
        );
        assert!(
            plan.sql
                .contains("WHERE cartoon.directed_by IN ('Ben Jones', 'Michael Chang')"),
            "{}",
            plan.sql
        );
        assert_eq!(plan.group_by, vec!["channel.series_name"]);
        assert_eq!(plan.having, vec!["count(DISTINCT cartoon.directed_by) = 2"]);
        // "or" asks for either.
        let plan = make_plan(
            &model,
            "series names of channels playing cartoons directed by Ben Jones or Michael Chang",
            DEFAULT_MAX_TABLES,
        );
        assert!(plan.having.is_empty(), "{}", plan.sql);
    }

    #[test]
    fn or_equal_comparisons() {
        let model = poker();
        assert_sql_contains(
            &model,
            "people with a height greater than or equal to 180",
            "WHERE people.height >= 180",
        );
    }

    #[test]
    fn bare_numbers_equal_the_column_named_before_them() {
        let model = poker();
        assert_sql_contains(
            &model,
            "names of people whose height is either 180 or 190",
            "WHERE people.height IN (180, 190)",
        );
        // A number after no column is no filter.
        let plan = make_plan(&model, "names of 5 people", DEFAULT_MAX_TABLES);
        assert!(!plan.sql.contains("WHERE"), "{}", plan.sql);
    }

    #[test]
    fn a_number_after_id_or_a_tables_name_is_its_key() {
        let model = crate::planning::fixtures::model_of(serde_json::json!({
            "tables": [
                {"schema": "public", "name": "aircraft", "kind": "table", "comment": null,
                 "primary_key": ["aid"],
                 "columns": [{"name": "aid", "type": "integer", "comment": null},
                             {"name": "name", "type": "text", "comment": null},
                             {"name": "distance", "type": "integer", "comment": null}]}
            ],
            "foreign_keys": [], "values": [], "synonyms": []
        }));
        assert_sql_contains(
            &model,
            "the name and distance of the aircraft with id 12",
            "WHERE aircraft.aid = 12",
        );
        assert_sql_contains(
            &shop(),
            "totals of orders of customer 7",
            "customers.id = 7",
        );
    }

    #[test]
    fn counts_of_rows_after_adjectives_and_of_occasions() {
        let plan = make_plan(
            &shop(),
            "names of customers with more than 2 corresponding orders",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.having, vec!["count(*) > 2"], "{}", plan.sql);
        let events = crate::planning::fixtures::model_of(serde_json::json!({
            "tables": [
                {"schema": "public", "name": "party_events", "kind": "table", "comment": null,
                 "primary_key": ["event_id"],
                 "columns": [{"name": "event_id", "type": "integer", "comment": null},
                             {"name": "event_name", "type": "text", "comment": null}]}
            ],
            "foreign_keys": [], "values": [], "synonyms": []
        }));
        for question in [
            "event names that have more than 2 records",
            "event names used more than twice",
        ] {
            let plan = make_plan(&events, question, DEFAULT_MAX_TABLES);
            assert_eq!(
                plan.group_by,
                vec!["party_events.event_name"],
                "{}",
                plan.sql
            );
            assert_eq!(plan.having, vec!["count(*) > 2"], "{}", plan.sql);
        }
    }

    #[test]
    fn a_year_compares_the_number_column_named_before_it() {
        let model = crate::planning::fixtures::model_of(serde_json::json!({
            "tables": [
                {"schema": "public", "name": "university", "kind": "table", "comment": null,
                 "primary_key": ["school_id"],
                 "columns": [{"name": "school_id", "type": "integer", "comment": null},
                             {"name": "founded", "type": "integer", "comment": null},
                             {"name": "enrollment", "type": "integer", "comment": null}]}
            ],
            "foreign_keys": [], "values": [], "synonyms": []
        }));
        assert_sql_contains(
            &model,
            "average enrollment of universities founded before 1850",
            "WHERE university.founded < 1850",
        );
    }

    #[test]
    fn conditions_joined_by_or_are_alternatives() {
        let model = poker();
        assert_sql_contains(
            &model,
            "names of people with height above 190 or below 160",
            "WHERE people.height > 190 OR people.height < 160",
        );
        // "and" between them keeps both.
        assert_sql_contains(
            &model,
            "names of people with earnings above 150 and below 1000",
            "poker_player.earnings > 150 AND poker_player.earnings < 1000",
        );
    }

    #[test]
    fn a_window_back_from_today_compares_a_date_column() {
        let model = shop();
        assert_sql_contains(
            &model,
            "orders in the last 30 days",
            "WHERE orders.ordered_at >= CURRENT_DATE - INTERVAL '30 days'",
        );
    }
}

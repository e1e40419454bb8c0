//! Filters: values found in the question, quoted text it says a column
//! contains, comparisons with numbers, years and windows back from today,
//! and comparisons with a column's own average.  A number of rows of
//! another table ("airlines with at least 10 flights") is a `HAVING` count.

use super::super::candidates::named_only_by;
use super::super::columns::{
    is_identifier, is_numeric, is_temporal, is_text, name_column, sql_literal,
};
use super::super::intent::{negates, Comparison};
use super::scope::Scope;
use super::Filter;
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
    value_filters(scope, negation_taken, &mut out.filters);
    pattern_filters(scope, &mut out.filters);
    quoted_value_filters(scope, negation_taken, &mut out.filters);
    for cmp in &scope.intent().comparisons {
        comparison(scope, cmp, &mut out);
    }
    above_average_filters(scope, &mut out.filters);
    out.filters = merge_equalities(out.filters);
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

/// Words before a value that exclude it besides the negations ("other
/// than Rock", "except Rock").
const VALUE_EXCLUSIONS: &[&str] = &["except", "excluding", "besides", "other"];
/// How far before a value its negation may stand ("do not have the
/// nationality 'USA'").
const NEGATION_REACH: usize = 4;

/// Whether the words right before the value at `start` negate it; "no"
/// and "without" negate rows of a table, not a value.
fn negated(scope: &Scope, start: usize) -> bool {
    let q = scope.question();
    (start.saturating_sub(NEGATION_REACH)..start).any(|k| {
        let w = q.words[k].as_str();
        let excluding = w != "other" || q.words.get(k + 1).is_some_and(|n| n == "than");
        !matches!(w, "no" | "without") && negates(q, k, VALUE_EXCLUSIONS) && excluding
    })
}

/// Filters from values found in the question.
fn value_filters(scope: &Scope, negation_taken: bool, filters: &mut Vec<Filter>) {
    for v in &scope.cands.links.values {
        if scope.usable.contains(&v.table) && !filters.iter().any(|f| f.value == v.value) {
            let negated = !negation_taken && negated(scope, v.start);
            filters.push(Filter {
                column: scope.column_ref(v.table, v.column),
                operator: if negated { "<>" } else { "=" },
                value: v.value.clone(),
                literal: sql_literal(&v.value),
                source: v.source.clone(),
            });
        }
    }
}

/// "names containing 'Al'", "starting with 'D'", "names that start with
/// the letter D": a text the question says is part of a value becomes a
/// case-insensitive pattern on a text column.
fn pattern_filters(scope: &Scope, filters: &mut Vec<Filter>) {
    let intent = scope.intent();
    let cues = [
        (intent.contains_at, "%", "%"),
        (intent.starts_at, "", "%"),
        (intent.ends_at, "%", ""),
    ];
    for (at, before, after) in cues {
        let Some(at) = at else { continue };
        for text in pattern_texts(scope, at) {
            if filters.iter().any(|f| f.value == text) {
                continue;
            }
            let Some((t, c)) = scope.column_near(at, is_text).or_else(|| named_rows(scope)) else {
                continue;
            };
            let escaped = text
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            filters.push(Filter {
                column: scope.column_ref(t, c),
                operator: "ILIKE",
                value: text,
                literal: sql_literal(&format!("{before}{escaped}{after}")),
                source: "question".into(),
            });
        }
    }
}

/// Words between a column and the quoted value it equals ("active value
/// 'Y'", "the attraction called \"US museum\"").
const BEFORE_QUOTED_VALUE: &[&str] = &[
    "is", "of", "value", "named", "called", "titled", "as", "equal", "equals", "to", "the",
];

/// A quoted text no value of the database matched, right after a column
/// (or after "named" or "called" and a table): that column equals it.
fn quoted_value_filters(scope: &Scope, negation_taken: bool, filters: &mut Vec<Filter>) {
    let q = scope.question();
    for text in &q.quoted {
        if filters.iter().any(|f| f.value == *text) {
            continue;
        }
        let Some(at) = word_position(&q.words, text) else {
            continue;
        };
        let mut gap = at;
        while gap > 0 && BEFORE_QUOTED_VALUE.contains(&q.words[gap - 1].as_str()) {
            gap -= 1;
        }
        let Some(named_at) = gap.checked_sub(1) else {
            continue;
        };
        let called = q.words[gap..at]
            .iter()
            .any(|w| matches!(w.as_str(), "named" | "called" | "titled"));
        let column = column_named_at(scope, named_at, |_| true).or_else(|| {
            let t = scope.cands.table_named_at(named_at, scope.tables)?;
            // "document 'Robin CV'", "the customer called 'Ann'": its rows' name.
            name_column(scope.model(), t)
                .filter(|_| called || gap == at)
                .map(|c| (t, c))
        });
        let Some((t, c)) = column.filter(|(t, _)| scope.usable.contains(t)) else {
            continue;
        };
        let numeric = is_numeric(&scope.model().tables[t].columns[c].data_type);
        let negated = !negation_taken && negated(scope, gap);
        filters.push(Filter {
            column: scope.column_ref(t, c),
            operator: if negated { "<>" } else { "=" },
            value: text.clone(),
            literal: if numeric && text.parse::<f64>().is_ok() {
                text.clone()
            } else {
                sql_literal(text)
            },
            source: "question".into(),
        });
    }
}

/// Where the words of `text` start among the question's words.
fn word_position(words: &[String], text: &str) -> Option<usize> {
    let wanted = crate::planning::text::words(text);
    (!wanted.is_empty())
        .then(|| {
            words
                .windows(wanted.len())
                .position(|w| w == wanted.as_slice())
        })
        .flatten()
}

/// The best linked column of a usable table, of a type `accept` takes,
/// whose name the word at `at` is part of (not one only a table's name
/// matched: customer_id for "the customer").
fn column_named_at(
    scope: &Scope,
    at: usize,
    accept: impl Fn(&str) -> bool,
) -> Option<(usize, usize)> {
    scope
        .cands
        .columns
        .iter()
        .filter(|(&(t, c), e)| {
            scope.usable.contains(&t)
                && accept(&scope.model().tables[t].columns[c].data_type)
                && e.name_positions.contains(&at)
                && !named_only_by(e, &scope.table_words)
        })
        .max_by(|a, b| a.1.score.total_cmp(&b.1.score))
        .map(|(&k, _)| k)
}

/// The texts a pattern cue at `at` is about: the quoted ones, else the
/// letter named after it ("with the letter D", "with a D").
fn pattern_texts(scope: &Scope, at: usize) -> Vec<String> {
    let quoted = &scope.question().quoted;
    if !quoted.is_empty() {
        return quoted.clone();
    }
    let words = &scope.question().words;
    let window = &words[(at + 1).min(words.len())..(at + 5).min(words.len())];
    let is_letter = |w: &str| w.chars().count() == 1 && w.chars().all(char::is_alphabetic);
    let after_letter = window
        .windows(2)
        .find(|pair| pair[0] == "letter" && is_letter(&pair[1]))
        .map(|pair| pair[1].clone());
    // "a" is an article more often than a letter.
    let lone = || window.iter().find(|w| is_letter(w) && *w != "a").cloned();
    after_letter.or_else(lone).into_iter().collect()
}

/// The column naming the rows of the first table, if a text.
fn named_rows(scope: &Scope) -> Option<(usize, usize)> {
    let t = *scope.tables.first()?;
    let c = name_column(scope.model(), t)?;
    is_text(&scope.model().tables[t].columns[c].data_type).then_some((t, c))
}

/// A comparison with a number: a count of another table's rows, or a
/// filter on the column it is about.
fn comparison(scope: &Scope, cmp: &Comparison, out: &mut Conditions) {
    let counted = scope
        .cands
        .table_named_at(cmp.noun_at, scope.tables)
        .filter(|_| !cmp.bare);
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
    });
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
        first_where(&|name, _| name.to_lowercase().contains("year")).or(linked)
    } else {
        linked
    };
    linked.or_else(|| first_where(&|_, data_type| accept(data_type)))
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
    let mut gap = at;
    while gap > 0 && BEFORE_BARE_NUMBER.contains(&words[gap - 1].as_str()) {
        gap -= 1;
    }
    column_named_at(scope, gap.checked_sub(1)?, accept)
}

/// Equalities of one column with several values ("Aberdeen or Abilene",
/// "grade 9 or 10") become one `IN`: a row holds one value at a time.
fn merge_equalities(filters: Vec<Filter>) -> Vec<Filter> {
    let mut out: Vec<Filter> = Vec::new();
    for f in filters {
        let same = out
            .iter_mut()
            .find(|o| o.column == f.column && matches!(o.operator, "=" | "IN"));
        match same {
            Some(o) if f.operator == "=" => {
                let listed = match o.operator {
                    "IN" => &o.literal[1..o.literal.len() - 1],
                    _ => o.literal.as_str(),
                };
                o.literal = format!("({listed}, {})", f.literal);
                o.value = format!("{} or {}", o.value, f.value);
                o.operator = "IN";
            }
            _ => out.push(f),
        }
    }
    out
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
        });
    }
}

#[cfg(test)]
mod tests {
    use super::{merge_equalities, Filter};
    use crate::planning::fixtures::{cartoons, poker, shop};
    use crate::planning::plan::{make_plan, DEFAULT_MAX_TABLES};

    #[test]
    fn ranges_and_comparisons_with_the_average() {
        let model = shop();
        let plan = make_plan(
            &model,
            "orders with a total between 10 and 20",
            DEFAULT_MAX_TABLES,
        );
        assert!(
            plan.sql.contains("WHERE orders.total BETWEEN 10 AND 20"),
            "{}",
            plan.sql
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
        let plan = make_plan(&model, "people above height 190", DEFAULT_MAX_TABLES);
        assert!(
            plan.sql.contains("WHERE people.height > 190"),
            "{}",
            plan.sql
        );
        let plan = make_plan(
            &model,
            "people with 2 or more poker players",
            DEFAULT_MAX_TABLES,
        );
        assert!(plan.sql.contains("HAVING count(*) >= 2"), "{}", plan.sql);
    }

    #[test]
    fn a_quoted_text_after_a_column_equals_it() {
        let model = shop();
        let plan = make_plan(&model, "customers with state 'CA'", DEFAULT_MAX_TABLES);
        assert!(
            plan.sql.contains("WHERE customers.state = 'CA'"),
            "{}",
            plan.sql
        );
        let plan = make_plan(
            &model,
            "orders of the customer called \"Ann Lee\"",
            DEFAULT_MAX_TABLES,
        );
        assert!(
            plan.sql.contains("customers.name = 'Ann Lee'"),
            "{}",
            plan.sql
        );
        // After no column, a quoted text is no filter.
        let plan = make_plan(&model, "'hello' customers", DEFAULT_MAX_TABLES);
        assert!(!plan.sql.contains("WHERE"), "{}", plan.sql);
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
        let plan = make_plan(
            &model,
            "people with a height greater than or equal to 180",
            DEFAULT_MAX_TABLES,
        );
        assert!(
            plan.sql.contains("WHERE people.height >= 180"),
            "{}",
            plan.sql
        );
    }

    #[test]
    fn starting_letters_and_typographic_quotes_become_patterns() {
        let model = shop();
        let plan = make_plan(
            &model,
            "customers whose name starts with the letter D",
            DEFAULT_MAX_TABLES,
        );
        assert!(
            plan.sql.contains("WHERE customers.name ILIKE 'd%'"),
            "{}",
            plan.sql
        );
        let plan = make_plan(
            &model,
            "customers whose name contains \u{2018}ee\u{2019}",
            DEFAULT_MAX_TABLES,
        );
        assert!(
            plan.sql.contains("WHERE customers.name ILIKE '%ee%'"),
            "{}",
            plan.sql
        );
    }

    #[test]
    fn bare_numbers_equal_the_column_named_before_them() {
        let model = poker();
        let plan = make_plan(
            &model,
            "names of people whose height is either 180 or 190",
            DEFAULT_MAX_TABLES,
        );
        assert!(
            plan.sql.contains("WHERE people.height IN (180, 190)"),
            "{}",
            plan.sql
        );
        // A number after no column is no filter.
        let plan = make_plan(&model, "names of 5 people", DEFAULT_MAX_TABLES);
        assert!(!plan.sql.contains("WHERE"), "{}", plan.sql);
    }

    #[test]
    fn negated_values() {
        let model = shop();
        let plan = make_plan(
            &model,
            "customers whose city is not New York",
            DEFAULT_MAX_TABLES,
        );
        assert!(
            plan.sql.contains("WHERE customers.city <> 'New York'"),
            "{}",
            plan.sql
        );
        let plan = make_plan(&model, "customers in New York", DEFAULT_MAX_TABLES);
        assert!(
            plan.sql.contains("WHERE customers.city = 'New York'"),
            "{}",
            plan.sql
        );
    }

    #[test]
    fn equalities_of_one_column_become_one_in() {
        let eq = |column: &str, value: &str| Filter {
            column: column.into(),
            operator: "=",
            value: value.into(),
            literal: format!("'{value}'"),
            source: "question".into(),
        };
        let merged = merge_equalities(vec![
            eq("airports.city", "Aberdeen"),
            eq("airports.country", "UK"),
            eq("airports.city", "Abilene"),
        ]);
        let sql: Vec<String> = merged.iter().map(Filter::sql).collect();
        assert_eq!(
            sql,
            vec![
                "airports.city IN ('Aberdeen', 'Abilene')",
                "airports.country = 'UK'"
            ]
        );
    }

    #[test]
    fn quoted_substrings_become_patterns() {
        let model = shop();
        let plan = make_plan(
            &model,
            "customers whose name contains 'Jo_'",
            DEFAULT_MAX_TABLES,
        );
        assert!(
            plan.sql.contains("WHERE customers.name ILIKE '%Jo\\_%'"),
            "{}",
            plan.sql
        );
    }

    #[test]
    fn a_window_back_from_today_compares_a_date_column() {
        let model = shop();
        let plan = make_plan(&model, "orders in the last 30 days", DEFAULT_MAX_TABLES);
        assert!(
            plan.sql
                .contains("WHERE orders.ordered_at >= CURRENT_DATE - INTERVAL '30 days'"),
            "{}",
            plan.sql
        );
    }
}

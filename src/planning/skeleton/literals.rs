//! Filters on what the question writes out: values of the database it
//! names (negated after "not", "other than", "except"), texts it quotes
//! after a column or a table ("status code 'Confirmed'"), and patterns it
//! asks for ("containing 'Al'", "starting with the letter D").

use std::collections::BTreeSet;

use super::super::columns::{is_numeric, is_text, name_column, sql_literal};
use super::super::intent::negates;
use super::super::link::{Question, ValueHit};
use super::super::text::{is_stopword, words};
use super::scope::{start_of_run, Scope};
use super::Filter;

/// Words before a value that exclude it besides the negations ("other
/// than Rock", "except Rock").
const VALUE_EXCLUSIONS: &[&str] = &["except", "excluding", "besides", "other"];
/// How far before a value its negation may stand ("students who are not
/// living in the city with code HKG"), within one clause.
const NEGATION_REACH: usize = 8;

/// Words that end the clause a negation is in.
const CLAUSE_ENDS: &[&str] = &["and", "or", "but", "who", "which", "that", "whose"];

/// Whether the words right before the value at `start` negate it; "no"
/// and "without" negate rows of a table, not a value.
fn negated(scope: &Scope, start: usize) -> bool {
    let q = scope.question();
    let clause = (start.saturating_sub(NEGATION_REACH)..start)
        .rev()
        .find(|&k| CLAUSE_ENDS.contains(&q.words[k].as_str()))
        .map_or(start.saturating_sub(NEGATION_REACH), |k| k + 1);
    (clause..start).any(|k| {
        let w = q.words[k].as_str();
        let other_than = w != "other" || q.words.get(k + 1).is_some_and(|n| n == "than");
        !matches!(w, "no" | "without") && negates(q, k, VALUE_EXCLUSIONS) && other_than
    })
}

/// Whether the question's words a value matched all name plan tables
/// ("names of nurses" is not `position = 'Nurse'`).
fn names_a_table(scope: &Scope, v: &ValueHit) -> bool {
    let q = scope.question();
    let span = v.start..(v.start + words(&v.value).len()).min(q.words.len());
    let mut content = span.filter(|&k| !is_stopword(&q.words[k])).peekable();
    content.peek().is_some() && content.all(|k| scope.table_words.contains(&k))
}

/// "not allergic to either food or animal": a value of the same column
/// right after a negated one, joined by "or" or "nor", is negated too.
fn coordinated_with_negated(scope: &Scope, filters: &[Filter], column: &str, start: usize) -> bool {
    let question = &scope.question().words;
    filters.iter().any(|f| {
        f.column == column
            && f.operator == "<>"
            && f.at.is_some_and(|at| {
                let between = question.get(at + 1..start).unwrap_or_default();
                between.iter().any(|w| w == "or" || w == "nor")
                    && between.len() <= words(&f.value).len() + 1
            })
    })
}

/// Filters from values found in the question.
pub(super) fn value_filters(scope: &Scope, negation_taken: bool, filters: &mut Vec<Filter>) {
    for v in &scope.cands.links.values {
        if names_a_table(scope, v) {
            continue;
        }
        if scope.usable.contains(&v.table) && !filters.iter().any(|f| f.value == v.value) {
            let column = scope.column_ref(v.table, v.column);
            let negated = !negation_taken
                && (negated(scope, v.start)
                    || coordinated_with_negated(scope, filters, &column, v.start));
            filters.push(Filter {
                column,
                operator: if negated { "<>" } else { "=" },
                value: v.value.clone(),
                literal: sql_literal(&v.value),
                source: v.source.clone(),
                at: Some(v.start),
                or_next: false,
            });
        }
    }
}

/// "names containing 'Al'", "starting with 'D'", "names that start with
/// the letter D": a text the question says is part of a value becomes a
/// case-insensitive pattern on a text column.
pub(super) fn pattern_filters(scope: &Scope, filters: &mut Vec<Filter>) {
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
                at: Some(at),
                or_next: false,
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
pub(super) fn quoted_value_filters(scope: &Scope, negation_taken: bool, filters: &mut Vec<Filter>) {
    let q = scope.question();
    let texts = quoted_and_codes(scope, filters);
    // The column the previous text equals, and the word after it: "type
    // code CV or BK" gives BK the same column.
    let mut previous: Option<((usize, usize), usize)> = None;
    for (at, text, quoted) in texts {
        if filters.iter().any(|f| f.value == text) {
            continue;
        }
        let gap = start_of_run(&q.words, at, BEFORE_QUOTED_VALUE);
        let Some(named_at) = gap.checked_sub(1) else {
            continue;
        };
        let called = q.words[gap..at]
            .iter()
            .any(|w| matches!(w.as_str(), "named" | "called" | "titled"));
        let coordinated = previous
            .filter(|&(_, end)| end + 1 == at && matches!(q.words[end].as_str(), "or" | "and"))
            .map(|(k, _)| k);
        let column = coordinated
            .or_else(|| scope.column_named_at(named_at, |_| true))
            .or_else(|| {
                let t = scope
                    .cands
                    .table_named_at(named_at, scope.tables)
                    .filter(|_| quoted)?;
                // "document 'Robin CV'", "the customer called 'Ann'": its rows' name.
                name_column(scope.model(), t)
                    .filter(|_| called || gap == at)
                    .map(|c| (t, c))
            });
        let Some((t, c)) = column.filter(|(t, _)| scope.usable.contains(t)) else {
            continue;
        };
        previous = Some(((t, c), at + words(&text).len()));
        let numeric = is_numeric(&scope.model().tables[t].columns[c].data_type);
        let negated = !negation_taken && negated(scope, gap);
        filters.push(Filter {
            column: scope.column_ref(t, c),
            operator: if negated { "<>" } else { "=" },
            literal: if numeric && text.parse::<f64>().is_ok() {
                text.clone()
            } else {
                sql_literal(&text)
            },
            value: text,
            source: "question".into(),
            at: Some(at),
            or_next: false,
        });
    }
}

/// The quoted texts and the capitalised codes of the question, in its
/// order, as (position, text, quoted): an unquoted code equals only a
/// column named before it, never a table's name column.
fn quoted_and_codes(scope: &Scope, filters: &[Filter]) -> Vec<(usize, String, bool)> {
    let q = scope.question();
    let mut texts: Vec<(usize, String, bool)> = q
        .quoted
        .iter()
        .filter_map(|t| Some((word_position(&q.words, t)?, t.clone(), true)))
        .chain(
            capitalised_codes(scope, filters)
                .into_iter()
                .map(|(at, t)| (at, t, false)),
        )
        .collect();
    texts.sort();
    texts.dedup_by_key(|(at, _, _)| *at);
    texts
}

/// Codes written in capitals, unquoted ("document type code CV or BK"),
/// with their word positions: two or more characters, a letter among
/// them, not "ID", not inside a quoted text or a value `filters` hold
/// ("IT Staff"; "PPT" padded in a char column), and naming nothing of
/// the schema themselves ("TV" of "TV channel").
fn capitalised_codes(scope: &Scope, filters: &[Filter]) -> Vec<(usize, String)> {
    let q = scope.question();
    let quoted = q
        .quoted
        .iter()
        .filter_map(|t| Some((word_position(&q.words, t)?, t.as_str())));
    let valued = filters.iter().filter_map(|f| Some((f.at?, f.value.trim())));
    let taken: BTreeSet<usize> = quoted
        .chain(valued)
        .flat_map(|(at, text)| at..at + words(text).len())
        .collect();
    let names_something = |k: usize| {
        scope.table_words.contains(&k)
            || scope
                .cands
                .links
                .tables
                .values()
                .any(|e| e.name_positions.contains(&k))
            || scope
                .cands
                .columns
                .values()
                .any(|e| e.name_positions.contains(&k))
    };
    q.written
        .iter()
        .enumerate()
        .filter(|&(k, w)| {
            w.chars().count() >= 2
                && w.chars().any(|c| c.is_ascii_uppercase())
                && w.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                && !matches!(w.as_str(), "ID" | "IDS")
                && !taken.contains(&k)
                && !names_something(k)
        })
        .map(|(k, w)| (k, w.clone()))
        .collect()
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
    after_letter
        .or_else(lone)
        .or_else(|| written_text_after(scope.question(), at))
        .into_iter()
        .collect()
}

/// "addresses containing TN", "post codes starting with 4", "names that
/// have the word International": unquoted, the text is the word right
/// after the cue (and "the word", "with"), when written as a name or a
/// number is.
fn written_text_after(q: &Question, at: usize) -> Option<String> {
    const LEAD_IN: &[&str] = &["the", "word", "with", "from", "string", "phrase"];
    let k = (at + 1..q.words.len()).find(|&k| !LEAD_IN.contains(&q.words[k].as_str()))?;
    let w = q.written.get(k)?;
    let name_like = w.chars().any(char::is_uppercase) || w.chars().all(|c| c.is_ascii_digit());
    name_like.then(|| w.clone())
}

/// The column naming the rows of the first table, if a text.
fn named_rows(scope: &Scope) -> Option<(usize, usize)> {
    let t = *scope.tables.first()?;
    let c = name_column(scope.model(), t)?;
    is_text(&scope.model().tables[t].columns[c].data_type).then_some((t, c))
}

#[cfg(test)]
mod tests {
    use crate::planning::fixtures::{assert_sql_contains, shop};
    use crate::planning::plan::{make_plan, DEFAULT_MAX_TABLES};

    #[test]
    fn an_unquoted_name_after_contains_is_a_pattern() {
        let model = shop();
        assert_sql_contains(
            &model,
            "customers whose name contains AL",
            "WHERE customers.name ILIKE '%AL%'",
        );
        assert_sql_contains(
            &model,
            "products with titles starting with 4",
            "WHERE products.title ILIKE '4%'",
        );
        // A lowercase word after the cue is no text.
        let plan = make_plan(
            &model,
            "customers whose name contains orders",
            DEFAULT_MAX_TABLES,
        );
        assert!(!plan.sql.contains("ILIKE"), "{}", plan.sql);
    }

    #[test]
    fn a_value_spelled_like_a_plan_table_is_no_filter() {
        let model = crate::planning::fixtures::model_of(serde_json::json!({
            "tables": [
                {"schema": "public", "name": "nurse", "kind": "table", "comment": null,
                 "primary_key": ["employeeid"],
                 "columns": [{"name": "employeeid", "type": "integer", "comment": null},
                             {"name": "name", "type": "text", "comment": null},
                             {"name": "position", "type": "text", "comment": null}]}
            ],
            "foreign_keys": [],
            "values": [{"schema": "public", "table": "nurse", "column": "position",
                        "value": "Nurse", "source": "pg_stats"},
                       {"schema": "public", "table": "nurse", "column": "position",
                        "value": "Head Nurse", "source": "pg_stats"}],
            "synonyms": []
        }));
        let plan = make_plan(&model, "names of all nurses", DEFAULT_MAX_TABLES);
        assert!(!plan.sql.contains("WHERE"), "{}", plan.sql);
        assert_sql_contains(
            &model,
            "names of the head nurses",
            "WHERE nurse.position = 'Head Nurse'",
        );
    }

    #[test]
    fn unquoted_capitalised_codes_after_a_column_equal_it() {
        let model = shop();
        assert_sql_contains(
            &model,
            "customers with state CA or TX",
            "WHERE customers.state IN ('CA', 'TX')",
        );
        // Capitals after no column are no filter, nor those inside a
        // quoted text or naming a table.
        let plan = make_plan(&model, "ALL customers", DEFAULT_MAX_TABLES);
        assert!(!plan.sql.contains("WHERE"), "{}", plan.sql);
        let plan = make_plan(
            &model,
            "ORDERS of the customer called 'ANN LEE' in state TX",
            DEFAULT_MAX_TABLES,
        );
        assert!(plan.sql.contains("customers.state = 'TX'"), "{}", plan.sql);
        assert!(!plan.sql.contains("'ANN'"), "{}", plan.sql);
        assert!(!plan.sql.contains("'ORDERS'"), "{}", plan.sql);
    }

    #[test]
    fn a_quoted_text_after_a_column_equals_it() {
        let model = shop();
        assert_sql_contains(
            &model,
            "customers with state 'CA'",
            "WHERE customers.state = 'CA'",
        );
        assert_sql_contains(
            &model,
            "orders of the customer called \"Ann Lee\"",
            "customers.name = 'Ann Lee'",
        );
        // After no column, a quoted text is no filter.
        let plan = make_plan(&model, "'hello' customers", DEFAULT_MAX_TABLES);
        assert!(!plan.sql.contains("WHERE"), "{}", plan.sql);
    }

    #[test]
    fn starting_letters_and_typographic_quotes_become_patterns() {
        let model = shop();
        assert_sql_contains(
            &model,
            "customers whose name starts with the letter D",
            "WHERE customers.name ILIKE 'd%'",
        );
        assert_sql_contains(
            &model,
            "customers whose name contains \u{2018}ee\u{2019}",
            "WHERE customers.name ILIKE '%ee%'",
        );
    }

    #[test]
    fn negated_values() {
        let model = shop();
        assert_sql_contains(
            &model,
            "customers whose city is not New York",
            "WHERE customers.city <> 'New York'",
        );
        assert_sql_contains(
            &model,
            "customers in New York",
            "WHERE customers.city = 'New York'",
        );
        // Further back in the same clause; not across "who".
        assert_sql_contains(
            &model,
            "names of customers that are not living in the city of New York",
            "customers.city <> 'New York'",
        );
        assert_sql_contains(
            &model,
            "customers not placing orders who live in New York",
            "customers.city = 'New York'",
        );
    }

    #[test]
    fn values_coordinated_with_a_negated_one_are_excluded_too() {
        let value = |v: &str| {
            serde_json::json!({"schema": "public", "table": "pets", "column": "kind",
                               "value": v, "source": "pg_stats"})
        };
        let model = crate::planning::fixtures::model_of(serde_json::json!({
            "tables": [
                {"schema": "public", "name": "pets", "kind": "table", "comment": null,
                 "primary_key": ["id"],
                 "columns": [{"name": "id", "type": "integer", "comment": null},
                             {"name": "name", "type": "text", "comment": null},
                             {"name": "kind", "type": "text", "comment": null}]}
            ],
            "foreign_keys": [],
            "values": [value("cat"), value("dog")],
            "synonyms": []
        }));
        assert_sql_contains(
            &model,
            "names of pets that are not cat or dog",
            "WHERE pets.kind NOT IN ('cat', 'dog')",
        );
    }

    #[test]
    fn quoted_substrings_become_patterns() {
        let model = shop();
        assert_sql_contains(
            &model,
            "customers whose name contains 'Jo_'",
            "WHERE customers.name ILIKE '%Jo\\_%'",
        );
    }
}

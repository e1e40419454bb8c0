//! Select items: the columns relevant to the query (linked, grouped per,
//! joined on or filtered), and the list the draft SQL shows: the groups
//! and aggregates, or the columns the question asks for in its order.

use std::collections::{BTreeMap, BTreeSet};

use super::super::candidates::{is_partial, named_only_by};
use super::super::columns::is_identifier;
use super::super::columns::name_column;
use super::super::joins::{key_pairs, Join};
use super::super::link::{Evidence, IMPLIED_BY};
use super::grouping::Grouping;
use super::implied::{asks_everything, asks_which_rows, name_parts, named_next_to_a_table};
use super::scope::{Scope, RELEVANT_SCORE};
use super::shown::{drop_join_twins, filtered_not_asked};
use super::Filter;

/// A column with the evidence that makes it relevant.
pub type ScoredColumn = ((usize, usize), Evidence);

/// Columns of the usable tables that the question links to, that are
/// grouped per, or that the SQL cannot be written without (join keys and
/// filtered columns), best first.
pub fn relevant_columns(
    scope: &Scope,
    grouping: &Grouping,
    joins: &[&Join],
    compared: &[(usize, usize)],
) -> Vec<ScoredColumn> {
    let mut columns = scope.cands.columns.clone();
    for &k in compared {
        let e = columns.entry(k).or_default();
        e.reasons.insert("compared with a number".into());
    }
    let usable = |t: usize| scope.usable.contains(&t);
    let mut cols: Vec<ScoredColumn> = columns
        .iter()
        .filter(|(&(t, _), e)| {
            usable(t) && e.score >= RELEVANT_SCORE
                || usable(t) && !e.reasons.is_empty() && e.score == 0.0
        })
        .map(|(&k, e)| (k, e.clone()))
        .collect();
    for &k in &grouping.keys {
        if !cols.iter().any(|(c, _)| *c == k) {
            let mut e = Evidence::default();
            e.reasons.insert("grouping key".into());
            cols.push((k, e));
        }
    }
    for (k, why) in used_columns(scope, &columns, joins) {
        if let Some((_, e)) = cols.iter_mut().find(|(c, _)| *c == k) {
            e.reasons.insert(why.into());
        } else {
            let mut e = Evidence::default();
            e.reasons.insert(why.into());
            cols.push((k, e));
        }
    }
    cols.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.0.cmp(&b.0)));
    cols
}

/// Join keys and filtered columns, with what they are used for.
fn used_columns(
    scope: &Scope,
    columns: &BTreeMap<(usize, usize), Evidence>,
    joins: &[&Join],
) -> Vec<((usize, usize), &'static str)> {
    let mut used: Vec<((usize, usize), &'static str)> = key_pairs(scope.model(), joins)
        .into_iter()
        .flat_map(|(a, b)| [(a, "join key"), (b, "join key")])
        .collect();
    for (&(t, c), e) in columns {
        if scope.usable.contains(&t)
            && e.reasons
                .iter()
                .any(|r| r.starts_with("compared") || r.starts_with("value"))
        {
            used.push(((t, c), "filter"));
        }
    }
    used
}

/// The select list: groups and aggregates when the query aggregates, else
/// the asked columns, else the rows' names or the whole rows.
pub fn select_items(
    scope: &Scope,
    columns: &[ScoredColumn],
    grouping: &Grouping,
    having: &[String],
    filters: &[Filter],
    order_by: &[String],
    joins: &[&Join],
) -> Vec<String> {
    if !grouping.aggregations.is_empty() || !having.is_empty() {
        let shown_aggregations = if grouping.hidden_count {
            &[][..]
        } else {
            &grouping.aggregations[..]
        };
        return grouping
            .group_by
            .iter()
            .chain(shown_aggregations)
            .cloned()
            .collect();
    }
    if let Some(&t) = scope.tables.first().filter(|_| asks_everything(scope)) {
        return vec![format!("{}.*", scope.model().short(t))];
    }
    let mut asked = asked_columns(scope, columns, order_by);
    drop_join_twins(scope, joins, &mut asked);
    let shown: Vec<String> = asked
        .into_iter()
        .filter(|&k| !filtered_not_asked(scope, columns, filters, k))
        .map(|(t, c)| scope.column_ref(t, c))
        .collect();
    if !shown.is_empty() {
        return shown;
    }
    // Nothing asked by name: the rows' names, or the whole rows.
    scope
        .tables
        .first()
        .map(|&t| match name_column(scope.model(), t) {
            Some(c) => vec![scope.column_ref(t, c)],
            None => vec![format!("{}.*", scope.model().short(t))],
        })
        .unwrap_or_default()
}

/// The columns the question asks for, in the order it asks for them:
/// not the bookkeeping ones, nor those only a table's name matched
/// (singer_id for "singers").
fn asked_columns(
    scope: &Scope,
    columns: &[ScoredColumn],
    order_by: &[String],
) -> Vec<(usize, usize)> {
    // What the SQL needs, and what a measure's adjective implies
    // ("tallest"), is not asked for.
    let bookkeeping = |r: &String| {
        r == "join key" || r == "filter" || r == "grouping key" || r.starts_with(IMPLIED_BY)
    };
    let mut asked: Vec<&ScoredColumn> = columns
        .iter()
        .filter(|(_, e)| !e.reasons.iter().all(bookkeeping))
        .filter(|(_, e)| !named_only_by(e, &scope.table_words))
        .collect();
    // A longer name wins: "song names" asks for song_name, not also for
    // name.
    let spans: Vec<BTreeSet<usize>> = asked
        .iter()
        .map(|(_, e)| e.name_positions.clone())
        .collect();
    asked.retain(|(_, e)| {
        let mine = &e.name_positions;
        mine.is_empty()
            || !spans
                .iter()
                .any(|other| mine.is_subset(other) && other.len() > mine.len())
    });
    // ... and a whole name wins over half of one: "schools" asks for
    // school, not school_id.
    let whole: Vec<BTreeSet<usize>> = asked
        .iter()
        .filter(|(_, e)| !is_partial(e))
        .map(|(_, e)| e.name_positions.clone())
        .collect();
    asked.retain(|(_, e)| !is_partial(e) || !whole.contains(&e.name_positions));
    // Half the name of a key is not a request for it: "the case burden
    // of counties" does not ask for county_id.
    asked.retain(|((t, c), e)| !is_partial(e) || !is_identifier(scope.model(), *t, *c));
    // "the names of scientists who work on projects": a mention whose
    // table the question says, and that table has a column for, is that
    // column's; a column all of whose mentions are others' is not asked.
    let others_mention = |t: usize, p: usize| {
        scope.mention_owner(p).is_some_and(|o| {
            o != t
                && columns
                    .iter()
                    .any(|((ot, _), oe)| *ot == o && oe.name_positions.contains(&p))
        })
    };
    asked.retain(|((t, _), e)| {
        e.name_positions.is_empty() || e.name_positions.iter().any(|&p| !others_mention(*t, p))
    });
    // Columns a phrase implies, inserted below where the phrase stands.
    let mut implied: Vec<_> = name_parts(scope, &asked)
        .into_iter()
        .chain(named_next_to_a_table(scope, &asked))
        .collect();
    drop_order_key(scope, &mut asked, implied.len(), order_by);
    asked.sort_by_key(|(k, e)| (e.first_at.unwrap_or(usize::MAX), *k));
    let mut out: Vec<(usize, usize)> = asked.iter().map(|(k, _)| *k).collect();
    // The last first, so that the earlier places stay put.
    implied.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    for (at, parts) in implied {
        out.retain(|k| !parts.contains(k));
        let before = asked
            .iter()
            .filter(|(k, e)| !parts.contains(k) && e.first_at.is_some_and(|p| p < at))
            .count();
        out.splice(before..before, parts);
    }
    out
}

/// Words that open a clause about the rows rather than what is asked of
/// them ("the university which was founded the earliest").
const CLAUSE_OPENERS: &[&str] = &["that", "which", "who", "whose", "where", "with", "when"];

/// Whether a column the ordering names was also asked for before the
/// cue at `cue`, ahead of any clause about the rows.  A mention another
/// table's name qualifies is that table's column: "the savings balance of
/// the account with the highest checking balance" asks for
/// savings.balance, not checking.balance.
fn asked_before_cue(scope: &Scope, cue: usize, t: usize, e: &Evidence) -> bool {
    let words = &scope.question().words;
    let clause = (1..cue.min(words.len()))
        .find(|&k| CLAUSE_OPENERS.contains(&words[k].as_str()))
        .unwrap_or(cue);
    e.name_positions
        .iter()
        .any(|&p| p < clause && !scope.qualified_by_another_table(p, t))
}

/// "the birth date of the player with the lowest earnings", "names of
/// conductors in descending order of age": the column named by the
/// superlative or the ordering orders the rows; it is not asked for.
fn drop_order_key(
    scope: &Scope,
    asked: &mut Vec<&ScoredColumn>,
    implied: usize,
    order_by: &[String],
) {
    /// How many words after the cue may name the key.
    const KEY_REACH: usize = 3;
    let order_key = order_by
        .first()
        .and_then(|o| o.rsplit_once(' '))
        .map(|(key, _)| key.to_string());
    let intent = scope.intent();
    // SELECT DISTINCT can only be ordered by what it shows.
    if intent.distinct {
        return;
    }
    // After an explicit ordering, whatever follows it is about the order.
    let (cue, reach) = match (intent.superlative, intent.order) {
        (Some((_, at)), _) => (at + 1, KEY_REACH),
        (None, Some((_, at))) => (at, usize::MAX),
        (None, None) => return,
    };
    let Some(key) = order_key else {
        return;
    };
    // A superlative's key may also come right before it ("founded the
    // earliest").
    let before = if intent.superlative.is_some() { 3 } else { 0 };
    let within = |p: usize| p >= cue && p - cue < reach || p < cue && p + before >= cue;
    let is_key = |(t, c): &(usize, usize), e: &Evidence| {
        let named_in_reach = e.first_at.is_some_and(within)
            || e.name_positions.iter().copied().any(within) && !asked_before_cue(scope, cue, *t, e);
        scope.column_ref(*t, *c) == key && named_in_reach
    };
    // The key stays when nothing else would be shown, unless the question
    // asks for rows ("which department has the lowest budget": its name).
    let shown_anyway = asked.len() + implied > 1 || asks_which_rows(scope);
    if shown_anyway && asked.iter().any(|(k, e)| is_key(k, e)) {
        asked.retain(|(k, e)| !is_key(k, e));
    }
}

#[cfg(test)]
mod tests {
    use crate::planning::fixtures::{model_of, poker, shop};
    use crate::planning::plan::{make_plan, DEFAULT_MAX_TABLES};
    use serde_json::json;

    #[test]
    fn distinct_values_and_the_question_order() {
        let model = shop();
        let plan = make_plan(&model, "different cities of customers", DEFAULT_MAX_TABLES);
        assert!(
            plan.sql.starts_with("SELECT DISTINCT customers.city\n"),
            "{}",
            plan.sql
        );
        // Asked columns in the question's order, not the table's name key.
        let plan = make_plan(&model, "state and name of customers", DEFAULT_MAX_TABLES);
        assert_eq!(plan.select, vec!["customers.state", "customers.name"]);
    }

    #[test]
    fn a_superlatives_key_in_a_clause_about_the_rows_is_not_shown() {
        let model = model_of(json!({
            "tables": [
                {"schema": "public", "name": "university", "kind": "table", "comment": null,
                 "primary_key": ["school_id"],
                 "columns": [{"name": "school_id", "type": "integer", "comment": null},
                             {"name": "enrollment", "type": "integer", "comment": null},
                             {"name": "nickname", "type": "text", "comment": null},
                             {"name": "founded", "type": "integer", "comment": null}]}
            ],
            "foreign_keys": [], "values": [], "synonyms": []
        }));
        let plan = make_plan(
            &model,
            "the enrollment and nickname of the university which was founded the earliest",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(
            plan.select,
            vec!["university.enrollment", "university.nickname"]
        );
        assert_eq!(plan.order_by, vec!["university.founded ASC"]);
    }

    #[test]
    fn a_mention_of_another_tables_column_is_that_tables() {
        let table = |name: &str, key: &str| {
            json!({"schema": "public", "name": name, "kind": "table", "comment": null,
                   "primary_key": [key],
                   "columns": [{"name": key, "type": "integer", "comment": null},
                               {"name": "name", "type": "text", "comment": null}]})
        };
        let fk = |column: &str, to: &str, key: &str| {
            json!({"name": format!("{column}_fkey"), "from_schema": "public",
                   "from_table": "assignedto", "from_columns": [column], "to_schema": "public",
                   "to_table": to, "to_columns": [key], "one_to_one": false})
        };
        let model = model_of(json!({
            "tables": [
                table("scientists", "ssn"), table("projects", "code"),
                {"schema": "public", "name": "assignedto", "kind": "table", "comment": null,
                 "primary_key": ["scientist", "project"],
                 "columns": [{"name": "scientist", "type": "integer", "comment": null},
                             {"name": "project", "type": "integer", "comment": null}]}
            ],
            "foreign_keys": [fk("scientist", "scientists", "ssn"), fk("project", "projects", "code")],
            "values": [], "synonyms": []
        }));
        let plan = make_plan(
            &model,
            "names of scientists who are assigned to any project",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.select, vec!["scientists.name"], "{}", plan.sql);
    }

    #[test]
    fn a_whole_column_name_wins_over_half_of_another() {
        let model = model_of(json!({
            "tables": [
                {"schema": "public", "name": "university", "kind": "table", "comment": null,
                 "primary_key": ["school_id"],
                 "columns": [{"name": "school_id", "type": "integer", "comment": null},
                             {"name": "school", "type": "text", "comment": null},
                             {"name": "location", "type": "text", "comment": null}]}
            ],
            "foreign_keys": [], "values": [], "synonyms": []
        }));
        let plan = make_plan(
            &model,
            "list all schools and their locations",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(
            plan.select,
            vec!["university.school", "university.location"]
        );
    }

    #[test]
    fn half_the_name_of_a_key_is_not_asked_for() {
        let model = model_of(json!({
            "tables": [
                {"schema": "public", "name": "county_public_safety", "kind": "table",
                 "comment": null, "primary_key": ["county_id"],
                 "columns": [{"name": "county_id", "type": "integer", "comment": null},
                             {"name": "population", "type": "integer", "comment": null},
                             {"name": "case_burden", "type": "integer", "comment": null}]}
            ],
            "foreign_keys": [], "values": [], "synonyms": []
        }));
        let plan = make_plan(
            &model,
            "the case burden of counties in descending order of population",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.select, vec!["county_public_safety.case_burden"]);
    }

    #[test]
    fn a_longer_column_name_wins_in_the_select_list() {
        let model = model_of(json!({
            "tables": [
                {"schema": "public", "name": "singer", "kind": "table", "comment": null,
                 "primary_key": ["singer_id"],
                 "columns": [{"name": "singer_id", "type": "integer", "comment": null},
                             {"name": "name", "type": "text", "comment": null},
                             {"name": "song_name", "type": "text", "comment": null},
                             {"name": "age", "type": "integer", "comment": null}]}
            ],
            "foreign_keys": [], "values": [], "synonyms": []
        }));
        let plan = make_plan(
            &model,
            "song names of singers older than 30",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.select, vec!["singer.song_name"]);
    }

    #[test]
    fn the_column_an_ordering_names_is_not_shown() {
        let model = shop();
        let plan = make_plan(
            &model,
            "names of customers in descending order of city",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.order_by, vec!["customers.city DESC"]);
        assert_eq!(plan.select, vec!["customers.name"]);
        // SELECT DISTINCT must show what it is ordered by.
        let plan = make_plan(
            &model,
            "different names of customers in descending order of city",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.select, vec!["customers.name", "customers.city"]);
    }

    #[test]
    fn the_superlatives_own_column_is_not_shown() {
        let model = poker();
        let plan = make_plan(
            &model,
            "height of the poker player with the highest earnings",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.order_by, vec!["poker_player.earnings DESC"]);
        assert_eq!(plan.select, vec!["people.height"]);
    }
}

//! Selection: the tables the plan is about, chosen from the candidates by
//! their evidence, completed with tables one foreign key away that hold an
//! asked attribute, ordered (the table asked for first) and connected over
//! foreign keys, with bridge tables where no direct key exists.

use std::collections::{BTreeMap, BTreeSet};

use super::candidates::{is_partial, Candidates};
use super::joins::{connect, Join};
use super::link::Evidence;
use super::model::Model;
use super::text::{identifier_words, stem};
use super::weights;

/// Most tables one foreign key away that asked attributes bring in.
const MAX_NEIGHBOURS_ADDED: usize = 2;

/// The chosen tables, connected.
#[derive(Debug)]
pub struct Selection {
    /// The plan's tables: the one asked for first, bridges last.
    pub tables: Vec<usize>,
    /// The tables' evidence, with the reasons the selection added.
    pub evidence: BTreeMap<usize, Evidence>,
    /// Joins connecting `tables`, each bringing in its `right` table.
    pub joins: Vec<Join>,
    /// Chosen tables no foreign key path reaches.
    pub unreachable: Vec<usize>,
}

/// Tables named well enough, best first, with a FK-reachable set.
pub fn choose_tables(cands: &Candidates, max_tables: usize) -> Vec<usize> {
    let mut ranked: Vec<(usize, f64)> = cands.tables.iter().map(|(&t, e)| (t, e.score)).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let Some(&(_, top)) = ranked.first() else {
        return Vec::new();
    };
    let w = weights::current();
    let mut chosen: Vec<usize> = ranked
        .iter()
        .filter(|(_, s)| *s >= w.min_table_score && *s >= w.relative_table_score * top)
        .map(|(t, _)| *t)
        .take(max_tables)
        .collect();
    if chosen.is_empty() && top > 0.0 {
        chosen.push(ranked[0].0);
    }
    let first = chosen.first().copied();
    drop_tables_held_by_shared_columns(cands, &mut chosen, first);
    drop_names_inside_longer_names(cands, &mut chosen);
    drop_loose_twins(cands, &mut chosen, first);
    drop_tables_held_by_other_tables_words(cands, &mut chosen, first);
    chosen
}

/// A column-only mention of a column that another chosen table also has
/// belongs to that table, and half a column name holds nothing: drop
/// tables held up only by such mentions.
fn drop_tables_held_by_shared_columns(
    cands: &Candidates,
    chosen: &mut Vec<usize>,
    first: Option<usize>,
) {
    let named = |t: usize| {
        cands
            .links
            .tables
            .get(&t)
            .is_some_and(|e| !e.name_positions.is_empty())
            || cands.holds_value(t)
    };
    let snapshot = chosen.clone();
    chosen.retain(|&t| {
        Some(t) == first
            || named(t)
            || cands.links.columns.iter().any(|(&(ct, c), ev)| {
                ct == t && !is_partial(ev) && !shared_with_other(cands.model, t, c, &snapshot)
            })
    });
}

/// Whether another of `chosen` has a column of the same name as `t.c`.
fn shared_with_other(model: &Model, t: usize, c: usize, chosen: &[usize]) -> bool {
    let name = &model.tables[t].columns[c].name;
    chosen
        .iter()
        .any(|&o| o != t && model.tables[o].columns.iter().any(|x| &x.name == name))
}

/// A table matched only by words that a longer name also matched as one
/// phrase ("template" inside "template types") gives way to that name;
/// words the question keeps apart ("documents that do not have
/// expenses") name both.
fn drop_names_inside_longer_names(cands: &Candidates, chosen: &mut Vec<usize>) {
    let snapshot = chosen.clone();
    // Each of `mine` inside a run of adjacent words of `other`.
    let inside_phrases = |mine: &BTreeSet<usize>, other: &BTreeSet<usize>| {
        mine.iter().all(|&p| {
            other.contains(&(p + 1)) || p.checked_sub(1).is_some_and(|q| other.contains(&q))
        })
    };
    chosen.retain(|&t| {
        let mine = cands.name_positions(t);
        mine.is_empty()
            || cands.holds_value(t)
            || !snapshot.iter().any(|&o| {
                o != t && {
                    let other = cands.name_positions(o);
                    mine.is_subset(&other)
                        && other.len() > mine.len()
                        && inside_phrases(&mine, &other)
                }
            })
    });
}

/// Several tables matched loosely by the same words ("car" in car_names
/// and cars_data) are told apart by their columns: one held up by nothing
/// else gives way.
fn drop_loose_twins(cands: &Candidates, chosen: &mut Vec<usize>, first: Option<usize>) {
    let loose_only = |t: usize| {
        cands
            .links
            .tables
            .get(&t)
            .is_some_and(|e| e.reasons.iter().all(|r| r.starts_with("words ")))
    };
    let own_column = |t: usize| {
        cands
            .links
            .columns
            .iter()
            .any(|(&(ct, _), ev)| ct == t && !is_partial(ev))
    };
    let snapshot = chosen.clone();
    chosen.retain(|&t| {
        let mine = cands.name_positions(t);
        Some(t) == first
            || cands.holds_value(t)
            || own_column(t)
            || !loose_only(t)
            || !snapshot
                .iter()
                .any(|&o| o != t && !mine.is_empty() && cands.name_positions(o) == mine)
    });
}

/// A table held up only by columns named with words that name another
/// chosen table ("countries" for car_makers.country beside table
/// countries) gives way to that table.
fn drop_tables_held_by_other_tables_words(
    cands: &Candidates,
    chosen: &mut Vec<usize>,
    first: Option<usize>,
) {
    let snapshot = chosen.clone();
    chosen.retain(|&t| {
        if Some(t) == first || cands.holds_value(t) || !cands.name_positions(t).is_empty() {
            return true;
        }
        let others: BTreeSet<usize> = snapshot
            .iter()
            .filter(|&&o| o != t)
            .flat_map(|&o| cands.name_positions(o))
            .collect();
        cands.links.columns.iter().any(|(&(ct, _), ev)| {
            ct == t && !is_partial(ev) && !ev.name_positions.is_subset(&others)
        })
    });
}

/// Completes, orders and connects the chosen tables.
pub fn connect_chosen(cands: &Candidates, mut chosen: Vec<usize>) -> Selection {
    let mut evidence = cands.tables.clone();
    for (t, column) in attribute_neighbours(cands, &chosen) {
        evidence
            .entry(t)
            .or_default()
            .reasons
            .insert(format!("holds {column}, which no other chosen table has"));
        chosen.push(t);
    }
    order_by_mention(cands, &evidence, &mut chosen);
    let (joins, unreachable) = connect(cands.model, &chosen);
    let mut tables: Vec<usize> = chosen
        .iter()
        .copied()
        .filter(|t| !unreachable.contains(t))
        .collect();
    for j in &joins {
        if !tables.contains(&j.right) {
            tables.push(j.right);
            let e = evidence.entry(j.right).or_default();
            e.reasons.insert("bridge: joins the chosen tables".into());
        }
    }
    Selection {
        tables,
        evidence,
        joins,
        unreachable,
    }
}

/// The table the question asks for comes first: named (not just holding a
/// value or a column), earliest in the question; never one named after a
/// negation ("customers with no orders").
fn order_by_mention(
    cands: &Candidates,
    evidence: &BTreeMap<usize, Evidence>,
    chosen: &mut [usize],
) {
    let negation = cands.intent.negation;
    chosen.sort_by_key(|t| {
        let negated = negation.is_some_and(|n| cands.first_mention(*t).is_some_and(|p| p > n));
        let named = cands
            .links
            .tables
            .get(t)
            .map(|e| e.score >= weights::current().min_table_score)
            .unwrap_or(false);
        let at = evidence
            .get(t)
            .and_then(|e| e.first_at)
            .unwrap_or(usize::MAX);
        (negated, !named, at)
    });
}

/// A word naming a column that no chosen table has, but a table one
/// foreign key away does ("names of poker players": `people.name`
/// beside `poker_player`), brings that table in.  Returns the tables to
/// add, each with the column that brings it.
fn attribute_neighbours(cands: &Candidates, chosen: &[usize]) -> Vec<(usize, String)> {
    let mut covered = covered_words(cands, chosen);
    let chosen_words = column_words(cands.model, chosen);
    let neighbours = neighbours(cands.model, chosen);
    let mut added: Vec<(usize, usize)> = Vec::new();
    for (&(u, c), ev) in &cands.links.columns {
        if added.len() == MAX_NEIGHBOURS_ADDED
            || !neighbours.contains(&u)
            || chosen.contains(&u)
            || added.iter().any(|&(a, _)| a == u)
            || is_partial(ev)
            || ev.name_positions.is_empty()
            || ev
                .name_positions
                .iter()
                .any(|&p| covered.contains(&p) || chosen_words.contains(&cands.question.stems[p]))
        {
            continue;
        }
        covered.extend(ev.name_positions.iter().copied());
        added.push((u, c));
    }
    added
        .into_iter()
        .map(|(u, c)| (u, cands.model.tables[u].columns[c].name.clone()))
        .collect()
}

/// Word positions that the chosen tables' names and linked columns match.
fn covered_words(cands: &Candidates, chosen: &[usize]) -> BTreeSet<usize> {
    let mut covered: BTreeSet<usize> = BTreeSet::new();
    for (&(t, _), ev) in &cands.links.columns {
        if chosen.contains(&t) {
            covered.extend(ev.name_positions.iter().copied());
        }
    }
    for t in chosen {
        if let Some(e) = cands.links.tables.get(t) {
            covered.extend(e.name_positions.iter().copied());
        }
    }
    covered
}

/// A word that is any word of a chosen table's column names is covered
/// too ("country" by invoice.billing_country).
fn column_words(model: &Model, chosen: &[usize]) -> BTreeSet<String> {
    chosen
        .iter()
        .flat_map(|&t| &model.tables[t].columns)
        .flat_map(|c| identifier_words(&c.name))
        .map(|w| stem(&w))
        .collect()
}

/// Tables one foreign key away from a chosen one.
fn neighbours(model: &Model, chosen: &[usize]) -> BTreeSet<usize> {
    model
        .foreign_keys
        .iter()
        .filter_map(|(f, t, _)| {
            if chosen.contains(f) {
                Some(*t)
            } else if chosen.contains(t) {
                Some(*f)
            } else {
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::planning::fixtures::{model_of, poker};
    use crate::planning::plan::{make_plan, to_json, DEFAULT_MAX_TABLES};
    use serde_json::json;

    #[test]
    fn a_measures_adjective_brings_the_table_holding_it() {
        let model = poker();
        let plan = make_plan(
            &model,
            "earnings of the tallest poker player",
            DEFAULT_MAX_TABLES,
        );
        let doc = to_json(&model, &plan);
        assert_eq!(
            doc["primary_table_or_datasource"],
            "poker_player JOIN people"
        );
        assert_eq!(plan.order_by, vec!["people.height DESC"]);
        assert_eq!(plan.select, vec!["poker_player.earnings"]);
    }

    #[test]
    fn words_apart_name_a_table_a_longer_name_also_holds() {
        let model = model_of(json!({
            "tables": [
                {"schema": "public", "name": "documents", "kind": "table", "comment": null,
                 "primary_key": ["document_id"],
                 "columns": [{"name": "document_id", "type": "integer", "comment": null},
                             {"name": "document_name", "type": "text", "comment": null}]},
                {"schema": "public", "name": "documents_with_expenses", "kind": "table",
                 "comment": null, "primary_key": ["document_id"],
                 "columns": [{"name": "document_id", "type": "integer", "comment": null},
                             {"name": "budget_type_code", "type": "text", "comment": null}]}
            ],
            "foreign_keys": [
                {"name": "dwe_fkey", "from_schema": "public", "from_table": "documents_with_expenses",
                 "from_columns": ["document_id"], "to_schema": "public", "to_table": "documents",
                 "to_columns": ["document_id"], "one_to_one": true}
            ],
            "values": [], "synonyms": []
        }));
        let tables = |question: &str| -> Vec<String> {
            let plan = make_plan(&model, question, DEFAULT_MAX_TABLES);
            let mut t: Vec<String> = plan
                .tables
                .iter()
                .map(|(t, _)| model.tables[*t].name.clone())
                .collect();
            t.sort();
            t
        };
        assert_eq!(
            tables("names of documents that do not have expenses"),
            vec!["documents", "documents_with_expenses"]
        );
        // One phrase names the longer one only.
        assert_eq!(
            tables("budget type codes of documents with expenses"),
            vec!["documents_with_expenses"]
        );
    }

    #[test]
    fn an_attribute_one_key_away_brings_its_table() {
        let model = poker();
        let doc = to_json(
            &model,
            &make_plan(
                &model,
                "names of poker players by earnings",
                DEFAULT_MAX_TABLES,
            ),
        );
        assert_eq!(
            doc["primary_table_or_datasource"],
            "poker_player JOIN people"
        );
        // A word the chosen table answers itself brings nothing in.
        let doc = to_json(
            &model,
            &make_plan(&model, "earnings of poker players", DEFAULT_MAX_TABLES),
        );
        assert_eq!(doc["primary_table_or_datasource"], "poker_player");
    }

    #[test]
    fn of_two_keys_to_one_table_the_earlier_column_joins() {
        let fk = |name: &str, column: &str| {
            json!({"name": name, "from_schema": "public", "from_table": "friend",
                   "from_columns": [column], "to_schema": "public", "to_table": "highschooler",
                   "to_columns": ["id"], "one_to_one": false})
        };
        let model = model_of(json!({
            "tables": [
                {"schema": "public", "name": "highschooler", "kind": "table", "comment": null,
                 "primary_key": ["id"],
                 "columns": [{"name": "id", "type": "integer", "comment": null},
                             {"name": "name", "type": "text", "comment": null}]},
                {"schema": "public", "name": "friend", "kind": "table", "comment": null,
                 "primary_key": ["student_id", "friend_id"],
                 "columns": [{"name": "student_id", "type": "integer", "comment": null},
                             {"name": "friend_id", "type": "integer", "comment": null}]}
            ],
            // In name order, as planner_meta reads them: friend_id's key first.
            "foreign_keys": [fk("friend_friend_id_fkey", "friend_id"), fk("friend_student_id_fkey", "student_id")],
            "values": [], "synonyms": []
        }));
        let doc = to_json(
            &model,
            &make_plan(
                &model,
                "names of high schoolers and their friends",
                DEFAULT_MAX_TABLES,
            ),
        );
        assert_eq!(doc["joins"][0]["on"], "friend.student_id = highschooler.id");
    }
}

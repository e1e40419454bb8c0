//! Candidate retrieval: the tables and columns that the question's words,
//! values and intent point to, each with its evidence merged (a value or a
//! column found in the question also counts for its table), before any of
//! them is chosen.

use std::collections::{BTreeMap, BTreeSet};

use super::intent::{intent, Intent};
use super::link::{link, Evidence, Links, Question, IMPLIED_BY};
use super::model::Model;
use super::text::{identifier_words, is_generic, stem};
use super::weights;

/// Everything the later stages read about the question: the analysis
/// (words, intent) and the scored candidates.
pub struct Candidates<'a> {
    pub model: &'a Model,
    pub question: &'a Question,
    /// What the question's words link to, as the linker found it.
    pub links: Links,
    pub intent: Intent,
    /// Every table with evidence of its own, from a value or a column.
    pub tables: BTreeMap<usize, Evidence>,
    /// Every linked column, with the evidence of values found in it.
    pub columns: BTreeMap<(usize, usize), Evidence>,
}

impl<'a> Candidates<'a> {
    /// Links the question to the schema and merges the evidence.
    pub fn retrieve(model: &'a Model, question: &'a Question) -> Self {
        let mut links = link(model, question);
        let intent = intent(question);
        // "older than average" is about an average, not a column called so.
        let average_words: BTreeSet<usize> =
            intent.above_average.iter().map(|&(_, at)| at).collect();
        links
            .columns
            .retain(|_, ev| !named_only_by(ev, &average_words));
        let mut tables = links.tables.clone();
        let mut columns = links.columns.clone();
        add_value_evidence(model, &links, &mut tables, &mut columns);
        add_column_evidence(model, &links, &mut tables);
        Candidates {
            model,
            question,
            links,
            intent,
            tables,
            columns,
        }
    }

    /// Word positions the name of table `t` matched.
    pub fn name_positions(&self, t: usize) -> BTreeSet<usize> {
        self.links
            .tables
            .get(&t)
            .map(|e| e.name_positions.clone())
            .unwrap_or_default()
    }

    /// Whether the question holds a value of one of table `t`'s columns.
    pub fn holds_value(&self, t: usize) -> bool {
        self.links.values.iter().any(|v| v.table == t)
    }

    /// The first word position naming table `t`.
    pub fn first_mention(&self, t: usize) -> Option<usize> {
        self.links
            .tables
            .get(&t)?
            .name_positions
            .iter()
            .next()
            .copied()
    }

    /// The table among `tables` that word `at` names; of several, the
    /// one whose name the question says with the fewest other words
    /// ("customers" is customers before customer_policies).
    pub fn table_named_at(&self, at: usize, tables: &[usize]) -> Option<usize> {
        tables
            .iter()
            .copied()
            .filter_map(|t| {
                let e = self.links.tables.get(&t)?;
                let words = identifier_words(&self.model.tables[t].name).len();
                e.name_positions.contains(&at).then_some((words, t))
            })
            .min_by_key(|&(words, _)| words)
            .map(|(_, t)| t)
    }

    /// Word positions naming one of `tables`.
    pub fn words_naming(&self, tables: &BTreeSet<usize>) -> BTreeSet<usize> {
        self.links
            .tables
            .iter()
            .filter(|(t, _)| tables.contains(t))
            .flat_map(|(_, e)| e.name_positions.iter().copied())
            .collect()
    }
}

/// A value found in the question counts for its column and its table.
fn add_value_evidence(
    model: &Model,
    links: &Links,
    tables: &mut BTreeMap<usize, Evidence>,
    columns: &mut BTreeMap<(usize, usize), Evidence>,
) {
    for v in &links.values {
        let name = &model.tables[v.table].columns[v.column].name;
        let reason = format!("value '{}' in {}", v.value, name);
        let e = tables.entry(v.table).or_default();
        e.score += weights::current().value_table;
        e.reasons.insert(reason.clone());
        e.first_at = Some(e.first_at.map_or(v.start, |f| f.min(v.start)));
        let c = columns.entry((v.table, v.column)).or_default();
        c.score += weights::current().value_column;
        c.reasons.insert(format!("value '{}'", v.value));
    }
}

/// A linked column counts for its table: much when its name is specific
/// and matched whole, little otherwise.
fn add_column_evidence(model: &Model, links: &Links, tables: &mut BTreeMap<usize, Evidence>) {
    for (&(t, c), ev) in &links.columns {
        // What a measure's adjective implies ("tallest": height) brings a
        // table only one key away from the chosen ones (`select`).
        if ev.reasons.iter().all(|r| r.starts_with(IMPLIED_BY)) {
            continue;
        }
        let col = &model.tables[t].columns[c].name;
        let specific = identifier_words(col).iter().any(|w| !is_generic(&stem(w)));
        // Half a column name is enough to show the column, not to
        // bring its table into the plan.
        let partial = is_partial(ev);
        let share = if specific && !partial {
            weights::current().column_share * ev.score.min(2.0)
        } else {
            0.2
        };
        let e = tables.entry(t).or_default();
        e.score += share;
        e.reasons.insert(format!("column {col}"));
        e.first_at = Some(e.first_at.map_or(ev.first_at.unwrap_or(0), |f| {
            f.min(ev.first_at.unwrap_or(0))
        }));
    }
}

/// Linked only through words that name something else.
pub fn named_only_by(e: &Evidence, words: &BTreeSet<usize>) -> bool {
    !e.name_positions.is_empty() && e.name_positions.is_subset(words)
}

/// Linked only through some words of the column's name.
pub fn is_partial(ev: &Evidence) -> bool {
    ev.reasons.iter().all(|r| r.starts_with("some words"))
}

//! The tables a query skeleton may draw columns from, and the lookups the
//! skeleton's parts share: the linked column nearest a word, the column a
//! superlative implies, what a count is per.

use std::collections::BTreeSet;

use super::super::candidates::{named_only_by, Candidates};
use super::super::columns::{self, is_numeric, is_temporal};
use super::super::intent::Intent;
use super::super::link::{Evidence, Question};
use super::super::model::Model;
use super::super::superlatives::implied_names;
use super::super::text::identifier_words;

/// Least score of a linked column for the query to use it.
pub const RELEVANT_SCORE: f64 = 0.4;

/// What every part of the skeleton reads.
pub struct Scope<'a> {
    pub cands: &'a Candidates<'a>,
    /// The plan's tables, the one asked for first.
    pub tables: &'a [usize],
    /// The tables whose columns the query uses: the plan's tables but the
    /// one a negation turned into `NOT IN`.
    pub usable: BTreeSet<usize>,
    /// Word positions naming a usable table.  Such words ("singers") also
    /// match columns named after the table (singer_id), which the question
    /// did not ask for.
    pub table_words: BTreeSet<usize>,
}

impl<'a> Scope<'a> {
    /// The scope over `tables`, drawing columns from `usable`.
    pub fn new(cands: &'a Candidates<'a>, tables: &'a [usize], usable: BTreeSet<usize>) -> Self {
        let table_words = cands.words_naming(&usable);
        Scope {
            cands,
            tables,
            usable,
            table_words,
        }
    }

    /// The schema.
    pub fn model(&self) -> &'a Model {
        self.cands.model
    }

    /// The analysed question.
    pub fn question(&self) -> &'a Question {
        self.cands.question
    }

    /// The question's intent cues.
    pub fn intent(&self) -> &'a Intent {
        &self.cands.intent
    }

    /// Column `c` of table `t` as the draft SQL writes it.
    pub fn column_ref(&self, t: usize, c: usize) -> String {
        columns::column_ref(self.cands.model, t, c)
    }

    /// The linked column nearest to word position `at` (after it first)
    /// among the usable tables, whose type satisfies `accept`.
    pub fn column_near(&self, at: usize, accept: impl Fn(&str) -> bool) -> Option<(usize, usize)> {
        let dist = |p: usize| if p >= at { (0, p - at) } else { (1, at - p) };
        self.linked_columns(accept)
            .filter_map(|(&(t, c), e)| {
                // Its mention nearest to `at`; one another table's name
                // qualifies ("savings balance") is that table's column.
                let nearest = e
                    .first_at
                    .into_iter()
                    .chain(e.name_positions.iter().copied())
                    .map(|p| (dist(p), self.qualified_by_another_table(p, t)))
                    .min_by_key(|&(d, other)| (other, d))?;
                Some(((t, c), nearest, e.score))
            })
            // Nearest first (words after `at` before words before it); at equal
            // distance the better-matched column.
            .min_by(|a, b| a.1.cmp(&b.1).then(b.2.total_cmp(&a.2)))
            .map(|(k, _, _)| k)
    }

    /// The plan table a mention at word `p` is about, when the question
    /// says: one named right before it ("savings balance") or after "of"
    /// ("names of the scientists").
    pub fn mention_owner(&self, p: usize) -> Option<usize> {
        let words = &self.question().words;
        let named = |k: usize| self.cands.table_named_at(k, self.tables);
        if let Some(t) = p.checked_sub(1).and_then(named) {
            return Some(t);
        }
        if words.get(p + 1).map(String::as_str) != Some("of") {
            return None;
        }
        let k = (p + 2..words.len()).find(|&k| {
            !matches!(
                words[k].as_str(),
                "the" | "all" | "each" | "every" | "those"
            )
        })?;
        named(k)
    }

    /// Whether the word before position `p` names a plan table other than
    /// `t`.
    pub fn qualified_by_another_table(&self, p: usize, t: usize) -> bool {
        p.checked_sub(1)
            .and_then(|k| self.cands.table_named_at(k, self.tables))
            .is_some_and(|o| o != t)
    }

    /// The best linked column of a usable table, of a type `accept` takes,
    /// whose name the word at `at` is part of (not one only a table's name
    /// matched: customer_id for "the customer").
    pub fn column_named_at(
        &self,
        at: usize,
        accept: impl Fn(&str) -> bool,
    ) -> Option<(usize, usize)> {
        self.linked_columns(accept)
            .filter(|(_, e)| e.name_positions.contains(&at))
            .max_by(|a, b| a.1.score.total_cmp(&b.1.score))
            .map(|(&k, _)| k)
    }

    /// Linked columns of the usable tables of a type `accept` takes, but
    /// those only a table's name matched.
    pub fn linked_columns(
        &self,
        accept: impl Fn(&str) -> bool,
    ) -> impl Iterator<Item = (&(usize, usize), &Evidence)> {
        self.cands.columns.iter().filter(move |(&(t, c), e)| {
            self.usable.contains(&t)
                && accept(&self.model().tables[t].columns[c].data_type)
                && !named_only_by(e, &self.table_words)
        })
    }

    /// The column a superlative adjective is about when the question names
    /// none ("the youngest singer": age, ascending; or a birth date,
    /// descending), with the direction to order it in.
    pub fn implied_attribute(&self, at: usize, desc: bool) -> Option<((usize, usize), bool)> {
        let word = self.question().words.get(at)?.as_str();
        let (names, dates_reverse) = implied_names(word)?;
        let find = |fits: &dyn Fn(&[String], &str) -> bool| {
            self.tables.iter().find_map(|&t| {
                self.model().tables[t]
                    .columns
                    .iter()
                    .enumerate()
                    .find(|(_, col)| fits(&identifier_words(&col.name), &col.data_type))
                    .map(|(c, col)| {
                        let reverse = dates_reverse && is_temporal(&col.data_type);
                        ((t, c), desc != reverse)
                    })
            })
        };
        let named = |words: &[String], ty: &str| {
            names.iter().any(|n| words.iter().any(|w| w == n))
                && (is_numeric(ty) || is_temporal(ty))
        };
        // "the most recent order" over orders.ordered_at: any date, where
        // no column's name says one.
        let dated = |_: &[String], ty: &str| names.contains(&"date") && is_temporal(ty);
        find(&named).or_else(|| find(&dated))
    }

    /// What rows of `counted` are counted per: a row of another plan table
    /// (the columns the question asks of it before word `before`, else its
    /// label), or, with one table, the column asked for before `before`
    /// ("type codes with less than three templates").
    pub fn count_keys(&self, counted: usize, before: usize) -> Option<Vec<(usize, usize)>> {
        if let Some(owner) = self
            .tables
            .iter()
            .copied()
            .find(|&t| t != counted && self.usable.contains(&t))
        {
            let asked = self.asked_before(owner, before);
            if !asked.is_empty() {
                return Some(asked);
            }
            return Some(vec![(owner, columns::label_column(self.model(), owner))]);
        }
        self.asked_before(counted, before)
            .into_iter()
            .next()
            .map(|k| vec![k])
    }

    /// Columns of table `t` the question names before word `before`, in
    /// the order named; a longer name wins ("event names" is event_name,
    /// not also event_id).
    pub fn asked_before(&self, t: usize, before: usize) -> Vec<(usize, usize)> {
        let named: Vec<(&(usize, usize), &Evidence)> = self
            .cands
            .columns
            .iter()
            .filter(|(&(table, _), e)| {
                table == t && e.score >= RELEVANT_SCORE && !named_only_by(e, &self.table_words)
            })
            .collect();
        let within_longer = |e: &Evidence| {
            named.iter().any(|(_, o)| {
                e.name_positions.is_subset(&o.name_positions)
                    && o.name_positions.len() > e.name_positions.len()
            })
        };
        let mut asked: Vec<((usize, usize), usize)> = named
            .iter()
            .filter(|(_, e)| !within_longer(e))
            .filter_map(|(&k, e)| e.first_at.filter(|&p| p < before).map(|p| (k, p)))
            .collect();
        asked.sort_by_key(|&(k, p)| (p, k));
        asked.into_iter().map(|(k, _)| k).collect()
    }
}

/// Where a run of `fillers` words that ends right before `at` starts
/// ("grade [is] 10", "status code [of] 'X'"): `at` itself when there is
/// none.
pub fn start_of_run(words: &[String], at: usize, fillers: &[&str]) -> usize {
    let mut start = at;
    while start > 0 && fillers.contains(&words[start - 1].as_str()) {
        start -= 1;
    }
    start
}

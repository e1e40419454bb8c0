//! Schema linking: which tables, columns and values the question's words
//! point to, each with a score and the reasons it was chosen.

use std::collections::{BTreeMap, BTreeSet};

use super::model::{Model, Target, Via};
use super::text::{is_generic, is_stopword, stem, words};

/// The question as the linker sees it.
#[derive(Debug, Clone)]
pub struct Question {
    pub words: Vec<String>,
    pub stems: Vec<String>,
}

impl Question {
    pub fn new(text: &str) -> Self {
        let words = words(text);
        let stems = words.iter().map(|w| stem(w)).collect();
        Question { words, stems }
    }
}

/// A scored candidate and why.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    pub score: f64,
    pub reasons: BTreeSet<String>,
    /// First word position of the evidence, for ordering mentions.
    pub first_at: Option<usize>,
}

impl Evidence {
    fn add(&mut self, score: f64, reason: String, at: usize) {
        self.score += score;
        self.reasons.insert(reason);
        self.first_at = Some(self.first_at.map_or(at, |f| f.min(at)));
    }
}

/// A value of a column found in the question.
#[derive(Debug, Clone)]
pub struct ValueHit {
    pub table: usize,
    pub column: usize,
    pub value: String,
    pub source: String,
    pub start: usize,
}

/// Everything the question links to, before tables are chosen.
#[derive(Debug, Default)]
pub struct Links {
    pub tables: BTreeMap<usize, Evidence>,
    pub columns: BTreeMap<(usize, usize), Evidence>,
    pub values: Vec<ValueHit>,
    /// Word positions some link consumed.
    pub used: BTreeSet<usize>,
}

fn phrase_at(stems: &[String], at: usize, phrase: &[String]) -> bool {
    at + phrase.len() <= stems.len() && stems[at..at + phrase.len()] == *phrase
}

fn via_word(via: Via) -> &'static str {
    match via {
        Via::Name => "name",
        Via::Comment => "comment",
        Via::Synonym => "synonym",
    }
}

/// How much a matched phrase says: longer and more specific phrases say
/// more.  (A stopword can still name a table: `order` is one.)
fn phrase_weight(phrase: &[String], via: Via) -> f64 {
    let specific = phrase.iter().filter(|s| !is_generic(s)).count();
    match via {
        Via::Synonym => 2.5,
        Via::Comment => 0.4,
        Via::Name if specific == 0 => 0.4,
        Via::Name => 1.5 + 0.5 * (phrase.len() as f64 - 1.0),
    }
}

pub fn link(model: &Model, q: &Question) -> Links {
    let mut links = Links::default();
    for at in 0..q.stems.len() {
        for &p in model.by_first_stem.get(&q.stems[at]).into_iter().flatten() {
            let phrase = &model.phrases[p];
            if !phrase_at(&q.stems, at, &phrase.stems) {
                continue;
            }
            let weight = phrase_weight(&phrase.stems, phrase.via);
            let exact = phrase.stems.len() == 1 && q.words[at] == phrase.stems[0];
            let reason = match (phrase.via, exact) {
                (Via::Name, false) => format!("name (stem '{}')", q.words[at]),
                (via, _) => format!(
                    "{} '{}'",
                    via_word(via),
                    q.words[at..at + phrase.stems.len()].join(" ")
                ),
            };
            match phrase.target {
                Target::Table(t) => links.tables.entry(t).or_default().add(weight, reason, at),
                Target::Column(t, c) => links
                    .columns
                    .entry((t, c))
                    .or_default()
                    .add(weight, reason, at),
            }
            if phrase.via != Via::Comment {
                links.used.extend(at..at + phrase.stems.len());
            }
        }
        for &v in model
            .values_by_first_stem
            .get(&q.stems[at])
            .into_iter()
            .flatten()
        {
            let value = &model.values[v];
            if !phrase_at(&q.stems, at, &value.stems) {
                continue;
            }
            // One short common word is too weak to be a value on its own.
            if value.stems.len() == 1 && (value.stems[0].len() < 3 || is_stopword(&q.words[at])) {
                continue;
            }
            links.values.push(super::link::ValueHit {
                table: value.table,
                column: value.column,
                value: value.value.clone(),
                source: value.source.clone(),
                start: at,
            });
            links.used.extend(at..at + value.stems.len());
        }
    }
    links
}

/// Words of the question that linked to nothing and are not stopwords.
pub fn unmatched(q: &Question, links: &Links, consumed: &BTreeSet<usize>) -> Vec<String> {
    q.words
        .iter()
        .enumerate()
        .filter(|(i, w)| !links.used.contains(i) && !consumed.contains(i) && !is_stopword(w))
        .filter(|(_, w)| w.parse::<f64>().is_err())
        .map(|(_, w)| w.clone())
        .collect()
}

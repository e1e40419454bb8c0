//! Schema linking: which tables, columns and values the question's words
//! point to, each with a score and the reasons it was chosen.

use std::collections::{BTreeMap, BTreeSet};

use super::columns::{is_numeric, is_temporal};
use super::lexical::{lexical_names, Alternate};
use super::model::{Model, Target, Via};
use super::superlatives::implied_names;
use super::text::{
    identifier_words, is_function_word, is_generic, is_stopword, stem, words, written_words,
};
use super::weights;

/// The question as the linker sees it.
#[derive(Debug, Clone)]
pub struct Question {
    pub words: Vec<String>,
    /// The words as written, case kept ("TN", "International").
    pub written: Vec<String>,
    /// Positions of words a decimal point joins to the next ("57.5").
    pub decimal_points: Vec<usize>,
    pub stems: Vec<String>,
    /// Text the question puts in quotes, as written ('Al', "East").
    pub quoted: Vec<String>,
    /// What spans of words may also stand for, from the lexicon, in the
    /// order of the words they start at.
    pub alternates: Vec<Alternate>,
}

impl Question {
    /// Splits, stems and reads the quotes of a question.
    pub fn new(text: &str) -> Self {
        let words = words(text);
        let stems = words.iter().map(|w| stem(w)).collect();
        Question {
            words,
            written: written_words(text),
            decimal_points: decimal_points(text),
            stems,
            quoted: quoted(text),
            alternates: Vec::new(),
        }
    }
}

/// Positions of the words that a decimal point joins to the next one,
/// both of digits ("57.5"); the words themselves split there.
fn decimal_points(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut k = 0;
    let mut rest = text.trim_start_matches(|c: char| !c.is_alphanumeric());
    while !rest.is_empty() {
        let end = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        let (word, after) = rest.split_at(end);
        let gap = after.len()
            - after
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .len();
        let next = &after[gap..];
        let digits = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit());
        let next_word = next
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        if &after[..gap] == "." && digits(word) && digits(next_word) {
            out.push(k);
        }
        k += 1;
        rest = next;
    }
    out
}

/// Segments between matching single or double quotes, typographic ones
/// included (an apostrophe inside a word, as in "customer's", opens
/// nothing).
fn quoted(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let closing = match chars[i] {
            '\'' => Some('\''),
            '"' => Some('"'),
            '\u{2018}' => Some('\u{2019}'),
            '\u{201c}' => Some('\u{201d}'),
            _ => None,
        };
        let opens = i == 0 || !chars[i - 1].is_alphanumeric();
        if let (Some(closing), true) = (closing, opens) {
            if let Some(len) = chars[i + 1..].iter().position(|&c| c == closing) {
                let inner: String = chars[i + 1..i + 1 + len].iter().collect();
                if !inner.trim().is_empty() && inner.chars().count() <= 100 {
                    out.push(inner);
                }
                i += len + 2;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// A scored candidate and why.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    pub score: f64,
    pub reasons: BTreeSet<String>,
    /// First word position of the evidence, for ordering mentions.
    pub first_at: Option<usize>,
    /// Word positions its name or synonyms matched.
    pub name_positions: BTreeSet<usize>,
}

impl Evidence {
    pub(super) fn add(&mut self, score: f64, reason: String, at: usize) {
        self.score += score;
        self.reasons.insert(reason);
        self.first_at = Some(self.first_at.map_or(at, |f| f.min(at)));
    }
}

/// Words that carry no meaning in table names (ref_, tbl_, _data, _list).
const NOISE: &[&str] = &[
    "ref", "tbl", "lkp", "lu", "data", "list", "info", "detail", "record", "table",
];

/// Whether a stem is one of the noise words'.
pub(super) fn is_noise(stem_of_word: &str) -> bool {
    static STEMS: std::sync::OnceLock<BTreeSet<String>> = std::sync::OnceLock::new();
    STEMS
        .get_or_init(|| NOISE.iter().map(|w| stem(w)).collect())
        .contains(stem_of_word)
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
pub(super) fn phrase_weight(phrase: &[String], via: Via) -> f64 {
    let specific = phrase.iter().filter(|s| !is_generic(s)).count();
    let w = weights::current();
    match via {
        Via::Synonym => w.declared_synonym,
        Via::Comment => w.comment,
        Via::Name if specific == 0 => w.generic_name,
        Via::Name => w.name + w.name_extra_word * (phrase.len() as f64 - 1.0),
    }
}

/// Tables whose own name (or a synonym) appears in the question.
fn named_tables(model: &Model, q: &Question) -> BTreeSet<usize> {
    let mut named = BTreeSet::new();
    for at in 0..q.stems.len() {
        for &p in model.by_first_stem.get(&q.stems[at]).into_iter().flatten() {
            let phrase = &model.phrases[p];
            if let Target::Table(t) = phrase.target {
                if phrase.via != Via::Comment && phrase_at(&q.stems, at, &phrase.stems) {
                    named.insert(t);
                }
            }
        }
    }
    named
}

/// Links the question's words to the tables, columns and values they name.
pub fn link(model: &Model, q: &Question) -> Links {
    let mut links = Links::default();
    let named_tables = named_tables(model, q);
    for at in 0..q.stems.len() {
        link_names_at(model, q, at, &named_tables, &mut links);
        link_values_at(model, q, at, &mut links);
    }
    discount_names_inside_columns(&mut links);
    super::loose::loose_names(model, q, &mut links);
    lexical_names(model, q, &mut links);
    implied_attribute_links(model, q, &mut links);
    links
}

/// How the reason of a column only a measure's adjective implies begins.
pub const IMPLIED_BY: &str = "implied by";

/// "the company of the tallest entrepreneur", "people taller than 1.85":
/// an adjective of a measure names the columns that hold it (height),
/// loosely, so that the table holding them is found like a named
/// attribute's.  Dates are not: most tables have one.
fn implied_attribute_links(model: &Model, q: &Question, links: &mut Links) {
    for (at, word) in q.words.iter().enumerate() {
        let Some((names, _)) = implied_names(word) else {
            continue;
        };
        if names.contains(&"date") {
            continue;
        }
        for (t, table) in model.tables.iter().enumerate() {
            for (c, column) in table.columns.iter().enumerate() {
                let words = identifier_words(&column.name);
                let measured = is_numeric(&column.data_type) || is_temporal(&column.data_type);
                if measured && names.iter().any(|n| words.iter().any(|w| w == n)) {
                    let weight = weights::current().loose * phrase_weight(&words, Via::Name);
                    let e = evidence_of(links, Target::Column(t, c));
                    e.add(weight, format!("{IMPLIED_BY} '{word}'"), at);
                    e.name_positions.insert(at);
                }
            }
        }
    }
}

/// Names, comments and synonyms of tables and columns starting at word `at`.
fn link_names_at(
    model: &Model,
    q: &Question,
    at: usize,
    named_tables: &BTreeSet<usize>,
    links: &mut Links,
) {
    for &p in model.by_first_stem.get(&q.stems[at]).into_iter().flatten() {
        let phrase = &model.phrases[p];
        if !phrase_at(&q.stems, at, &phrase.stems) {
            continue;
        }
        if phrase.stems.len() == 1 && is_function_word(&q.words[at]) {
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
        if let Target::Column(t, _) = phrase.target {
            if model.is_common_column(&phrase.stems) && !named_tables.contains(&t) {
                continue;
            }
        }
        let span = at..at + phrase.stems.len();
        let e = evidence_of(links, phrase.target);
        e.add(weight, reason, at);
        if phrase.via != Via::Comment {
            e.name_positions.extend(span.clone());
            links.used.extend(span);
        }
    }
}

/// The evidence entry of a table or column.
pub(super) fn evidence_of(links: &mut Links, target: Target) -> &mut Evidence {
    match target {
        Target::Table(t) => links.tables.entry(t).or_default(),
        Target::Column(t, c) => links.columns.entry((t, c)).or_default(),
    }
}

/// Typical values of columns starting at word `at`.
fn link_values_at(model: &Model, q: &Question, at: usize, links: &mut Links) {
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
        links.values.push(ValueHit {
            table: value.table,
            column: value.column,
            value: value.value.clone(),
            source: value.source.clone(),
            start: at,
        });
        links.used.extend(at..at + value.stems.len());
    }
}

/// Word positions covered by exact column-name matches.
pub(super) fn column_spans(links: &Links) -> Vec<BTreeSet<usize>> {
    links
        .columns
        .values()
        .map(|e| e.name_positions.clone())
        .filter(|p| !p.is_empty())
        .collect()
}

/// "template" in "template type code" names a column, not the templates
/// table: a table name found only inside a longer column name counts for
/// little and does not make the table named.
fn discount_names_inside_columns(links: &mut Links) {
    let spans = column_spans(links);
    for e in links.tables.values_mut() {
        let inside = !e.name_positions.is_empty()
            && spans
                .iter()
                .any(|s| e.name_positions.is_subset(s) && s.len() > e.name_positions.len());
        if inside {
            e.score *= 0.3;
            e.name_positions.clear();
            e.reasons.insert("inside a column name".into());
        }
    }
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
